# Sourced by scripts/demo and scripts/test: make .venv and install a lock file into it.
# Usage: ensure_venv requirements/base.lock
ensure_venv() {
    local lock="$1"
    local python="${KYODO_PYTHON:-python3}"
    if [ ! -x .venv/bin/python ]; then
        echo "==> Creating the virtual environment in .venv/"
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
