from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kyodo.accounts.models import LoginFailure
from kyodo.accounts.tests.factories import PASSWORD, UserFactory
from kyodo.accounts.tests.links import link_in
from kyodo.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "sapporo-shimin-2026"


@pytest.fixture
def ask_for_reset(client: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def post(email: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email})

    return post


def choose_new_password(client: Any, link: str, password: str = NEW_PASSWORD) -> Any:
    """Open the link (which moves the token into the session) and send the form."""
    form_page = client.get(link)
    assert form_page.status_code == 302
    return client.post(
        form_page.url, {"new_password1": password, "new_password2": password}, follow=True
    )


def test_a_person_resets_the_password_by_mail_and_signs_in_with_the_new_one(
    client: Any, ask_for_reset: Any, mailoutbox: list[Any]
) -> None:
    # given
    user = UserFactory.create(email="keiko.tanaka@example.jp")

    # when
    response = ask_for_reset("Keiko.Tanaka@example.jp")

    # then a mail with a one-use link goes out
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert mailoutbox[0].alternatives[0][1] == "text/html"
    link = link_in(mailoutbox[0])

    # when they follow it and choose a new password
    response = choose_new_password(client, link)

    # then the password is changed, the change audited, and only the new one works
    assert response.redirect_chain[-1] == (reverse("accounts:password_reset_complete"), 302)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(user.pk), details={"change": "password_reset"}
    ).exists()
    assert client.post(LOGIN, {"email": user.email, "password": PASSWORD}).status_code == 200
    assert client.post(LOGIN, {"email": user.email, "password": NEW_PASSWORD}).status_code == 302

    # and the link cannot be used a second time
    client.post(reverse("accounts:logout"))
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    ask_for_reset: Any, mailoutbox: list[Any]
) -> None:
    # given
    UserFactory.create()

    # when
    response = ask_for_reset("nobody@example.jp")

    # then
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_a_deactivated_account_gets_no_reset_mail(
    ask_for_reset: Any, mailoutbox: list[Any]
) -> None:
    # given
    user = UserFactory.create(is_active=False)

    # when
    ask_for_reset(user.email)

    # then
    assert mailoutbox == []


def test_a_reset_confirms_the_address_and_lifts_the_sign_in_limit(
    client: Any, ask_for_reset: Any, mailoutbox: list[Any], settings: Any
) -> None:
    # given an account created by an operator, without a password, locked by failures
    settings.KYODO_LOGIN_FAILURES_PER_ACCOUNT = 5
    user = UserFactory.create(email_verified_at=None, password=None)
    for _ in range(5):
        client.post(LOGIN, {"email": user.email, "password": "guess-guess-guess"})

    # when
    ask_for_reset(user.email)
    choose_new_password(client, link_in(mailoutbox[0]))

    # then
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert not LoginFailure.objects.for_account(user.email).exists()
    assert client.post(LOGIN, {"email": user.email, "password": NEW_PASSWORD}).status_code == 302


def test_a_reset_link_expires_after_a_day(
    client: Any, ask_for_reset: Any, mailoutbox: list[Any], time_machine: Any
) -> None:
    # given
    time_machine.move_to(timezone.now(), tick=False)
    user = UserFactory.create()
    ask_for_reset(user.email)

    # when
    time_machine.shift(timedelta(days=1, minutes=1))
    response = client.get(link_in(mailoutbox[0]))

    # then
    assert response.status_code == 200
    assert response.context["validlink"] is False
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_weak_new_password_is_refused_with_a_field_error(
    client: Any, ask_for_reset: Any, mailoutbox: list[Any]
) -> None:
    # given
    user = UserFactory.create()
    ask_for_reset(user.email)

    # when
    response = choose_new_password(client, link_in(mailoutbox[0]), password="1234")

    # then
    assert response.status_code == 200
    assert "new_password1" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_reset_form_answers_an_invalid_address_with_a_field_error(client: Any) -> None:
    # when
    response = client.post(RESET, {"email": "keiko@"})

    # then
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert 'value="keiko@"' in response.content.decode()


def test_a_signed_in_person_changes_the_password_and_stays_signed_in(client: Any) -> None:
    # given
    user = UserFactory.create()
    client.force_login(user)

    # when
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    # then
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, actor_id=user.pk, details={"change": "password"}
    ).exists()


def test_changing_the_password_needs_the_current_one(client: Any) -> None:
    # given
    user = UserFactory.create()
    client.force_login(user)

    # when
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    # then
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_the_password_needs_sign_in(client: Any) -> None:
    # when
    response = client.get(reverse("accounts:password_change"))

    # then
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
