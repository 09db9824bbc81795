"""A reservation as the venue of an event: shown on the staff pages, confirmed before it
is cancelled or denied (which unlinks the event's sessions), and named in the notices."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from kyodo.audit.models import AuditEvent
from kyodo.centers.models import Center, Role
from kyodo.centers.tests.factories import StaffMembershipFactory, UserFactory
from kyodo.events.models import Event, EventKind, EventSession, EventStatus
from kyodo.organizations.tests.factories import CenterRegistrationFactory, OrganizationFactory
from kyodo.rooms import actions
from kyodo.rooms.models import Reservation, ReservationSeries, ReservationStatus, Room
from kyodo.rooms.tests.factories import RoomFactory, make_member, reserve

pytestmark = pytest.mark.usefixtures("frozen_now")

TUESDAY = datetime.date(2025, 6, 10)
TITLE = "NPO法人向け会計講座"


@pytest.fixture
def room(db: Any) -> Room:
    return RoomFactory.create(
        name="研修室1", center__slug="sapporo", center__name="札幌市市民活動サポートセンター"
    )


@pytest.fixture
def staff(client: Any, room: Room) -> Any:
    user = UserFactory.create()
    StaffMembershipFactory.create(user=user, center=room.center, role=Role.COORDINATOR)
    client.force_login(user)
    return user


def _event(center: Center, day: datetime.date, status: str = EventStatus.PUBLISHED) -> Event:
    """The center's accounting course, one session on ``day`` 13:30–16:30. (Made here
    rather than with the events app's factories, which change with that app.)"""
    event = Event.objects.create(
        center=center,
        kind=EventKind.TRAINING,
        title=TITLE,
        summary="NPO法人の会計基準に沿った決算書の作り方を学びます。",
        status=status,
        starts_on=day,
        ends_on=day,
    )
    EventSession.objects.create(
        event=event, date=day, start_time=datetime.time(13, 30), end_time=datetime.time(16, 30)
    )
    return event


def _venue(room: Room, status: str = EventStatus.PUBLISHED, **kwargs: Any) -> Reservation:
    """A reservation of Tuesday afternoon, the venue of the accounting course's session."""
    reservation = reserve(room, TUESDAY, 13, 17, purpose="会計講座の会場", **kwargs)
    _event(room.center, TUESDAY, status).sessions.update(reservation=reservation)
    return reservation


def _detail_url(reservation: Reservation) -> str:
    return reverse(
        "rooms_staff:reservation",
        kwargs={"slug": reservation.room.center.slug, "reservation_id": reservation.pk},
    )


def test_the_staff_reservation_page_links_the_event_held_in_it(
    client: Any, room: Room, staff: Any
) -> None:
    # given a reservation that is the venue of a session of the course
    reservation = _venue(room)
    event = Event.objects.get()

    # when staff open the reservation
    response = client.get(_detail_url(reservation))

    # then the event's title links to its staff page
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("events_staff:detail", kwargs={"pk": event.pk}) in body
    assert TITLE in body


def test_the_week_grid_shows_the_event_in_one_more_query(
    client: Any, room: Room, staff: Any, django_assert_max_num_queries: Any
) -> None:
    # given bookings in several rooms, one of them an event's venue
    for n in range(5):
        reserve(RoomFactory.create(center=room.center, name=f"会議室{n}"), TUESDAY, 9, 12)
    _venue(room)
    event = Event.objects.get()

    # when staff open the week
    with django_assert_max_num_queries(15):
        response = client.get(
            reverse("rooms_staff:grid", kwargs={"slug": room.center.slug}), {"start": "2025-06-09"}
        )

    # then the cell names the event, linked to its staff page
    body = response.content.decode()
    assert reverse("events_staff:detail", kwargs={"pk": event.pk}) in body
    assert TITLE in body


def test_cancelling_a_venue_asks_first_naming_the_event_then_unlinks_its_session(
    client: Any, room: Room, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given the venue of the course, booked with an address for notices
    reservation = _venue(room, contact_email="jimukyoku@example.jp")
    url = _detail_url(reservation)

    # when staff press cancel
    asked = client.post(url, {"operation": "cancel"})

    # then they are asked to confirm, the event is named, and nothing has changed yet
    assert asked.status_code == 200
    assert [e.title for e in asked.context["events"]] == [TITLE]
    assert "confirmed" in asked.content.decode()
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CONFIRMED
    assert EventSession.objects.get().reservation == reservation

    # when they confirm
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"operation": "cancel", "confirmed": "1"})

    # then it is cancelled, the session has no room any more, the log says so, and the
    # notice names the event
    assert done.status_code == 302
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CANCELLED
    session = EventSession.objects.get()
    assert session.reservation is None
    logged = AuditEvent.objects.filter(object_id=str(reservation.pk)).order_by("-pk").first()
    assert logged is not None
    assert logged.details["event_sessions_unlinked"] == [session.pk]
    assert TITLE in mail.outbox[0].body


def test_denying_a_requested_venue_asks_first_and_keeps_the_reason(
    client: Any, room: Room, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a request for the venue, waiting for a decision
    reservation = _venue(room, status=EventStatus.DRAFT, contact_email="a@example.jp")
    Reservation.objects.filter(pk=reservation.pk).update(status=ReservationStatus.REQUESTED)
    url = _detail_url(reservation)

    # when staff deny it with a reason, then confirm
    asked = client.post(url, {"operation": "deny", "note": "設備点検のため"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"operation": "deny", "note": "設備点検のため", "confirmed": "1"})

    # then the confirmation carried the reason, the request is denied and unlinked; the
    # draft event is not named to the person
    assert 'value="設備点検のため"' in asked.content.decode()
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.DENIED
    assert reservation.decision_note == "設備点検のため"
    assert EventSession.objects.get().reservation is None
    assert TITLE not in mail.outbox[0].body


def test_cancelling_a_reservation_that_is_no_venue_needs_no_confirmation(
    client: Any, room: Room, staff: Any
) -> None:
    reservation = reserve(room, TUESDAY, 13, 17)

    response = client.post(_detail_url(reservation), {"operation": "cancel"})

    assert response.status_code == 302
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CANCELLED


def test_cancelling_a_series_with_a_venue_among_its_dates_asks_first(
    client: Any, room: Room, staff: Any
) -> None:
    # given a series of two dates, the second the venue of the course
    series = ReservationSeries.objects.create(
        room=room,
        recurrence="毎週火曜日 13:00～17:00",
        starts_on=datetime.date(2025, 6, 3),
        until_on=TUESDAY,
        purpose="定例会",
        people=10,
    )
    reserve(room, datetime.date(2025, 6, 3), 13, 17, series=series)
    venue = _venue(room, series=series)
    url = reverse(
        "rooms_staff:series_detail", kwargs={"slug": room.center.slug, "series_id": series.pk}
    )

    # when staff cancel the series, then confirm
    asked = client.post(url, {"operation": "cancel-series"})
    client.post(url, {"operation": "cancel-series", "confirmed": "1"})

    # then they were asked first, naming the event; now every date is cancelled
    assert asked.status_code == 200
    assert [(e.title, e.dates) for e in asked.context["events"]] == [(TITLE, (TUESDAY,))]
    assert set(series.reservations.values_list("status", flat=True)) == {"cancelled"}
    assert EventSession.objects.get().reservation is None
    assert venue.pk in series.reservations.values_list("pk", flat=True)


def test_the_reminder_names_the_published_event_held_in_the_room(
    room: Room, django_capture_on_commit_callbacks: Any
) -> None:
    # given the venue of the course tomorrow... (the course's session is on 3 June)
    reservation = reserve(
        room, datetime.date(2025, 6, 3), 13, 17, contact_email="jimukyoku@example.jp"
    )
    _event(room.center, datetime.date(2025, 6, 3)).sessions.update(reservation=reservation)

    # when the reminders go out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_room_reminders")

    # then the reminder names the course
    assert TITLE in mail.outbox[0].body


def test_a_group_member_is_asked_before_cancelling_the_groups_booking_used_by_an_event(
    client: Any, room: Room, django_capture_on_commit_callbacks: Any
) -> None:
    # given the group's booking, which the center uses as the venue of its course
    group = OrganizationFactory.create(voluntary=True, name="もいわ子育てひろば")
    CenterRegistrationFactory.create(organization=group, center=room.center)
    member = UserFactory.create()
    make_member(member, group)
    client.force_login(member)
    reservation = _venue(room, organization=group, booked_by=member)

    # when the member sees their reservations, then cancels
    page = client.get(reverse("rooms:mine"))
    asked = client.post(reverse("rooms:cancel", args=[reservation.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rooms:cancel", args=[reservation.pk]), {"confirmed": "1"})

    # then the list and the question name the course; after confirming it is cancelled
    assert TITLE in page.content.decode()
    assert asked.status_code == 200
    assert TITLE in asked.content.decode()
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CANCELLED
    assert EventSession.objects.get().reservation is None


def test_cancelling_through_the_action_unlinks_the_session_too(room: Room, staff: Any) -> None:
    # the API and the series pages cancel through the same action
    reservation = _venue(room)

    actions.cancel_reservation(reservation=reservation, by=staff)

    assert EventSession.objects.get().reservation is None
