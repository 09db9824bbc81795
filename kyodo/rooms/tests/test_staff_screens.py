"""The staff screens of rooms: the fee table, referral outcomes, the occupancy basis,
changing one date or the whole of a series, and combined rooms on the week grid."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from kyodo.audit.models import AuditEvent
from kyodo.centers.models import Center, RecordKind, Role
from kyodo.centers.tests.factories import (
    CenterFactory,
    SharingRuleFactory,
    StaffMembershipFactory,
    UserFactory,
)
from kyodo.rooms import actions
from kyodo.rooms.models import (
    CenterRoomSettings,
    FeeRule,
    FeeUnit,
    OccupancyBasis,
    Referral,
    ReferralOutcome,
    Reservation,
    ReservationSeries,
    ReservationStatus,
    Room,
)
from kyodo.rooms.tests.factories import RoomFactory, add_division_fees, at, reserve

pytestmark = pytest.mark.usefixtures("frozen_now")

TUESDAY = datetime.date(2025, 6, 10)
TAKEN = _("This time slot is already booked.")


@pytest.fixture
def room(db: Any) -> Room:
    room = RoomFactory.create(
        name="集会室A", center__slug="sapporo", center__name="札幌市市民活動サポートセンター"
    )
    add_division_fees(room)
    return room


def _staff(client: Any, center: Center, role: str = Role.RECEPTION) -> Any:
    user = UserFactory.create()
    StaffMembershipFactory.create(user=user, center=center, role=role)
    client.force_login(user)
    return user


@pytest.fixture
def staff(client: Any, room: Room) -> Any:
    return _staff(client, room.center)


# --- Fee table ---------------------------------------------------------------------------


def _room_post(room: Room, fees: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": room.name,
        "capacity": "30",
        "floor_area_m2": "46",
        "fee_unit": FeeUnit.DIVISION,
        "opening_hours": room.opening_hours,
        "closed_days": room.closed_days,
        "booking_opens_months": "2",
        "booking_closes_hours": "1",
        "eligibility": room.eligibility,
        "is_active": "on",
        "fees-TOTAL_FORMS": str(len(fees)),
        "fees-INITIAL_FORMS": str(sum(1 for fee in fees if fee.get("id"))),
        "fees-MIN_NUM_FORMS": "0",
        "fees-MAX_NUM_FORMS": "1000",
    }
    for n, fee in enumerate(fees):
        for key, value in fee.items():
            data[f"fees-{n}-{key}"] = value
        data[f"fees-{n}-room"] = room.pk
    return data


def _existing_fees(room: Room) -> list[dict[str, Any]]:
    return [
        {
            "id": rule.pk,
            "label": rule.label,
            "unit": rule.unit,
            "starts_at_time": f"{rule.starts_at_time:%H:%M}" if rule.starts_at_time else "",
            "ends_at_time": f"{rule.ends_at_time:%H:%M}" if rule.ends_at_time else "",
            "minutes": "",
            "fee_yen": str(rule.fee_yen),
        }
        for rule in room.fee_rules.order_by("pk")
    ]


def test_staff_change_a_fee_and_add_a_division_on_the_room_page(
    client: Any, room: Room, staff: Any
) -> None:
    # given the fee table 午前・午後・夜間・全日
    fees = _existing_fees(room)
    fees[0]["fee_yen"] = "1300"
    fees.append(
        {
            "label": "夜間延長",
            "unit": FeeUnit.DIVISION,
            "starts_at_time": "21:00",
            "ends_at_time": "22:00",
            "fee_yen": "600",
        }
    )
    url = reverse("rooms_staff:room_edit", kwargs={"slug": room.center.slug, "room_id": room.pk})

    # when staff save the room page
    response = client.post(url, _room_post(room, fees))

    # then the fee table has changed
    assert response.status_code == 302
    assert FeeRule.objects.get(room=room, label="午前").fee_yen == 1300
    assert FeeRule.objects.filter(room=room).count() == 5


def test_overlapping_divisions_a_zero_fee_and_an_end_before_the_start_are_refused(
    client: Any, room: Room, staff: Any
) -> None:
    # given a new 区分 overlapping 午後, one costing 0 yen and one ending before it starts
    fees = [
        *_existing_fees(room),
        {"label": "昼", "unit": FeeUnit.DIVISION, "starts_at_time": "12:00",
         "ends_at_time": "14:00", "fee_yen": "500"},
        {"label": "早朝", "unit": FeeUnit.DIVISION, "starts_at_time": "07:00",
         "ends_at_time": "08:00", "fee_yen": "0"},
        {"label": "深夜", "unit": FeeUnit.DIVISION, "starts_at_time": "23:00",
         "ends_at_time": "22:00", "fee_yen": "400"},
    ]  # fmt: skip
    url = reverse("rooms_staff:room_edit", kwargs={"slug": room.center.slug, "room_id": room.pk})

    # when staff save
    response = client.post(url, _room_post(room, fees))

    # then nothing is saved, each row says what is wrong, and the input is kept
    assert response.status_code == 400
    forms = response.context["fees"].forms
    assert "starts_at_time" in forms[4].errors
    assert "fee_yen" in forms[5].errors
    assert "ends_at_time" in forms[6].errors
    body = response.content.decode()
    assert "昼" in body and "深夜" in body
    assert FeeRule.objects.filter(room=room).count() == 4


# --- Referral outcome --------------------------------------------------------------------


@pytest.fixture
def referral(room: Room) -> Referral:
    partner = CenterFactory.create(name="札幌市産業振興センター")
    SharingRuleFactory.create(
        owner=partner, partner=room.center, kind=RecordKind.ROOMS_FOR_REFERRAL
    )
    partner_room = RoomFactory.create(center=partner, name="セミナールームA", capacity=40)
    return Referral.objects.create(
        from_center=room.center,
        to_center=partner,
        room=partner_room,
        starts_at=at(TUESDAY, 13),
        ends_at=at(TUESDAY, 17),
        person_name="山田 花子",
        people=10,
    )


def test_staff_record_that_a_referred_group_booked_at_the_partner(
    client: Any, room: Room, staff: Any, referral: Referral
) -> None:
    url = reverse(
        "rooms_staff:referral_outcome",
        kwargs={"slug": room.center.slug, "referral_id": referral.pk},
    )

    response = client.post(url, {f"referral-{referral.pk}-outcome": ReferralOutcome.BOOKED})

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.BOOKED
    assert AuditEvent.objects.filter(object_id=str(referral.pk), action="update").exists()


def test_an_unknown_outcome_is_refused_on_its_row(
    client: Any, room: Room, staff: Any, referral: Referral
) -> None:
    url = reverse(
        "rooms_staff:referral_outcome",
        kwargs={"slug": room.center.slug, "referral_id": referral.pk},
    )

    response = client.post(url, {f"referral-{referral.pk}-outcome": "lost"})

    assert response.status_code == 400
    assert response.context["rows"][0]["form"].errors["outcome"]
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.PENDING


def test_the_referral_list_takes_a_few_queries(
    client: Any, room: Room, staff: Any, referral: Referral, django_assert_max_num_queries: Any
) -> None:
    for _n in range(5):
        Referral.objects.create(
            from_center=room.center,
            to_center=referral.to_center,
            room=referral.room,
            starts_at=referral.starts_at,
            ends_at=referral.ends_at,
            person_name="佐々木 一郎",
        )

    with django_assert_max_num_queries(12):
        response = client.get(reverse("rooms_staff:referrals", kwargs={"slug": room.center.slug}))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 6


def test_staff_of_another_center_cannot_set_an_outcome(
    client: Any, room: Room, referral: Referral
) -> None:
    _staff(client, CenterFactory.create(), Role.CENTER_ADMIN)
    url = reverse(
        "rooms_staff:referral_outcome",
        kwargs={"slug": room.center.slug, "referral_id": referral.pk},
    )

    response = client.post(url, {f"referral-{referral.pk}-outcome": ReferralOutcome.DECLINED})

    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.PENDING


# --- Occupancy basis ---------------------------------------------------------------------


def test_the_center_administrator_counts_occupancy_by_hours_open(client: Any, room: Room) -> None:
    # given a booking of 4 of the 12 hours of a Tuesday
    _staff(client, room.center, Role.CENTER_ADMIN)
    reserve(room, TUESDAY, 13, 17)
    url = reverse("rooms_staff:occupancy", kwargs={"slug": room.center.slug})

    # when the administrator chooses hours open
    response = client.post(f"{url}?year=2025", {"occupancy_basis": OccupancyBasis.HOURS})

    # then the center's setting has changed and the report counts by hours
    assert response.status_code == 302
    assert CenterRoomSettings.objects.get(center=room.center).occupancy_basis == "hours"
    page = client.get(url, {"year": 2025})
    assert page.context["report"].basis == OccupancyBasis.HOURS


def test_a_receptionist_sees_the_report_but_cannot_change_the_basis(
    client: Any, room: Room, staff: Any
) -> None:
    url = reverse("rooms_staff:occupancy", kwargs={"slug": room.center.slug})

    page = client.get(url)
    response = client.post(url, {"occupancy_basis": OccupancyBasis.HOURS})

    assert page.status_code == 200
    assert page.context["basis_form"] is None
    assert response.status_code == 403
    assert not CenterRoomSettings.objects.exists()


def test_an_unknown_basis_is_refused_with_the_report_shown(client: Any, room: Room) -> None:
    _staff(client, room.center, Role.CENTER_ADMIN)
    url = reverse("rooms_staff:occupancy", kwargs={"slug": room.center.slug})

    response = client.post(url, {"occupancy_basis": "seats"})

    assert response.status_code == 400
    assert response.context["basis_form"].errors["occupancy_basis"]
    assert not CenterRoomSettings.objects.exists()


# --- Series: one date or all -------------------------------------------------------------


@pytest.fixture
def series(room: Room, staff: Any) -> ReservationSeries:
    """毎週火曜日 13:00～16:00 in June 2025: 10, 17 and 24 June."""
    days = [TUESDAY, TUESDAY + datetime.timedelta(days=7), TUESDAY + datetime.timedelta(days=14)]
    return actions.book_series(
        room=room,
        recurrence="毎週火曜日 13:00～16:00",
        slots=[actions.Slot(at(day, 13), at(day, 16)) for day in days],
        starts_on=days[0],
        until_on=days[-1],
        purpose="手話サークル",
        people=12,
        by=staff,
        on_behalf_of_name="手話サークルこだま 山田",
    )


def _series_url(series: ReservationSeries) -> str:
    return reverse(
        "rooms_staff:series_detail",
        kwargs={"slug": series.room.center.slug, "series_id": series.pk},
    )


def test_staff_cancel_one_date_of_a_series_and_keep_the_others(
    client: Any, series: ReservationSeries
) -> None:
    second = series.reservations.order_by("starts_at")[1]

    response = client.post(
        _series_url(series), {"operation": "cancel-one", "reservation": second.pk}
    )

    assert response.status_code == 302
    statuses = list(series.reservations.order_by("starts_at").values_list("status", flat=True))
    assert statuses == ["confirmed", "cancelled", "confirmed"]


def test_staff_move_one_date_of_a_series_unless_the_new_time_is_taken(
    client: Any, room: Room, series: ReservationSeries
) -> None:
    # given the 17 June date, and someone else booked on 17 June in the evening
    second = series.reservations.order_by("starts_at")[1]
    reserve(room, TUESDAY + datetime.timedelta(days=7), 18, 21)
    url = reverse(
        "rooms_staff:reservation", kwargs={"slug": room.center.slug, "reservation_id": second.pk}
    )
    change = {
        "operation": "change",
        "change-starts_at": "2025-06-17T18:00",
        "change-ends_at": "2025-06-17T21:00",
        "change-people": "12",
        "change-purpose": "手話サークル",
    }

    # when staff move the date to the taken evening, then to the free morning
    taken = client.post(url, change)
    moved = client.post(
        url,
        {**change, "change-starts_at": "2025-06-17T09:00", "change-ends_at": "2025-06-17T12:00"},
    )

    # then the first is refused with the input kept; the second moves only that date
    assert taken.status_code == 400
    assert TAKEN in taken.content.decode()
    assert 'value="2025-06-17T18:00"' in taken.content.decode()
    assert moved.status_code == 302
    second.refresh_from_db()
    assert second.starts_at == at(TUESDAY + datetime.timedelta(days=7), 9)
    assert second.fee_yen == 1200
    assert series.reservations.filter(starts_at__hour=13).count() == 2  # in Tokyo time


def test_staff_move_the_whole_series_to_the_evening_all_or_nothing(
    client: Any, room: Room, series: ReservationSeries
) -> None:
    # given someone else booked on 24 June in the evening
    other = reserve(room, TUESDAY + datetime.timedelta(days=14), 18, 21)
    change = {
        "operation": "change-series",
        "change-starts_at_time": "18:00",
        "change-ends_at_time": "21:00",
        "change-people": "15",
        "change-purpose": "手話サークル 定例会",
    }

    # when staff move every date to 18:00–21:00
    refused = client.post(_series_url(series), change)

    # then nothing changes and 24 June is named
    assert refused.status_code == 400
    fourth_week = TUESDAY + datetime.timedelta(days=14)
    assert refused.context["conflicts"][0].starts_at == at(fourth_week, 18)
    assert not series.reservations.filter(people=15).exists()

    # when the other booking is cancelled and staff try again
    Reservation.objects.filter(pk=other.pk).update(status=ReservationStatus.CANCELLED)
    moved = client.post(_series_url(series), change)

    # then every date moves, with its purpose, people and fee
    assert moved.status_code == 302
    for reservation in series.reservations.all():
        assert reservation.starts_at.astimezone(at(TUESDAY, 0).tzinfo).hour == 18
        assert (reservation.people, reservation.fee_yen) == (15, 1800)
    series.refresh_from_db()
    assert series.purpose == "手話サークル 定例会"


def test_a_series_moved_outside_the_opening_hours_is_refused_with_a_message(
    client: Any, series: ReservationSeries
) -> None:
    response = client.post(
        _series_url(series),
        {
            "operation": "change-series",
            "change-starts_at_time": "20:00",
            "change-ends_at_time": "22:30",
            "change-people": "12",
            "change-purpose": "手話サークル",
        },
    )

    assert response.status_code == 400
    assert response.context["change_form"].errors["starts_at_time"]
    assert series.reservations.filter(starts_at__hour=13).count() == 3


# --- Combined rooms on the week grid ------------------------------------------------------


def test_the_week_grid_shows_a_combined_room_busy_when_a_part_is_booked_and_the_reverse(
    client: Any, room: Room, staff: Any
) -> None:
    # given スペースA・B made of A and B; A booked on Tuesday, the whole on Wednesday
    part_a = RoomFactory.create(center=room.center, name="スペースA")
    part_b = RoomFactory.create(center=room.center, name="スペースB")
    whole = RoomFactory.create(center=room.center, name="スペースA・B", capacity=48)
    whole.parts.set([part_a, part_b])
    reserve(part_a, TUESDAY, 13, 17, on_behalf_of_name="手話サークルこだま")
    reserve(whole, TUESDAY + datetime.timedelta(days=1), 9, 12, on_behalf_of_name="町内会")

    # when staff open the week
    response = client.get(
        reverse("rooms_staff:grid", kwargs={"slug": room.center.slug}), {"start": "2025-06-09"}
    )

    # then the whole is busy on Tuesday, both parts on Wednesday, B is free on Tuesday
    rows = {row.label: row.cells for row in response.context["grid"].rows}
    assert rows["スペースA・B"][1].state == "booked"
    assert rows["スペースB"][1].state == "free"
    assert rows["スペースA"][2].state == "booked"
    assert rows["スペースB"][2].state == "booked"
    assert rows["スペースB"][2].reservations[0].room_name == "スペースA・B"
