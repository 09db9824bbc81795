"""Test set-up shared by every app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Argon2 is deliberately slow; tests that check hashing switch it back on.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _set_audit_triggers(enabled: bool) -> None:
    """Transactional tests empty every table between tests; the audit log's append-only
    triggers would refuse that, so they are lifted only for that clean-up."""
    from kyodo.audit.migrations import _append_only_sql as sql

    with connection.cursor() as cursor:
        for statement in sql.statements(connection.vendor, enabled=enabled):
            cursor.execute(statement)


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    return any(name in request.fixturenames for name in ("transactional_db", "live_server"))


@pytest.fixture(autouse=True)
def _audit_triggers_restored_after_flush(
    request: pytest.FixtureRequest, django_db_blocker: pytest.FixtureRequest
) -> Iterator[None]:
    """Set up before the database fixture, so this runs after its flush."""
    yield
    if _is_transactional(request):
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            _set_audit_triggers(enabled=True)


@pytest.fixture(autouse=True)
def _audit_triggers_lifted_for_flush(
    request: pytest.FixtureRequest, _audit_triggers_restored_after_flush: None
) -> Iterator[None]:
    """Set up after the database fixture, so this runs before its flush."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    _set_audit_triggers(enabled=False)
