from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.signals import user_login_failed
from django.urls import reverse
from django.utils import timezone

from kyodo.accounts.models import LoginFailure
from kyodo.accounts.tests.factories import PASSWORD, UserFactory
from kyodo.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")


@pytest.fixture
def limits(settings: Any) -> Any:
    settings.KYODO_LOGIN_FAILURES_PER_ACCOUNT = 5
    settings.KYODO_LOGIN_FAILURES_PER_ADDRESS = 20
    settings.KYODO_LOGIN_WINDOW_MINUTES = 15
    return settings


@pytest.fixture
def failed_attempts() -> Any:
    """Django's own signal for every password check that failed."""
    seen: list[str] = []

    def receiver(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
        seen.append(credentials.get("username", ""))

    user_login_failed.connect(receiver)
    yield seen
    user_login_failed.disconnect(receiver)


def signed_in_id(client: Any) -> str | None:
    return client.session.get("_auth_user_id")


def test_a_person_signs_in_with_the_address_in_any_capitals(client: Any) -> None:
    # given
    user = UserFactory.create(email="hanako.sato@example.jp")

    # when
    response = client.post(LOGIN, {"email": "Hanako.Sato@Example.JP", "password": PASSWORD})

    # then
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_id(client) == str(user.pk)
    event = AuditEvent.objects.get(action=Action.SIGN_IN)
    assert event.actor_id == user.pk
    assert event.ip_address == "127.0.0.1"


def test_signing_in_rotates_the_session_key(client: Any) -> None:
    # given an anonymous session that already exists
    user = UserFactory.create()
    client.get(LOGIN)
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key

    # when
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    # then
    assert client.session.session_key != before


def test_signing_in_uses_the_persons_language(client: Any) -> None:
    # given
    user = UserFactory.create(preferred_language="en")

    # when
    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    # then
    assert response.cookies["django_language"].value == "en"


def test_a_wrong_password_is_refused_audited_and_counted(client: Any) -> None:
    # given
    user = UserFactory.create()

    # when
    response = client.post(LOGIN, {"email": user.email, "password": "wrong-password"})

    # then the form comes back with the address kept and a message
    assert response.status_code == 200
    assert signed_in_id(client) is None
    assert response.context["form"].non_field_errors()
    assert f'value="{user.email}"' in response.content.decode()
    assert LoginFailure.objects.for_account(user.email).count() == 1
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.actor_id is None
    assert event.object_type == "accounts.user"
    assert event.object_repr == user.email
    assert event.details == {"reason": "wrong_email_or_password"}


def test_an_unknown_address_is_refused_like_a_wrong_password(client: Any) -> None:
    # given
    UserFactory.create()

    # when
    response = client.post(LOGIN, {"email": "nobody@example.jp", "password": PASSWORD})

    # then
    assert response.status_code == 200
    assert response.context["unverified_email"] == ""
    assert AuditEvent.objects.get(action=Action.SIGN_IN_FAILED).object_repr == "nobody@example.jp"


def test_a_deactivated_account_cannot_sign_in(client: Any) -> None:
    # given
    user = UserFactory.create(is_active=False)

    # when
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    # then
    assert signed_in_id(client) is None


def test_an_empty_sign_in_form_gets_field_errors_and_no_audit(client: Any) -> None:
    # when
    response = client.post(LOGIN, {"email": "", "password": ""})

    # then
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "password"}
    assert response.content.decode().count('aria-invalid="true"') == 2
    assert not AuditEvent.objects.exists()


def test_the_sixth_attempt_is_refused_even_with_the_right_password_until_the_window_passes(
    client: Any, limits: Any, time_machine: Any, failed_attempts: list[str]
) -> None:
    # given five failures within the window
    time_machine.move_to(timezone.now(), tick=False)
    user = UserFactory.create()
    for _ in range(5):
        client.post(LOGIN, {"email": user.email, "password": "wrong-password"})
        time_machine.shift(timedelta(minutes=1))
    checked = len(failed_attempts)

    # when the right password comes next
    response = client.post(LOGIN, {"email": user.email.upper(), "password": PASSWORD})

    # then it is refused without checking the password, and the address stays in the form
    assert response.status_code == 429
    assert signed_in_id(client) is None
    assert len(failed_attempts) == checked
    assert f'value="{user.email.upper()}"' in response.content.decode()
    assert response.context["form"].non_field_errors()
    refused = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).first()
    assert refused is not None
    assert refused.details == {"reason": "rate_limited"}
    assert LoginFailure.objects.for_account(user.email).count() == 5

    # when the first failure has left the 15-minute window
    time_machine.shift(timedelta(minutes=11))
    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    # then sign-in works again and the failures are forgotten
    assert response.status_code == 302
    assert signed_in_id(client) == str(user.pk)
    assert not LoginFailure.objects.for_account(user.email).exists()


def test_the_refusal_says_how_many_minutes_to_wait(
    client: Any, limits: Any, time_machine: Any
) -> None:
    # given five failures, the first one 4 minutes ago
    time_machine.move_to(timezone.now(), tick=False)
    user = UserFactory.create()
    for _ in range(5):
        client.post(LOGIN, {"email": user.email, "password": "wrong-password"})
        time_machine.shift(timedelta(minutes=1))

    # when
    response = client.post(
        LOGIN, {"email": user.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )

    # then the first failure leaves the window in 15 - 5 = 10 minutes
    assert "Please wait 10 minutes and try again." in response.content.decode()


def test_other_accounts_are_not_limited_by_one_accounts_failures(client: Any, limits: Any) -> None:
    # given
    victim, other = UserFactory.create(), UserFactory.create()
    for _ in range(5):
        client.post(LOGIN, {"email": victim.email, "password": "wrong-password"})

    # when
    response = client.post(LOGIN, {"email": other.email, "password": PASSWORD})

    # then
    assert response.status_code == 302


def test_an_address_with_too_many_failures_is_refused_for_every_account(
    client: Any, limits: Any, time_machine: Any
) -> None:
    # given twenty failures from one address, each for a different account
    time_machine.move_to(timezone.now(), tick=False)
    user = UserFactory.create()
    for n in range(20):
        client.post(LOGIN, {"email": f"guess{n}@example.jp", "password": "wrong-password"})

    # when
    refused = client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    elsewhere = client.post(
        LOGIN, {"email": user.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
    )

    # then the address is refused, another address is not
    assert refused.status_code == 429
    assert elsewhere.status_code == 302

    # and after the window the first address may try again
    client.post(reverse("accounts:logout"))
    time_machine.shift(timedelta(minutes=16))
    assert client.post(LOGIN, {"email": user.email, "password": PASSWORD}).status_code == 302


def test_old_failures_are_pruned(client: Any, limits: Any, time_machine: Any) -> None:
    # given
    time_machine.move_to(timezone.now(), tick=False)
    client.post(LOGIN, {"email": "old@example.jp", "password": "wrong-password"})

    # when
    time_machine.shift(timedelta(minutes=20))
    client.post(LOGIN, {"email": "new@example.jp", "password": "wrong-password"})

    # then
    assert list(LoginFailure.objects.values_list("email", flat=True)) == ["new@example.jp"]


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/centers/", "/centers/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_after_sign_in_only_a_local_next_page_is_followed(
    client: Any, next_url: str, expected: str
) -> None:
    # given
    user = UserFactory.create()

    # when
    response = client.post(
        f"{LOGIN}?next=x", {"email": user.email, "password": PASSWORD, "next": next_url}
    )

    # then
    assert response.status_code == 302
    assert response.url == expected


def test_the_sign_in_page_keeps_the_next_page_in_the_form(client: Any) -> None:
    # when
    response = client.get(LOGIN, {"next": "/staff/"})

    # then
    assert '<input type="hidden" name="next" value="/staff/">' in response.content.decode()


def test_signing_out_needs_a_post(client: Any) -> None:
    # given
    user = UserFactory.create()
    client.force_login(user)

    # when
    response = client.get(LOGOUT)

    # then
    assert response.status_code == 405
    assert signed_in_id(client) == str(user.pk)


def test_signing_out_ends_the_session_and_is_audited(client: Any) -> None:
    # given
    user = UserFactory.create()
    client.force_login(user)

    # when
    response = client.post(LOGOUT, follow=True)

    # then
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert signed_in_id(client) is None
    assert [str(m) for m in response.context["messages"]]
    event = AuditEvent.objects.get(action=Action.SIGN_OUT)
    assert event.actor_id == user.pk


def test_signing_out_is_protected_against_cross_site_requests() -> None:
    # given
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    user = UserFactory.create()
    client.force_login(user)

    # when
    response = client.post(LOGOUT)

    # then
    assert response.status_code == 403
    assert client.session.get("_auth_user_id") == str(user.pk)
