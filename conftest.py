"""Test set-up shared by every app."""

from __future__ import annotations

import email
import email.message
import email.policy
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

pytest_plugins = ["tests.browser.plugin"]


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


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the site's default language (Japanese). Django leaves the
    language of the last request active in the thread, which would make a test's outcome
    depend on the tests before it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    return any(name in request.fixturenames for name in ("transactional_db", "live_server"))


def _uses_database(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames
        for name in ("db", "transactional_db", "live_server", "_django_db_helper")
    )


@pytest.fixture(autouse=True)
def _audit_log_append_only(
    request: pytest.FixtureRequest, django_db_blocker: Any
) -> Iterator[None]:
    """Every test that uses the database starts with the append-only triggers in place; a
    transactional test lifts them in its teardown, which runs before the database flush
    because the database fixture is requested first."""
    if not _uses_database(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    with django_db_blocker.unblock():
        _set_audit_triggers(enabled=True)
    yield
    if _is_transactional(request):
        with django_db_blocker.unblock():
            _set_audit_triggers(enabled=False)


@pytest.fixture
def smtp_server() -> Iterator[SmtpSink]:
    """A real SMTP server on 127.0.0.1 that keeps what it receives (aiosmtpd)."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    with socket.socket() as probe:  # a free port; aiosmtpd cannot take port 0
        probe.bind(("127.0.0.1", 0))
        sink.port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


class SmtpSink:
    """aiosmtpd handler collecting messages as ``email.message.EmailMessage`` objects."""

    def __init__(self) -> None:
        self.port = 0
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"
