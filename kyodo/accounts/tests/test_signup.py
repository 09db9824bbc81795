from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kyodo.accounts.models import User
from kyodo.accounts.tests.factories import UserFactory
from kyodo.accounts.tests.links import link_in, links_in

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")
LOGIN = reverse("accounts:login")
NEW_PASSWORD = "hokkaido-npo-2026"


def signup_data(**overrides: str) -> dict[str, str]:
    return {
        "display_name": "佐藤 花子",
        "name_kana": "サトウ ハナコ",
        "email": "Hanako.Sato@example.jp",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "accept_privacy": "on",
        **overrides,
    }


@pytest.fixture
def sign_up(client: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def post(**overrides: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SIGNUP, signup_data(**overrides))

    return post


def test_a_person_signs_up_confirms_the_address_and_then_signs_in(
    client: Any, sign_up: Any, mailoutbox: list[Any]
) -> None:
    # given a new sign-up
    response = sign_up()
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    user = User.objects.get(email="hanako.sato@example.jp")
    assert user.display_name == "佐藤 花子"
    assert user.name_kana == "サトウ ハナコ"
    assert user.email_verified_at is None
    assert user.privacy_consented_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["hanako.sato@example.jp"]
    assert message.subject
    assert message.alternatives[0][1] == "text/html"

    # when they sign in before confirming, then they are told to confirm first
    response = client.post(LOGIN, {"email": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 200
    assert response.context["unverified_email"] == user.email
    assert "_auth_user_id" not in client.session

    # when they open the link in the mail
    response = client.get(link_in(message))

    # then the address is confirmed and they can sign in
    assert response.status_code == 302
    assert response.url == LOGIN
    user.refresh_from_db()
    assert user.email_verified_at is not None
    response = client.post(LOGIN, {"email": "HANAKO.SATO@example.jp", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_up_with_invalid_input_keeps_what_was_typed_and_marks_the_fields(
    client: Any, sign_up: Any, mailoutbox: list[Any]
) -> None:
    # when the passwords differ, the reading is not katakana and consent is missing
    response = sign_up(
        name_kana="さとう はなこ", password2="something-else-2026", accept_privacy=""
    )

    # then nothing is created and the form comes back with the input and the errors
    assert response.status_code == 200
    assert not User.objects.exists()
    assert mailoutbox == []
    form = response.context["form"]
    assert set(form.errors) == {"name_kana", "password2", "accept_privacy"}
    html = response.content.decode()
    assert 'value="佐藤 花子"' in html
    assert 'value="さとう はなこ"' in html
    assert 'value="Hanako.Sato@example.jp"' in html
    assert html.count('aria-invalid="true"') == 3
    assert 'aria-describedby="id_name_kana_helptext id_name_kana_error"' in html


def test_sign_up_errors_are_in_english_for_an_english_reader(client: Any) -> None:
    # when
    response = client.post(
        SIGNUP,
        signup_data(password2="something-else-2026", name_kana="Sato"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then
    html = response.content.decode()
    assert "The two passwords do not match." in html
    assert "Write the reading of your name in katakana" in html


def test_sign_up_refuses_a_weak_password_with_the_validators_messages(client: Any) -> None:
    # when
    response = client.post(
        SIGNUP, signup_data(password1="12345678", password2="12345678"), HTTP_ACCEPT_LANGUAGE="en"
    )

    # then
    assert response.status_code == 200
    assert not User.objects.exists()
    assert "This password is entirely numeric." in response.content.decode()


def test_half_width_katakana_and_full_width_spaces_in_the_reading_are_folded(
    sign_up: Any,
) -> None:
    # when
    sign_up(name_kana="ｻﾄｳ\u3000ﾊﾅｺ")

    # then
    assert User.objects.get().name_kana == "サトウ ハナコ"


def test_sign_up_with_a_taken_address_reveals_nothing_and_mails_the_owner(
    client: Any, sign_up: Any, mailoutbox: list[Any]
) -> None:
    # given
    owner = UserFactory.create(email="hanako.sato@example.jp", display_name="佐藤 花子")

    # when someone signs up with the same address, in other capitals
    response = sign_up(display_name="なりすまし", email="HANAKO.SATO@EXAMPLE.JP")

    # then the page is the one for a new account, nothing changes, and the owner is told
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    assert User.objects.count() == 1
    owner.refresh_from_db()
    assert owner.display_name == "佐藤 花子"
    assert [m.to for m in mailoutbox] == [["hanako.sato@example.jp"]]
    assert links_in(mailoutbox[0])[:2] == [LOGIN, reverse("accounts:password_reset")]


def test_sign_up_with_an_address_awaiting_confirmation_sends_a_new_link(
    client: Any, sign_up: Any, mailoutbox: list[Any]
) -> None:
    # given
    waiting = UserFactory.create(email="hanako.sato@example.jp", email_verified_at=None)

    # when
    sign_up()

    # then
    assert User.objects.count() == 1
    assert len(mailoutbox) == 1
    client.get(link_in(mailoutbox[0]))
    waiting.refresh_from_db()
    assert waiting.email_verified_at is not None


def test_a_confirmation_link_expires_after_three_days(
    client: Any, sign_up: Any, mailoutbox: list[Any], time_machine: Any
) -> None:
    # given
    time_machine.move_to(timezone.now(), tick=False)
    sign_up()
    link = link_in(mailoutbox[0])

    # when
    time_machine.shift(timedelta(days=3, minutes=1))
    response = client.get(link)

    # then
    assert response.status_code == 400
    assert response.context["expired"] is True
    assert "form" in response.context
    assert User.objects.get().email_verified_at is None


def test_a_confirmation_link_still_works_just_before_three_days(
    client: Any, sign_up: Any, mailoutbox: list[Any], time_machine: Any
) -> None:
    # given
    time_machine.move_to(timezone.now(), tick=False)
    sign_up()

    # when
    time_machine.shift(timedelta(days=2, hours=23))
    response = client.get(link_in(mailoutbox[0]))

    # then
    assert response.status_code == 302
    assert User.objects.get().email_verified_at is not None


def test_a_tampered_confirmation_link_is_refused(
    client: Any, sign_up: Any, mailoutbox: list[Any]
) -> None:
    # given
    sign_up()
    link = link_in(mailoutbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    # when
    response = client.get(reverse("accounts:verify_email", args=[tampered]))
    garbage = client.get(reverse("accounts:verify_email", args=["not-a-token"]))

    # then
    assert response.status_code == 400
    assert response.context["expired"] is False
    assert garbage.status_code == 400
    assert User.objects.get().email_verified_at is None


def test_a_used_confirmation_link_cannot_be_used_again(
    client: Any, sign_up: Any, mailoutbox: list[Any]
) -> None:
    # given
    sign_up()
    link = link_in(mailoutbox[0])
    client.get(link)
    confirmed_at = User.objects.get().email_verified_at

    # when
    response = client.get(link)

    # then
    assert response.status_code == 400
    assert User.objects.get().email_verified_at == confirmed_at


def test_a_new_confirmation_link_is_sent_only_to_an_account_awaiting_one(
    client: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    # given
    waiting = UserFactory.create(email_verified_at=None)
    confirmed = UserFactory.create()
    url = reverse("accounts:resend_verification")

    # when
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        for email in (waiting.email.upper(), confirmed.email, "nobody@example.jp"):
            responses.append(client.post(url, {"email": email}))

    # then every answer is the same, and only the waiting account got a mail
    assert {r.status_code for r in responses} == {302}
    assert {r.url for r in responses} == {reverse("accounts:signup_done")}
    assert [m.to for m in mailoutbox] == [[waiting.email]]


def test_new_confirmation_links_are_sent_at_most_once_a_minute(
    client: Any,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
    time_machine: Any,
) -> None:
    # given
    time_machine.move_to(timezone.now(), tick=False)
    waiting = UserFactory.create(email_verified_at=None)
    url = reverse("accounts:resend_verification")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": waiting.email})
        client.post(url, {"email": waiting.email})
        time_machine.shift(timedelta(seconds=61))
        client.post(url, {"email": waiting.email})

    # then
    assert len(mailoutbox) == 2


def test_the_resend_form_answers_an_invalid_address_with_a_field_error(client: Any) -> None:
    # when
    response = client.post(reverse("accounts:resend_verification"), {"email": "not an address"})

    # then
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert 'value="not an address"' in response.content.decode()


def test_a_signed_in_person_opening_sign_up_goes_to_the_profile(client: Any) -> None:
    # given
    client.force_login(UserFactory.create())

    # when
    response = client.get(SIGNUP)

    # then
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")


def test_passwords_are_hashed_with_argon2(client: Any, sign_up: Any, settings: Any) -> None:
    # given the project's real hashers, not the fast one the tests use
    settings.PASSWORD_HASHERS = importlib.import_module("kyodo.settings").PASSWORD_HASHERS

    # when
    sign_up()

    # then
    user = User.objects.get()
    assert user.password.startswith("argon2")
    assert user.check_password(NEW_PASSWORD)
