from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from kyodo.accounts.models import User
from kyodo.accounts.tests.factories import PASSWORD, UserFactory
from kyodo.accounts.tests.links import link_in
from tests.browser.plugin import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def tab_to(page: Any, element_id: str, limit: int = 60) -> None:
    """Press Tab until the element with ``element_id`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    pytest.fail(f"#{element_id} cannot be reached with the Tab key")


def test_the_sign_in_page_is_accessible_also_with_errors(page: Any) -> None:
    # given
    page.goto("/accounts/login/")
    assert_accessible(page)

    # when an empty form is sent
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()

    # then the errors are shown and the page is still accessible
    assert page.locator(".form-errors").is_visible()
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    assert_accessible(page)


def test_the_sign_up_page_is_accessible_also_with_errors(page: Any) -> None:
    # given
    page.goto("/accounts/signup/")
    assert_accessible(page)

    # when an empty form is sent
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # then
    assert page.locator(".form-errors").is_visible()
    assert page.locator("#id_display_name").get_attribute("aria-invalid") == "true"
    assert_accessible(page)


def test_the_other_account_pages_are_accessible(page: Any) -> None:
    # given
    user = UserFactory.create()
    for path in (
        "/accounts/signup/sent/",
        "/accounts/verify/again/",
        "/accounts/verify/not-a-token/",
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        "/accounts/password/reset/done/",
    ):
        # when
        page.goto(path)

        # then
        assert_accessible(page)

    # and the profile and password change pages of a signed-in person
    sign_in(page, user.email, PASSWORD)
    for path in ("/accounts/profile/", "/accounts/password/change/"):
        page.goto(path)
        assert_accessible(page)


def test_a_person_signs_up_and_signs_in_with_the_keyboard_only(page: Any) -> None:
    # given
    page.goto("/accounts/signup/")

    # when they fill in the form with Tab, typing and Space, and send it with Enter
    tab_to(page, "id_display_name")
    page.keyboard.type("佐藤 花子")
    page.keyboard.press("Tab")
    page.keyboard.type("サトウ ハナコ")
    page.keyboard.press("Tab")
    page.keyboard.type("hanako.sato@example.jp")
    page.keyboard.press("Tab")
    page.keyboard.type("hokkaido-npo-2026")
    page.keyboard.press("Tab")
    page.keyboard.type("hokkaido-npo-2026")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/signup/sent/")

    # then the account exists and a confirmation mail went out
    assert User.objects.filter(email="hanako.sato@example.jp").exists()
    assert len(mail.outbox) == 1

    # when they open the link and sign in with the keyboard
    page.goto(link_in(mail.outbox[0]))
    page.wait_for_url("**/accounts/login/")
    tab_to(page, "id_email")
    page.keyboard.type("hanako.sato@example.jp")
    page.keyboard.press("Tab")
    page.keyboard.type("hokkaido-npo-2026")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/" not in url)

    # then they are signed in
    page.goto("/accounts/profile/")
    assert page.locator("#id_display_name").input_value() == "佐藤 花子"
