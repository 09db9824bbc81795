"""The database set-up the issue asks for: SQLite with WAL, foreign keys and IMMEDIATE
write transactions by default; another database through KYODO_DATABASE_URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

PRINT_DATABASE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "d = settings.DATABASES['default']; "
    "print(json.dumps({'ENGINE': d['ENGINE'], 'NAME': str(d['NAME']), "
    "'HOST': d.get('HOST', ''), 'PORT': str(d.get('PORT', '')), "
    "'OPTIONS': d.get('OPTIONS', {})}))"
)


def _database_settings(**env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KYODO_")}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASE],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "kyodo.settings", **env},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_default_database_is_an_embedded_sqlite_file_with_immediate_transactions() -> None:
    # when
    database = _database_settings()

    # then
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert str(database["NAME"]).endswith("var/kyodo.sqlite3")
    options = database["OPTIONS"]
    assert isinstance(options, dict)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


def test_a_postgres_url_selects_postgresql() -> None:
    # when
    database = _database_settings(KYODO_DATABASE_URL="postgres://kyodo:secret@127.0.0.1:5432/kyodo")

    # then
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "kyodo"
    assert database["HOST"] == "127.0.0.1"
    assert database["PORT"] == "5432"


def test_a_sqlite_url_selects_that_file(tmp_path: Path) -> None:
    # when
    database = _database_settings(KYODO_DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3")

    # then
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == f"{tmp_path}/other.sqlite3"


def test_a_sqlite_file_database_runs_in_wal_mode_with_foreign_keys(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    # given: a connection opened with the project's own SQLite options
    from django.db.backends.sqlite3.base import DatabaseWrapper

    if connection.vendor != "sqlite":
        pytest.skip("checks the SQLite options; this run is on another database")
    wrapper = DatabaseWrapper(
        {**connection.settings_dict, "NAME": str(tmp_path / "wal.sqlite3")}, alias="wal_check"
    )

    # when
    with django_db_blocker.unblock(), wrapper.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA foreign_keys")
        foreign_keys = cursor.fetchone()[0]
    wrapper.close()

    # then
    assert journal_mode == "wal"
    assert foreign_keys == 1


def test_passwords_are_hashed_with_argon2_outside_the_tests() -> None:
    # given: the settings module as deployed (the test run swaps in a fast hasher)
    import importlib

    import kyodo.settings as project_settings

    importlib.reload(project_settings)

    # then
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
