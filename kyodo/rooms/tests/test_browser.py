"""The rooms pages in a browser: every page passes axe-core (WCAG 2.1 AA), booking works
with the keyboard alone, and the availability grid fits a 360px phone.

The demo data is loaded as ``loaddemo`` loads it; people sign in through the sign-in
form. Times are real (the live server does not share a frozen clock), so slots are
chosen from today: 12:00–13:00 on a weekday, which the demo bookings never use.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from kyodo.centers.demo.hokkaido import CITY
from kyodo.centers.demo.people import DEMO_PASSWORD
from kyodo.centers.models import Center
from kyodo.rooms.availability import fits_opening_hours
from kyodo.rooms.models import Referral, Reservation, ReservationStatus, Room
from tests.browser.plugin import assert_accessible, sign_in

pytestmark = pytest.mark.browser

# Until the lead merges locale/parts/rooms.json, the rooms strings may show in English.
BOOK = re.compile(r"^(予約する|Book)$")
SAVE = re.compile(r"^(保存する|Save)$")
VOCATIONAL = "hokkaido-vocational"  # 研修室1: citizens may book, Monday to Friday 9–17


def _demo() -> None:
    call_command("loaddemo", verbosity=0)


def _room(slug: str, name: str) -> Room:
    return Room.objects.get(center__slug=slug, name=name)


def _free_noon(room: Room, after_days: int = 3) -> datetime.date:
    """The first open day at least ``after_days`` ahead with 12:00–13:00 free."""
    day = timezone.localdate() + datetime.timedelta(days=after_days)
    for _ in range(40):
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        end = start + datetime.timedelta(hours=1)
        taken = (
            Reservation.objects.active()
            .of_rooms(room.related_room_ids())
            .overlapping(start, end)
            .exists()
        )
        if fits_opening_hours(room, start, end) and not taken:
            return day
        day += datetime.timedelta(days=1)
    raise AssertionError("no free noon within 40 days")


def _type_datetime(page: Any, value: datetime.datetime) -> None:
    """Type into the focused datetime-local control, segment by segment, as a person
    does. Debian's headless Chromium draws the control in its UI locale (en-US:
    mm/dd/yyyy, hh:mm AM/PM) whatever the page's language; the test checks the value."""
    page.keyboard.type(f"{value:%m%d%Y}")
    page.keyboard.press("Tab")
    page.keyboard.type(f"{value:%I%M}")
    page.keyboard.type("P" if value.hour >= 12 else "A")


def _tab_out(page: Any) -> None:
    """Tab past the last segment of the focused control to the next field."""
    current = page.evaluate("document.activeElement.id")
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") != current:
            return
    pytest.fail(f"Tab did not leave #{current}")


def _no_page_overflow(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_the_public_pages_and_booking_with_errors_are_accessible(
    page: Any, transactional_db: None
) -> None:
    # given the demo network and a citizen
    _demo()
    room = _room(VOCATIONAL, "研修室1")
    day = _free_noon(room)

    # then the room list, a center's rooms and the room page with its grid pass axe
    for path in ["/rooms/", f"/rooms/centers/{VOCATIONAL}/", f"/rooms/centers/{CITY}/"]:
        assert page.goto(path).status == 200
        assert_accessible(page)
    assert page.goto(f"/rooms/{room.pk}/?start={day:%Y-%m-%d}").status == 200
    assert page.get_by_role("table").first.is_visible()
    assert_accessible(page)

    # when the citizen signs in and sends the form empty
    sign_in(page, "citizen@demo.kyodo.example", DEMO_PASSWORD)
    page.goto(f"/rooms/{room.pk}/")
    page.get_by_role("button", name=BOOK).click()

    # then the errors are shown, tied to their fields, and still accessible
    assert page.locator(".form-errors").is_visible()
    assert page.locator("[aria-invalid='true']").count() >= 3
    assert_accessible(page)

    # when the citizen books noon, then the reservation is listed on "my reservations"
    page.locator("#id_starts_at").fill(f"{day:%Y-%m-%d}T12:00")
    page.locator("#id_ends_at").fill(f"{day:%Y-%m-%d}T13:00")
    page.locator("#id_people").fill("6")
    page.locator("#id_purpose").fill("子育てサロンの打合せ")
    page.get_by_role("button", name=BOOK).click()
    page.wait_for_url(re.compile(r"/rooms/mine/$"))
    assert page.get_by_role("cell", name=re.compile("研修室1")).is_visible()
    assert_accessible(page)
    assert Reservation.objects.filter(room=room, purpose="子育てサロンの打合せ").exists()


def test_a_citizen_books_a_room_with_the_keyboard_only(page: Any, transactional_db: None) -> None:
    # given a signed-in citizen on the room page
    _demo()
    room = _room(VOCATIONAL, "研修室1")
    day = _free_noon(room, after_days=5)
    sign_in(page, "citizen@demo.kyodo.example", DEMO_PASSWORD)
    page.goto(f"/rooms/{room.pk}/")

    # when they Tab to the first field of the form and type each value
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_starts_at":
            break
    else:
        pytest.fail("Tab never reached the booking form")
    for hour in (12, 13):
        _type_datetime(page, datetime.datetime.combine(day, datetime.time(hour)))
        _tab_out(page)
    page.keyboard.type("6")
    page.keyboard.press("Tab")
    page.keyboard.type("手話サークルの練習")
    values = [page.locator(f"#id_{name}").input_value() for name in ("starts_at", "ends_at")]
    assert values == [f"{day:%Y-%m-%d}T12:00", f"{day:%Y-%m-%d}T13:00"]
    page.keyboard.press("Enter")

    # then the room is booked
    page.wait_for_url(re.compile(r"/rooms/mine/$"))
    booked = Reservation.objects.get(purpose="手話サークルの練習")
    assert timezone.localtime(booked.starts_at).time() == datetime.time(12)
    assert timezone.localtime(booked.ends_at).date() == day


def test_the_grid_scrolls_inside_its_wrapper_on_a_phone(
    phone_page: Any, transactional_db: None
) -> None:
    # given the demo network
    _demo()
    room = _room("yokohama-kyodo", "スペースA・B")

    # when a visitor opens a room page at 360px
    phone_page.goto(f"/rooms/{room.pk}/")

    # then the grid scrolls inside its .table-wrapper and the page itself does not
    wrapper = phone_page.locator("#room-grid")
    assert wrapper.evaluate("el => el.scrollWidth > el.clientWidth")
    assert wrapper.evaluate("el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)")
    assert _no_page_overflow(phone_page)
    assert_accessible(phone_page)


def test_the_staff_pages_of_rooms_are_accessible_and_work(
    page: Any, phone_page: Any, transactional_db: None
) -> None:
    # given the demo network, a referral and a request waiting for approval
    _demo()
    room = _room(VOCATIONAL, "研修室1")
    center = Center.objects.get(slug=VOCATIONAL)
    day = _free_noon(room)
    space = _room("yokohama-kyodo", "スペースA")
    request_day = _free_noon(space, after_days=8)
    requested = Reservation.objects.create(
        room=space,
        starts_at=timezone.make_aware(datetime.datetime.combine(request_day, datetime.time(12))),
        ends_at=timezone.make_aware(datetime.datetime.combine(request_day, datetime.time(13))),
        on_behalf_of_name="よこはま朗読の会",
        purpose="朗読会の準備",
        people=10,
        status=ReservationStatus.REQUESTED,
    )
    denied = Reservation.objects.create(
        room=space,
        starts_at=requested.starts_at + datetime.timedelta(days=1),
        ends_at=requested.ends_at + datetime.timedelta(days=1),
        on_behalf_of_name="港南子ども会",
        purpose="打合せ",
        people=8,
        status=ReservationStatus.REQUESTED,
    )
    partner_room = _room("sapporo-industry", "会議室2")
    Referral.objects.create(
        from_center=center,
        to_center=partner_room.center,
        room=partner_room,
        starts_at=requested.starts_at,
        ends_at=requested.ends_at,
        person_name="山田 花子",
        people=6,
    )
    sign_in(page, "network@demo.kyodo.example", DEMO_PASSWORD)
    base = f"/staff/rooms/centers/{VOCATIONAL}"

    # then the week grid, the rooms, the room with its fee table, occupancy and referrals
    for path in [
        f"{base}/",
        f"{base}/rooms/",
        f"{base}/rooms/{room.pk}/",
        f"{base}/occupancy/",
        f"{base}/referrals/",
        "/staff/rooms/centers/yokohama-kyodo/",
    ]:
        assert page.goto(path).status == 200, path
        assert_accessible(page)
    page.goto(f"{base}/occupancy/")
    assert page.get_by_role("img", name=re.compile("稼働率|Occupancy")).is_visible()

    # when staff record the outcome of the referral
    page.goto(f"{base}/referrals/")
    page.locator("select[name$='-outcome']").first.select_option("booked")
    page.get_by_role("button", name=SAVE).first.click()
    assert page.locator(".messages").is_visible()
    assert_accessible(page)
    assert Referral.objects.get().outcome == "booked"

    # when staff book on behalf of a caller, first with errors, then right
    page.goto(f"{base}/rooms/{room.pk}/book/")
    assert_accessible(page)
    page.get_by_role("button", name=BOOK).click()
    assert page.locator(".form-errors").is_visible()
    assert_accessible(page)
    page.locator("#id_starts_at").fill(f"{day:%Y-%m-%d}T12:00")
    page.locator("#id_ends_at").fill(f"{day:%Y-%m-%d}T13:00")
    page.locator("#id_people").fill("4")
    page.locator("#id_purpose").fill("理事会")
    page.locator("#id_on_behalf_of_name").fill("NPO法人みどりの会 佐々木")
    page.locator("#id_on_behalf_of_phone").fill("011-222-3333")
    page.get_by_role("button", name=BOOK).click()
    page.wait_for_url(re.compile(r"/reservations/\d+/$"))
    assert_accessible(page)
    assert Reservation.objects.filter(room=room, purpose="理事会").exists()

    # when staff preview a series of Wednesdays at noon
    page.goto(f"{base}/rooms/{room.pk}/series/")
    assert_accessible(page)
    first = timezone.localdate() + datetime.timedelta(days=14)
    while (first.month, first.day) >= (12, 20) or (first.month, first.day) <= (1, 5):
        first += datetime.timedelta(days=7)  # two weeks clear of 年末年始
    page.locator("#id_recurrence").fill("毎週水曜日 12:00～13:00")
    page.locator("#id_starts_on").fill(f"{first:%Y-%m-%d}")
    page.locator("#id_until_on").fill(f"{first + datetime.timedelta(days=13):%Y-%m-%d}")
    page.locator("#id_people").fill("8")
    page.locator("#id_purpose").fill("就職支援講座")
    page.locator("#id_on_behalf_of_name").fill("北海道就労支援ネット")
    page.get_by_role("button", name=re.compile(r"^(日程を確認する|Preview the dates)$")).click()
    assert page.locator("#preview-heading").is_visible()
    assert_accessible(page)

    # then booking it leads to the series page, which is accessible with its forms
    page.get_by_role("button", name=re.compile(r"^(すべての日を予約する|Book every date)$")).click()
    page.wait_for_url(re.compile(r"/series/\d+/$"))
    assert_accessible(page)

    # when staff approve one request and deny the other
    ybase = "/staff/rooms/centers/yokohama-kyodo"
    page.goto(f"{ybase}/reservations/{requested.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^(承認する|Approve)$")).click()
    assert_accessible(page)
    page.goto(f"{ybase}/reservations/{denied.pk}/")
    page.locator("#id_note").fill("当日は館内点検のため利用できません。")
    page.get_by_role("button", name=re.compile(r"^(不承認にする|Deny)$")).click()
    assert_accessible(page)
    requested.refresh_from_db()
    denied.refresh_from_db()
    assert (requested.status, denied.status) == ("confirmed", "denied")

    # and the staff week grid fits a phone, scrolling inside its wrapper
    sign_in(phone_page, "network@demo.kyodo.example", DEMO_PASSWORD)
    phone_page.goto(f"{ybase}/")
    assert phone_page.locator(".table-wrapper").first.evaluate(
        "el => el.scrollWidth > el.clientWidth"
    )
    assert _no_page_overflow(phone_page)
