"""Booking by a group member for their group: the room page, regular bookings (a series),
"my reservations" with the group's bookings, and the API; every bad input of the issue
through HTTP."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kyodo.accounts.models import ApiToken
from kyodo.centers.models import Role
from kyodo.centers.tests.factories import CenterFactory, StaffMembershipFactory, UserFactory
from kyodo.organizations.models import Organization
from kyodo.organizations.tests.factories import CenterRegistrationFactory, OrganizationFactory
from kyodo.rooms.models import Eligibility, Reservation, ReservationStatus, Room
from kyodo.rooms.tests.factories import RoomFactory, add_division_fees, make_member, reserve

TUESDAY = datetime.date(2025, 6, 10)
TAKEN = _("This time slot is already booked.")


def _post(day: datetime.date, start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {
        "starts_at": f"{day.isoformat()}T{start}",
        "ends_at": f"{day.isoformat()}T{end}",
        "people": 12,
        "purpose": "子育てサロンの打合せ",
        **extra,
    }


def _is_japanese(message: str) -> bool:
    """A sentence in Japanese: no English word in it (dates and times are digits)."""
    return re.search(r"[A-Za-z]{3,}", message) is None


@pytest.fixture
def room(db: Any) -> Room:
    """A meeting room for groups registered at the center, seating 30."""
    room = RoomFactory.create(
        name="集会室A",
        center__slug="sapporo",
        center__name="札幌市市民活動サポートセンター",
        eligibility=Eligibility.REGISTERED_GROUPS,
    )
    add_division_fees(room)
    return room


@pytest.fixture
def group(room: Room) -> Organization:
    group = OrganizationFactory.create(voluntary=True, name="もいわ子育てひろば")
    CenterRegistrationFactory.create(organization=group, center=room.center)
    return group


@pytest.fixture
def member(client: Any, group: Organization) -> Any:
    """The group's representative, approved by the center, signed in."""
    user = UserFactory.create(display_name="中村 翔太")
    make_member(user, group)
    client.force_login(user)
    return user


# --- The room page ----------------------------------------------------------------------


@pytest.mark.usefixtures("frozen_now")
def test_a_group_member_books_a_room_for_registered_groups_for_the_group(
    client: Any,
    room: Room,
    group: Organization,
    member: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given the representative of a group registered at the center
    # when they book Tuesday afternoon for the group
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            room.get_absolute_url(), _post(TUESDAY, "13:00", "17:00", organization=group.pk)
        )

    # then the reservation is the group's, booked by the member, who gets the confirmation
    assert response.status_code == 302, response.context["form"].errors
    reservation = Reservation.objects.get()
    assert reservation.organization == group
    assert reservation.booked_by == member
    assert reservation.status == ReservationStatus.CONFIRMED
    assert reservation.fee_yen == 1500
    assert mail.outbox[0].to == [member.email]
    assert "もいわ子育てひろば" in mail.outbox[0].body


@pytest.mark.usefixtures("frozen_now")
def test_the_booking_form_offers_only_the_persons_own_groups(
    client: Any, room: Room, group: Organization, member: Any
) -> None:
    # given another group the member has nothing to do with
    other = OrganizationFactory.create(voluntary=True, name="手話サークルこだま")
    CenterRegistrationFactory.create(organization=other, center=room.center)

    # when the member opens the room page
    response = client.get(room.get_absolute_url())

    # then the form lists their group only, and no field for booking on someone's behalf
    form = response.context["form"]
    assert list(form.fields["organization"].queryset) == [group]
    assert "on_behalf_of_name" not in form.fields
    assert "手話サークルこだま" not in response.content.decode()
    assert reverse("rooms:series", args=[room.pk]) in response.content.decode()


@pytest.mark.usefixtures("frozen_now")
@pytest.mark.parametrize(
    ("role", "status"),
    [("representative", "requested"), ("member", "rejected"), ("representative", "left")],
    ids=["claim-waiting", "claim-rejected", "left-the-group"],
)
def test_a_person_not_approved_for_the_group_cannot_book_for_it(
    client: Any, room: Room, group: Organization, role: str, status: str
) -> None:
    # given a person whose membership is not (or no longer) approved
    user = UserFactory.create()
    make_member(user, group, role=role, status=status)
    client.force_login(user)

    # when they post a booking for the group anyway
    response = client.post(
        room.get_absolute_url(), _post(TUESDAY, "13:00", "17:00", organization=group.pk)
    )

    # then the room is refused as for any citizen, and nothing is booked
    assert response.status_code == 200
    assert "room" in response.context["form"].errors
    assert Reservation.objects.count() == 0


@pytest.mark.usefixtures("frozen_now")
def test_a_member_cannot_book_for_a_group_of_which_they_are_not_a_member(
    client: Any, room: Room, group: Organization, member: Any
) -> None:
    # given another registered group
    other = OrganizationFactory.create(voluntary=True, name="手話サークルこだま")
    CenterRegistrationFactory.create(organization=other, center=room.center)

    # when the member posts a booking for it
    response = client.post(
        room.get_absolute_url(), _post(TUESDAY, "13:00", "17:00", organization=other.pk)
    )

    # then the group field says why, and nothing is booked
    assert response.status_code == 200
    errors = response.context["form"].errors["organization"]
    assert errors == [
        _(
            "Choose one of your groups. You can book for a group once the center has "
            "approved you as its member."
        )
    ]
    assert Reservation.objects.count() == 0


@pytest.mark.usefixtures("frozen_now")
def test_an_ordinary_member_of_the_group_may_book_too(
    client: Any, room: Room, group: Organization
) -> None:
    # given an approved member who is not the representative
    user = UserFactory.create()
    make_member(user, group, role="member")
    client.force_login(user)

    # when they book for the group
    response = client.post(
        room.get_absolute_url(), _post(TUESDAY, "09:00", "12:00", organization=group.pk)
    )

    # then it is booked for the group
    assert response.status_code == 302
    assert Reservation.objects.get().organization == group


@pytest.mark.usefixtures("frozen_now")
def test_a_member_books_a_citizens_room_for_themselves_or_for_the_group(
    client: Any, room: Room, group: Organization, member: Any
) -> None:
    # given a room open to citizens
    Room.objects.filter(pk=room.pk).update(eligibility=Eligibility.CITIZENS)

    # when the member books once for themselves, once for the group
    mine = client.post(room.get_absolute_url(), _post(TUESDAY, "09:00", "12:00"))
    ours = client.post(
        room.get_absolute_url(), _post(TUESDAY, "13:00", "17:00", organization=group.pk)
    )

    # then both are booked, one without a group
    assert (mine.status_code, ours.status_code) == (302, 302)
    assert sorted(str(r.organization) for r in Reservation.objects.all()) == [
        "None",
        "もいわ子育てひろば",
    ]


@pytest.mark.usefixtures("frozen_now")
def test_a_taken_slot_keeps_the_members_input_and_offers_nothing_broken(
    client: Any, room: Room, group: Organization, member: Any
) -> None:
    # given the afternoon is booked
    reserve(room, TUESDAY, 13, 17)

    # when the member tries it
    response = client.post(
        room.get_absolute_url(), _post(TUESDAY, "14:00", "16:00", organization=group.pk)
    )

    # then the page says so, with their input
    body = response.content.decode()
    assert response.status_code == 200
    assert TAKEN in body
    assert f'<option value="{group.pk}" selected>' in body
    assert Reservation.objects.count() == 1


# --- Bad input (issue 5), for the group member -------------------------------------------


@pytest.mark.usefixtures("frozen_now")
@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_post(TUESDAY, "07:00", "09:00"), "starts_at"),
        (_post(datetime.date(2025, 6, 19), "13:00", "17:00"), "starts_at"),
        (_post(datetime.date(2025, 9, 9), "13:00", "17:00"), "starts_at"),
        (_post(TUESDAY, "13:00", "17:00", people=31), "people"),
        (_post(TUESDAY, "17:00", "13:00"), "ends_at"),
    ],
    ids=[
        "outside-opening-hours",
        "closed-day-inspection",
        "outside-the-booking-window",
        "more-people-than-capacity",
        "end-before-start",
    ],
)
def test_bad_input_from_a_group_member_gets_a_japanese_message_keeps_the_input_and_books_nothing(
    client: Any,
    room: Room,
    group: Organization,
    member: Any,
    data: dict[str, Any],
    field: str,
) -> None:
    # when the member sends input the room's rules refuse
    response = client.post(room.get_absolute_url(), {**data, "organization": group.pk})

    # then the field says why in Japanese, the form keeps the input, nothing is booked
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert all(_is_japanese(message) for message in errors[field]), errors[field]
    body = response.content.decode()
    assert errors[field][0] in body.replace("&#x27;", "'")
    assert 'value="子育てサロンの打合せ"' in body
    assert f'value="{data["starts_at"]}"' in body
    assert f'<option value="{group.pk}" selected>' in body
    assert Reservation.objects.count() == 0


@pytest.mark.usefixtures("frozen_now")
def test_a_room_of_a_center_where_the_group_is_not_registered_is_refused(
    client: Any, room: Room, group: Organization, member: Any
) -> None:
    # given a room for registered groups at another center, where the group is not registered
    elsewhere = RoomFactory.create(
        name="ミーティングスペース",
        center=CenterFactory.create(slug="yokohama", name="横浜市市民協働推進センター"),
        eligibility=Eligibility.REGISTERED_GROUPS,
    )

    # when the member books it for the group
    response = client.post(
        elsewhere.get_absolute_url(), _post(TUESDAY, "13:00", "17:00", organization=group.pk)
    )

    # then the group field names the group and the center, in Japanese; nothing is booked
    assert response.status_code == 200
    [message] = response.context["form"].errors["organization"]
    assert "もいわ子育てひろば" in message and "横浜市市民協働推進センター" in message
    assert _is_japanese(message)
    assert 'value="子育てサロンの打合せ"' in response.content.decode()
    assert Reservation.objects.count() == 0


@pytest.mark.usefixtures("frozen_now")
def test_a_person_without_a_group_is_told_how_groups_book(client: Any, room: Room) -> None:
    # given a signed-in citizen who is no group's member
    client.force_login(UserFactory.create())

    # when they open and post the room page
    page = client.get(room.get_absolute_url())
    response = client.post(room.get_absolute_url(), _post(TUESDAY, "13:00", "17:00"))

    # then the page explains, with no form, and the post is refused in Japanese
    assert page.context["form"].books_online is False
    assert 'name="purpose"' not in page.content.decode()
    [message] = response.context["form"].errors["room"]
    assert _is_japanese(message)
    assert Reservation.objects.count() == 0


# --- Regular bookings (a series) ----------------------------------------------------------

SERIES = {
    "recurrence": "毎週火曜日 13:00～16:00",
    "people": 12,
    "purpose": "子育てサロン",
}


def test_a_members_series_crossing_the_new_year_books_nothing_and_names_the_closed_dates(
    client: Any, room: Room, group: Organization, member: Any
) -> None:
    # given 20 November: every Tuesday from December to mid-January is in the booking window
    url = reverse("rooms:series", args=[room.pk])
    data = {
        **SERIES,
        "starts_on": "2025-12-02",
        "until_on": "2026-01-13",
        "organization": group.pk,
        "book": "1",
    }

    # when the member books it (the room is closed 29 December – 3 January)
    with time_machine.travel("2025-11-20T10:00:00+09:00", tick=False):
        response = client.post(url, data)

    # then nothing is booked, 30 December is named in Japanese, and the input is kept
    assert response.status_code == 400
    errors = list(response.context["form"].errors["recurrence"])
    assert any(date_format(datetime.date(2025, 12, 30), "DATE_FORMAT") in e for e in errors)
    assert all(_is_japanese(e) for e in errors), errors
    assert 'value="毎週火曜日 13:00～16:00"' in response.content.decode()
    assert Reservation.objects.count() == 0


@pytest.mark.usefixtures("frozen_now")
def test_a_members_series_beyond_the_booking_window_books_nothing(
    client: Any, room: Room, group: Organization, member: Any
) -> None:
    # given 2 June: bookings are open until 2 August
    url = reverse("rooms:series", args=[room.pk])
    data = {
        **SERIES,
        "starts_on": "2025-07-01",
        "until_on": "2025-08-31",
        "organization": group.pk,
        "book": "1",
    }

    # when the member books every Tuesday of July and August
    response = client.post(url, data)

    # then the August dates after the window are named, and nothing is booked
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["recurrence"])
    assert date_format(datetime.date(2025, 8, 5), "DATE_FORMAT") in errors
    assert date_format(datetime.date(2025, 7, 29), "DATE_FORMAT") not in errors
    assert Reservation.objects.count() == 0


@pytest.mark.usefixtures("frozen_now")
def test_a_member_previews_then_books_a_series_for_the_group(
    client: Any, room: Room, group: Organization, member: Any
) -> None:
    # given every Tuesday of June and July, inside the window
    url = reverse("rooms:series", args=[room.pk])
    data = {**SERIES, "starts_on": "2025-06-03", "until_on": "2025-07-29", "organization": group.pk}

    # when the member previews, then books
    preview = client.post(url, {**data, "preview": "1"})
    booked = client.post(url, {**data, "book": "1"})

    # then nine dates are shown, then booked for the group (the inspection day is a Thursday)
    assert len(preview.context["slots"]) == 9
    assert booked.status_code == 302
    reservations = Reservation.objects.all()
    assert reservations.count() == 9
    assert {r.organization_id for r in reservations} == {group.pk}
    assert reservations[0].series is not None
    assert reservations[0].series.organization == group


@pytest.mark.usefixtures("frozen_now")
def test_a_members_series_with_a_taken_date_books_nothing_and_lists_it(
    client: Any, room: Room, group: Organization, member: Any
) -> None:
    # given 17 June is already booked
    reserve(room, datetime.date(2025, 6, 17), 13, 17)
    url = reverse("rooms:series", args=[room.pk])
    data = {**SERIES, "starts_on": "2025-06-03", "until_on": "2025-06-24", "organization": group.pk}

    # when the member books every Tuesday of June
    response = client.post(url, {**data, "book": "1"})

    # then the answer is "already booked" for that date, and nothing more is booked
    assert response.status_code == 409
    assert [c.starts_at.date() for c in response.context["conflicts"]] == [
        datetime.date(2025, 6, 17)
    ]
    assert Reservation.objects.count() == 1


@pytest.mark.usefixtures("frozen_now")
def test_the_series_page_explains_itself_to_a_person_without_a_group(
    client: Any, room: Room
) -> None:
    client.force_login(UserFactory.create())

    response = client.post(
        reverse("rooms:series", args=[room.pk]),
        {**SERIES, "starts_on": "2025-06-03", "until_on": "2025-06-24", "book": "1"},
    )

    assert response.status_code == 200
    assert response.context["form"].groups == []
    assert Reservation.objects.count() == 0


# --- My reservations ------------------------------------------------------------------------


@pytest.fixture
def colleague(group: Organization) -> Any:
    """Another approved member of the group."""
    user = UserFactory.create(display_name="佐々木 愛")
    make_member(user, group, role="member")
    return user


@pytest.mark.usefixtures("frozen_now")
def test_my_reservations_lists_the_groups_bookings_and_a_member_may_cancel_them(
    client: Any,
    room: Room,
    group: Organization,
    member: Any,
    colleague: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given a reservation the colleague made for the group, and one staff took for it
    by_colleague = reserve(room, TUESDAY, 13, 17, organization=group, booked_by=colleague)
    receptionist = UserFactory.create()
    by_staff = reserve(room, TUESDAY, 18, 21, organization=group, booked_by=receptionist)
    someone_else = reserve(room, TUESDAY, 9, 12, booked_by=UserFactory.create())

    # when the member opens their reservations and cancels the colleague's
    page = client.get(reverse("rooms:mine"))
    with django_capture_on_commit_callbacks(execute=True):
        cancel = client.post(reverse("rooms:cancel", args=[by_colleague.pk]))

    # then both group reservations are listed (not the stranger's), and it is cancelled
    listed = [r.pk for r in page.context["reservations"]]
    assert sorted(listed) == sorted([by_colleague.pk, by_staff.pk])
    assert all(r.may_cancel for r in page.context["reservations"])
    assert someone_else.pk not in listed
    assert cancel.status_code == 302
    by_colleague.refresh_from_db()
    assert by_colleague.status == ReservationStatus.CANCELLED
    assert by_colleague.decided_by == member


@pytest.mark.usefixtures("frozen_now")
def test_a_former_member_can_neither_see_nor_cancel_the_groups_bookings(
    client: Any, room: Room, group: Organization, colleague: Any
) -> None:
    # given a person who left the group
    former = UserFactory.create()
    make_member(former, group, status="left")
    client.force_login(former)
    booked = reserve(room, TUESDAY, 13, 17, organization=group, booked_by=colleague)

    # when they open their reservations and try to cancel the group's
    page = client.get(reverse("rooms:mine"))
    cancel = client.post(reverse("rooms:cancel", args=[booked.pk]))

    # then they see nothing and the cancel is not found
    assert list(page.context["reservations"]) == []
    assert cancel.status_code == 404
    booked.refresh_from_db()
    assert booked.status == ReservationStatus.CONFIRMED


@pytest.mark.usefixtures("frozen_now")
def test_my_reservations_takes_a_few_queries_whatever_the_number_of_bookings(
    client: Any,
    room: Room,
    group: Organization,
    member: Any,
    colleague: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for day in range(10, 20):
        reserve(room, datetime.date(2025, 6, day), 9, 12, organization=group, booked_by=colleague)
        reserve(room, datetime.date(2025, 6, day), 13, 17, booked_by=member)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("rooms:mine"))

    assert len(response.context["reservations"]) == 20


# --- API ----------------------------------------------------------------------------------


def _headers(user: Any) -> dict[str, str]:
    _token, key = ApiToken.issue(user=user, name="rooms test")
    return {"Authorization": f"Bearer {key}"}


def _body(room: Room, **extra: Any) -> dict[str, Any]:
    return {
        "room": room.pk,
        "starts_at": "2025-06-10T13:00:00+09:00",
        "ends_at": "2025-06-10T17:00:00+09:00",
        "purpose": "定例会議",
        "people": 8,
        **extra,
    }


@pytest.mark.usefixtures("frozen_now")
def test_the_api_books_for_the_members_group(
    client: Any, room: Room, group: Organization, member: Any
) -> None:
    response = client.post(
        "/api/v1/reservations",
        _body(room, organization=group.pk),
        content_type="application/json",
        headers=_headers(member),
    )

    assert response.status_code == 201, response.json()
    assert response.json()["organization"] == group.pk
    assert Reservation.objects.get().booked_by == member


@pytest.mark.usefixtures("frozen_now")
def test_the_api_refuses_a_group_the_token_holder_may_not_act_for(
    client: Any, room: Room, group: Organization
) -> None:
    # given a person who is no member of the group
    stranger = UserFactory.create()

    # when they book for the group through the API
    response = client.post(
        "/api/v1/reservations",
        _body(room, organization=group.pk),
        content_type="application/json",
        headers=_headers(stranger),
    )

    # then 422, saying why under "organization", and nothing is booked
    assert response.status_code == 422
    [message] = response.json()["errors"]["organization"]
    assert "もいわ子育てひろば" in message
    assert Reservation.objects.count() == 0


@pytest.mark.usefixtures("frozen_now")
def test_the_api_refuses_a_group_not_registered_at_the_rooms_center(
    client: Any, room: Room, member: Any
) -> None:
    # given the member's second group, registered nowhere
    unregistered = OrganizationFactory.create(voluntary=True, name="朗読ボランティア")
    make_member(member, unregistered)

    response = client.post(
        "/api/v1/reservations",
        _body(room, organization=unregistered.pk),
        content_type="application/json",
        headers=_headers(member),
    )

    assert response.status_code == 422
    assert "organization" in response.json()["errors"]
    assert Reservation.objects.count() == 0


@pytest.mark.usefixtures("frozen_now")
def test_the_api_lets_another_member_cancel_the_groups_booking_but_not_a_stranger(
    client: Any, room: Room, group: Organization, member: Any, colleague: Any
) -> None:
    booked = reserve(room, TUESDAY, 13, 17, organization=group, booked_by=member)

    refused = client.post(
        f"/api/v1/reservations/{booked.pk}/cancel", headers=_headers(UserFactory.create())
    )
    cancelled = client.post(f"/api/v1/reservations/{booked.pk}/cancel", headers=_headers(colleague))

    assert refused.status_code == 404
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"


@pytest.mark.usefixtures("frozen_now")
def test_staff_still_book_on_behalf_of_a_group_they_are_not_members_of(
    client: Any, room: Room, group: Organization
) -> None:
    # given a receptionist of the center
    receptionist = UserFactory.create()
    StaffMembershipFactory.create(user=receptionist, center=room.center, role=Role.RECEPTION)
    client.force_login(receptionist)
    url = reverse("rooms_staff:book", kwargs={"slug": room.center.slug, "room_id": room.pk})

    # when they book for the group at the counter
    response = client.post(url, _post(TUESDAY, "18:00", "21:00", organization=group.pk))

    # then it is booked for the group
    assert response.status_code == 302
    assert Reservation.objects.get().organization == group
