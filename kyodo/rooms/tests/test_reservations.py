"""Booking rooms through the public pages, the staff pages and the API."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kyodo.accounts.models import ApiToken
from kyodo.centers.models import RecordKind, Role
from kyodo.centers.tests.factories import (
    CenterFactory,
    SharingRuleFactory,
    StaffMembershipFactory,
    UserFactory,
)
from kyodo.organizations.models import CenterRegistration, Organization
from kyodo.rooms.models import Eligibility, Referral, Reservation, ReservationStatus, Room
from kyodo.rooms.tests.factories import RoomFactory, add_division_fees, at, reserve

pytestmark = pytest.mark.usefixtures("frozen_now")

TUESDAY = datetime.date(2025, 6, 10)
# 「この時間帯はすでに予約されています。」 once the translations are compiled.
TAKEN = _("This time slot is already booked.")


def _post(day: datetime.date, start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {
        "starts_at": f"{day.isoformat()}T{start}",
        "ends_at": f"{day.isoformat()}T{end}",
        "people": 10,
        "purpose": "子育てサロンの打合せ",
        **extra,
    }


@pytest.fixture
def room(db: Any) -> Room:
    room = RoomFactory.create(
        name="集会室A", center__slug="sapporo", center__name="札幌市市民活動サポートセンター"
    )
    add_division_fees(room)
    return room


@pytest.fixture
def citizen(client: Any) -> Any:
    user = UserFactory.create()
    client.force_login(user)
    return user


@pytest.fixture
def staff(client: Any, room: Room) -> Any:
    user = UserFactory.create()
    StaffMembershipFactory.create(user=user, center=room.center, role=Role.RECEPTION)
    client.force_login(user)
    return user


def test_a_citizen_books_a_free_afternoon_and_gets_a_confirmation(
    client: Any, room: Room, citizen: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a free room open to citizens
    # when the citizen books Tuesday afternoon
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(room.get_absolute_url(), _post(TUESDAY, "13:00", "17:00"))

    # then the reservation is confirmed, priced by 区分, and a confirmation is sent
    assert response.status_code == 302
    reservation = Reservation.objects.get()
    assert reservation.status == ReservationStatus.CONFIRMED
    assert reservation.fee_yen == 1500
    assert reservation.booked_by == citizen
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [citizen.email]


def test_a_taken_slot_shows_the_already_booked_message_and_keeps_the_input(
    client: Any, room: Room, citizen: Any
) -> None:
    # given the afternoon is already booked
    reserve(room, TUESDAY, 13, 17)

    # when the citizen tries to book an overlapping slot
    response = client.post(room.get_absolute_url(), _post(TUESDAY, "15:00", "18:00"))

    # then the page says so, keeps the input and books nothing more
    assert response.status_code == 200
    assert TAKEN in response.content.decode()
    assert "子育てサロンの打合せ" in response.content.decode()
    assert Reservation.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (_post(TUESDAY, "07:00", "09:00"), "starts_at", "開館"),
        (_post(datetime.date(2025, 6, 19), "13:00", "17:00"), "starts_at", "休館"),
        (_post(datetime.date(2025, 9, 9), "13:00", "17:00"), "starts_at", "受付"),
        (_post(TUESDAY, "13:00", "17:00", people=31), "people", "30"),
        (_post(TUESDAY, "17:00", "13:00"), "ends_at", "終了"),
        (_post(datetime.date(2025, 6, 2), "10:30", "12:00"), "starts_at", "時間前"),
    ],
    ids=[
        "outside-hours",
        "inspection-day",
        "outside-window",
        "over-capacity",
        "end-before-start",
        "too-late",
    ],
)
def test_bad_input_gets_a_clear_message_on_the_field_and_books_nothing(
    client: Any, room: Room, citizen: Any, data: dict[str, Any], field: str, message: str
) -> None:
    # when the citizen sends input the room's rules refuse
    response = client.post(room.get_absolute_url(), data)

    # then the field says why, and nothing is booked
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert Reservation.objects.count() == 0


def test_a_group_room_cannot_be_booked_by_a_citizen_online(
    client: Any, room: Room, citizen: Any
) -> None:
    # given a room for registered groups
    Room.objects.filter(pk=room.pk).update(eligibility=Eligibility.REGISTERED_GROUPS)

    # when a citizen posts a booking anyway
    response = client.post(room.get_absolute_url(), _post(TUESDAY, "13:00", "17:00"))

    # then it is refused
    assert response.status_code == 200
    assert Reservation.objects.count() == 0


def test_booking_the_whole_blocks_the_parts_and_the_reverse(
    client: Any, room: Room, citizen: Any
) -> None:
    # given 集会室A・B made of A and B, with B booked in the afternoon
    part_b = RoomFactory.create(center=room.center, name="集会室B")
    whole = RoomFactory.create(center=room.center, name="集会室A・B", capacity=54)
    whole.parts.set([room, part_b])
    reserve(part_b, TUESDAY, 13, 17)

    # when the whole is booked for the afternoon, and A for the morning
    taken = client.post(whole.get_absolute_url(), _post(TUESDAY, "13:00", "17:00"))
    free = client.post(room.get_absolute_url(), _post(TUESDAY, "09:00", "12:00"))

    # then the whole is refused, the part is booked; and now the whole is blocked in the morning
    assert TAKEN in taken.content.decode()
    assert free.status_code == 302
    blocked = client.post(whole.get_absolute_url(), _post(TUESDAY, "10:00", "11:00"))
    assert TAKEN in blocked.content.decode()
    assert Reservation.objects.count() == 2


def test_the_room_page_grid_says_free_booked_and_closed_in_words(
    client: Any, room: Room, django_assert_max_num_queries: Any
) -> None:
    # given a booking on Tuesday afternoon
    reserve(room, TUESDAY, 13, 17)

    # when anyone opens the room page for that week
    with django_assert_max_num_queries(12):
        response = client.get(room.get_absolute_url(), {"start": "2025-06-09"})

    # then the grid's cells say 空き, 予約済み and (Sunday evening) 休館
    body = response.content.decode()
    assert response.status_code == 200
    assert _("Free") in body and _("Booked") in body and _("Closed") in body


def test_staff_book_by_phone_for_a_registered_group(
    client: Any, room: Room, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a room for registered groups and a group registered at the center
    Room.objects.filter(pk=room.pk).update(eligibility=Eligibility.REGISTERED_GROUPS)
    group = Organization.objects.create(name="NPO法人さっぽろ子育てネット")
    CenterRegistration.objects.create(organization=group, center=room.center)
    url = reverse("rooms_staff:book", kwargs={"slug": room.center.slug, "room_id": room.pk})

    # when the receptionist books the evening on its behalf
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            _post(
                TUESDAY,
                "18:00",
                "21:00",
                organization=group.pk,
                contact_email="kosodate@example.jp",
            ),
        )

    # then the reservation is the group's, and the group is told
    assert response.status_code == 302, response.context["form"].errors
    reservation = Reservation.objects.get()
    assert reservation.organization == group
    assert reservation.booked_by == staff
    assert reservation.fee_yen == 1800
    assert mail.outbox[0].to == ["kosodate@example.jp"]


def test_staff_cannot_book_for_a_group_not_registered_at_the_center(
    client: Any, room: Room, staff: Any
) -> None:
    Room.objects.filter(pk=room.pk).update(eligibility=Eligibility.REGISTERED_GROUPS)
    group = Organization.objects.create(name="任意団体 未登録の会")
    url = reverse("rooms_staff:book", kwargs={"slug": room.center.slug, "room_id": room.pk})

    response = client.post(url, _post(TUESDAY, "18:00", "21:00", organization=group.pk))

    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert Reservation.objects.count() == 0


def test_staff_of_another_center_cannot_open_the_booking_page(client: Any, room: Room) -> None:
    other = UserFactory.create()
    StaffMembershipFactory.create(user=other, center=CenterFactory.create(), role=Role.CENTER_ADMIN)
    client.force_login(other)

    response = client.get(reverse("rooms_staff:grid", kwargs={"slug": room.center.slug}))

    assert response.status_code == 403


def test_a_series_crossing_the_new_year_books_nothing_and_lists_the_dates(
    client: Any, room: Room, staff: Any
) -> None:
    # given a weekly series over 年末年始 (the room is closed 29 Dec – 3 Jan)
    url = reverse("rooms_staff:series", kwargs={"slug": room.center.slug, "room_id": room.pk})
    data = {
        "recurrence": "毎週火曜日 13:00～16:00",
        "starts_on": "2025-12-01",
        "until_on": "2026-01-31",
        "people": 12,
        "purpose": "手話サークル",
        "on_behalf_of_name": "手話サークルこだま 山田",
    }

    # when staff book it
    response = client.post(url, {**data, "book": "1"})

    # then nothing is booked and 30 December is named
    assert response.status_code == 200
    assert Reservation.objects.count() == 0
    errors = " ".join(response.context["form"].errors["recurrence"])
    assert date_format(datetime.date(2025, 12, 30), "DATE_FORMAT") in errors


def test_a_monthly_series_is_booked_all_at_once_and_cancelled_as_a_whole(
    client: Any, room: Room, staff: Any
) -> None:
    # given the recurrence 毎月第2火曜日 13:00～16:00 until the end of the year
    url = reverse("rooms_staff:series", kwargs={"slug": room.center.slug, "room_id": room.pk})
    data = {
        "recurrence": "毎月第2火曜日 13:00～16:00",
        "starts_on": "2025-06-03",
        "until_on": "2025-11-30",
        "people": 12,
        "purpose": "定例会",
        "on_behalf_of_name": "町内会 佐々木",
    }

    # when staff preview, then book
    preview = client.post(url, {**data, "preview": "1"})
    booked = client.post(url, {**data, "book": "1"})

    # then six dates are shown, then booked; cancelling the series cancels them all
    assert len(preview.context["slots"]) == 6
    assert booked.status_code == 302
    assert Reservation.objects.filter(status=ReservationStatus.CONFIRMED).count() == 6
    series = Reservation.objects.get(starts_at__date="2025-06-10").series
    assert series is not None
    client.post(
        reverse(
            "rooms_staff:series_detail", kwargs={"slug": room.center.slug, "series_id": series.pk}
        ),
        {"operation": "cancel-series"},
    )
    assert Reservation.objects.filter(status=ReservationStatus.CANCELLED).count() == 6


def test_a_request_needing_approval_holds_the_slot_until_denied(
    client: Any, room: Room, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a room needing approval and a citizen's request
    Room.objects.filter(pk=room.pk).update(requires_approval=True)
    room.refresh_from_db()
    requested = reserve(
        room, TUESDAY, 13, 17, status=ReservationStatus.REQUESTED, contact_email="a@example.jp"
    )
    url = reverse(
        "rooms_staff:reservation", kwargs={"slug": room.center.slug, "reservation_id": requested.pk}
    )

    # when staff deny it
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"operation": "deny", "note": "施設点検のため"})

    # then it is denied and the person is told why
    requested.refresh_from_db()
    assert requested.status == ReservationStatus.DENIED
    assert "施設点検のため" in mail.outbox[0].body


def test_staff_grid_lists_every_room_in_a_few_queries(
    client: Any, room: Room, staff: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        other = RoomFactory.create(center=room.center, name=f"会議室{n}")
        reserve(other, TUESDAY, 9, 12)

    with django_assert_max_num_queries(14):
        response = client.get(
            reverse("rooms_staff:grid", kwargs={"slug": room.center.slug}), {"start": "2025-06-09"}
        )

    assert response.status_code == 200
    assert "会議室4" in response.content.decode()


def test_when_full_staff_see_partner_rooms_and_refer_in_one_step(
    client: Any, room: Room, staff: Any
) -> None:
    # given the room is taken and a partner shares its rooms for referral
    reserve(room, TUESDAY, 13, 17)
    partner = CenterFactory.create(name="札幌市産業振興センター")
    SharingRuleFactory.create(
        owner=partner, partner=room.center, kind=RecordKind.ROOMS_FOR_REFERRAL
    )
    partner_room = RoomFactory.create(center=partner, name="セミナールームA", capacity=40)
    url = reverse("rooms_staff:book", kwargs={"slug": room.center.slug, "room_id": room.pk})

    # when staff try the taken slot
    response = client.post(url, _post(TUESDAY, "13:00", "17:00", on_behalf_of_name="山田 花子"))

    # then the partner's free room is offered, and referring records it
    assert response.context["alternatives"] == [partner_room]
    client.post(
        reverse("rooms_staff:refer", kwargs={"slug": room.center.slug}),
        {
            "referral-room": partner_room.pk,
            "referral-starts_at": "2025-06-10T13:00",
            "referral-ends_at": "2025-06-10T17:00",
            "referral-people": 10,
            "referral-person_name": "山田 花子",
        },
    )
    referral = Referral.objects.get()
    assert referral.to_center == partner
    assert referral.from_center == room.center


def test_the_occupancy_report_and_its_csv(client: Any, room: Room, staff: Any) -> None:
    reserve(room, TUESDAY, 13, 17)

    page = client.get(
        reverse("rooms_staff:occupancy", kwargs={"slug": room.center.slug}), {"year": 2025}
    )
    csv = client.get(
        reverse("rooms_staff:occupancy_csv", kwargs={"slug": room.center.slug}), {"year": 2025}
    )

    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert csv.content.startswith("\ufeff".encode())
    assert "集会室A" in csv.content.decode("utf-8-sig")


def test_reminders_go_out_once_for_tomorrow(
    room: Room, django_capture_on_commit_callbacks: Any
) -> None:
    reserve(room, datetime.date(2025, 6, 3), 13, 17, contact_email="kodama@example.jp")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_room_reminders")
        call_command("send_room_reminders")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kodama@example.jp"]


# --- API ---------------------------------------------------------------------------------


def test_the_api_books_then_answers_409_for_the_same_slot(
    client: Any, room: Room, citizen: Any
) -> None:
    key = _token_for(citizen)
    body = {
        "room": room.pk,
        "starts_at": "2025-06-10T13:00:00+09:00",
        "ends_at": "2025-06-10T17:00:00+09:00",
        "purpose": "勉強会",
        "people": 8,
    }
    headers = {"Authorization": f"Bearer {key}"}

    first = client.post(
        "/api/v1/reservations", body, content_type="application/json", headers=headers
    )
    second = client.post(
        "/api/v1/reservations", body, content_type="application/json", headers=headers
    )
    invalid = client.post(
        "/api/v1/reservations",
        {**body, "people": 99},
        content_type="application/json",
        headers=headers,
    )

    assert first.status_code == 201, first.json()
    assert first.json()["fee_yen"] == 1500
    assert second.status_code == 409
    assert second.json()["detail"] == TAKEN
    assert invalid.status_code == 422
    assert "people" in invalid.json()["errors"]
    cancel = client.post(f"/api/v1/reservations/{first.json()['id']}/cancel", headers=headers)
    assert cancel.json()["status"] == "cancelled"


def test_the_api_finds_free_rooms_across_the_network(
    client: Any, room: Room, django_assert_max_num_queries: Any
) -> None:
    other = RoomFactory.create(name="和室", capacity=18)
    reserve(room, TUESDAY, 13, 17)

    with django_assert_max_num_queries(8):
        response = client.get(
            "/api/v1/rooms",
            {
                "available_from": "2025-06-10T14:00:00+09:00",
                "available_to": "2025-06-10T17:00:00+09:00",
            },
        )
    availability = client.get(
        f"/api/v1/rooms/{room.pk}/availability", {"from": "2025-06-10", "to": "2025-06-10"}
    )

    assert [r["id"] for r in response.json()["results"]] == [other.pk]
    states = {s["starts_at"][11:16]: s["state"] for s in availability.json()["slots"]}
    assert states["13:00"] == "booked" and states["09:00"] == "free"


def _token_for(user: Any) -> str:
    _, key = ApiToken.issue(user=user, name="rooms test")
    return key


def test_at_helper_is_in_tokyo() -> None:
    assert at(TUESDAY, 13).utcoffset() == datetime.timedelta(hours=9)
