"""The calendar, the event page, registration and the staff form in a real browser, each
checked with axe-core; registration by keyboard only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kyodo.centers.models import Role
from kyodo.centers.tests.factories import PASSWORD, CenterFactory, StaffMembershipFactory
from kyodo.events.models import Registration
from kyodo.events.tests.factories import EventFactory, QuestionFactory, TopicFactory
from tests.browser.plugin import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def frozen_time() -> None:
    """The live server runs in another thread: no frozen time here (dates are relative)."""
    return None


@pytest.fixture
def course() -> Any:
    center = CenterFactory.create(
        slug="sapporo",
        name="札幌市市民活動サポートセンター",
        name_kana="サッポロシシミンカツドウサポートセンター",
    )
    today = timezone.localdate()
    TopicFactory.create(name="子育て")
    event = EventFactory.create(
        center=center,
        dates=[
            (today + datetime.timedelta(days=3), "13:00", "15:00"),
            (today + datetime.timedelta(days=10), "13:00", "15:00"),
        ],
    )
    QuestionFactory.create(event=event)
    EventFactory.create(
        center=center,
        title="子育てサロン",
        audiences=["parents"],
        topics=["子育て"],
        dates=[today + datetime.timedelta(days=4)],
    )
    return event


def test_the_month_view_is_accessible(page: Any, course: Any) -> None:
    page.goto("/events/month/")
    assert page.locator("table caption").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name=course.title).first.click()
    page.wait_for_url(f"**/events/{course.pk}/")
    assert_accessible(page)


def test_the_list_view_with_filters_is_accessible(page: Any, course: Any) -> None:
    page.goto("/events/")
    assert_accessible(page)
    page.select_option("#id_audience", "parents")
    page.locator(".filters button[type=submit]").click()
    # htmx swaps the results in after its request: wait for the swap, not for the
    # network ("networkidle" is already reached before the request starts).
    results = page.locator("#event-results")
    expect(results).not_to_contain_text(course.title)
    expect(results).to_contain_text("子育てサロン")
    assert_accessible(page)


def test_the_registration_form_with_errors_is_accessible(page: Any, course: Any) -> None:
    page.goto(f"/events/{course.pk}/register/")
    assert_accessible(page)
    page.fill("#id_email", "not-an-address")
    page.locator("form .form-actions button").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".form-errors").count() == 1
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    assert_accessible(page)


def test_a_person_registers_with_the_keyboard_only(page: Any, course: Any) -> None:
    # given the registration form
    page.goto(f"/events/{course.pk}/register/")
    # when they move with Tab and type, and send with Enter
    page.focus("#id_name")
    page.keyboard.type("札幌 花子")
    page.keyboard.press("Tab")
    page.keyboard.type("サッポロ ハナコ")
    page.keyboard.press("Tab")
    page.keyboard.type("hanako@example.jp")
    page.keyboard.press("Tab")
    page.keyboard.type("090-1234-5678")
    page.keyboard.press("Tab")
    page.keyboard.type("NPO法人さっぽろ子ども食堂")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the consent checkbox
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/events/{course.pk}/")
    # then
    registration = Registration.objects.get()
    assert registration.email == "hanako@example.jp"
    assert registration.answers == {"所属団体名": "NPO法人さっぽろ子ども食堂"}
    assert registration.consent_to_history


def test_the_staff_form_shows_the_schedule_preview_and_is_accessible(
    page: Any, course: Any
) -> None:
    staff = StaffMembershipFactory.create(center=course.center, role=Role.COORDINATOR).user
    sign_in(page, staff.email, PASSWORD)
    page.goto("/staff/events/new/")
    page.fill("#id_schedule_text", "第1~3火曜13時~16時(相談時間1回25分)")
    page.wait_for_selector("#schedule-preview mark")
    assert "123Tu" in page.locator("#schedule-preview").inner_text()
    assert_accessible(page)
    page.fill("#id_title", "法律相談")
    page.locator("form .form-actions button").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_schedule_text").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
