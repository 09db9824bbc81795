# Sourced by scripts/demo and scripts/test: make .venv and install a lock file into it.
# Usage: ensure_venv requirements/base.lock

# The interpreter of .venv: KYODO_PYTHON when set, else Debian's /usr/bin/python3 when it
# is 3.11 or newer and can make a virtual environment (python3-venv), else python3.
# Debian builds its Python with profile-guided and link-time optimisation; a Python built
# from source without --enable-optimizations (pyenv's default) served the directory
# search 10-35 % slower (bench/organizations_search.py).
kyodo_python() {
    if [ -n "${KYODO_PYTHON:-}" ]; then
        echo "$KYODO_PYTHON"
    elif /usr/bin/python3 -c 'import ensurepip, sys; sys.exit(sys.version_info < (3, 11))' \
        >/dev/null 2>&1; then
        echo /usr/bin/python3
    else
        echo python3
    fi
}

ensure_venv() {
    local lock="$1"
    local python
    python="$(kyodo_python)"
    local wanted
    wanted="$(readlink -f "$(command -v "$python")")"
    if [ -x .venv/bin/python ]; then
        local current
        # empty when .venv/bin/python no longer runs: the venv is made again
        current="$(.venv/bin/python -c 'import sys; print(sys._base_executable)' 2>/dev/null \
            | xargs -r -d '\n' readlink -f || true)"
        if [ "$current" != "$wanted" ]; then
            echo "==> .venv/ was made with $current; making it again with $wanted"
            rm -rf .venv
        fi
    fi
    if [ ! -x .venv/bin/python ]; then
        echo "==> Creating the virtual environment in .venv/ ($("$python" --version), $wanted)"
        "$python" -m venv .venv
    fi
    local stamp=".venv/.installed-$(basename "$lock")"
    if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
        echo "==> Installing $lock"
        # pip's output is shown only when the install fails.
        if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check \
            --require-hashes -r "$lock" >.venv/pip-install.log 2>&1; then
            cat .venv/pip-install.log >&2
            return 1
        fi
        touch "$stamp"
    fi
}
