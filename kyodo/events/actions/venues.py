"""A room reservation as the venue of an event's session (イベントの会場).

Staff link a session to one of the center's reservations on that day, or book the room
for the session on the center's behalf (``kyodo.rooms.actions.book_room``, which keeps
two bookings of a room apart) and link it. The event's ``venue_room`` follows the rooms
its sessions are held in. When a reservation is cancelled or denied, the rooms app
unlinks its sessions.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.events.models import Event, EventSession
from kyodo.rooms import actions as room_actions
from kyodo.rooms.models import Reservation, ReservationStatus, Room

from ._base import _require

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User

# Reservations that can hold an event: those that hold their slot and are not over.
VENUE_STATUSES = (ReservationStatus.REQUESTED, ReservationStatus.CONFIRMED)


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(0), tz)
    return start, start + datetime.timedelta(days=1)


def reservations_on_the_day(session: EventSession) -> QuerySet[Reservation]:
    """The requested or confirmed reservations of the rooms of the event's center on the
    session's day, by start."""
    start, end = day_bounds(session.date)
    return (
        Reservation.objects.filter(status__in=VENUE_STATUSES, room__center=session.event.center_id)
        .overlapping(start, end)
        .select_related("room", "organization")
        .order_by("starts_at", "room__sort_order", "room__name")
    )


def session_slot(session: EventSession) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The session's start and end as aware datetimes, when it has both times."""
    if session.start_time is None or session.end_time is None:
        return None
    return session.starts_at, session.ends_at  # type: ignore[return-value]


def _check_fits(session: EventSession, reservation: Reservation) -> None:
    if reservation.status not in VENUE_STATUSES:
        raise ValidationError(
            _("Only a requested or confirmed reservation can be the venue of an event.")
        )
    if timezone.localtime(reservation.starts_at).date() != session.date:
        raise ValidationError(_("The reservation is not on the day of the session."))
    slot = session_slot(session)
    if slot and not (reservation.starts_at < slot[1] and reservation.ends_at > slot[0]):
        raise ValidationError(_("The reservation does not overlap the time of the session."))


def _require_rooms(by: User, room: Room) -> None:
    if not access.can(by, Permission.MANAGE_ROOMS, room.center_id):
        raise PermissionDenied


def sync_venue_room(event: Event) -> None:
    """Set ``event.venue_room`` to the room its sessions are held in (the room of the
    first such session when they use several). An event without any linked session keeps
    the room staff chose on its form."""
    rooms = list(
        event.sessions.filter(is_cancelled=False, reservation__isnull=False)
        .order_by("date", "start_time")
        .values_list("reservation__room_id", flat=True)
    )
    if rooms and event.venue_room_id != rooms[0]:
        event.venue_room_id = rooms[0]
        Event.objects.filter(pk=event.pk).update(venue_room_id=rooms[0])


@transaction.atomic
def link_session_reservation(
    *,
    by: User,
    session: EventSession,
    reservation: Reservation,
    request: HttpRequest | None = None,
) -> None:
    """Hold ``session`` in ``reservation`` (a room of the event's center, on that day)."""
    event = session.event
    _require(by, event.center)
    _require_rooms(by, reservation.room)
    if reservation.room.center_id != event.center_id:
        raise ValidationError(_("Choose a reservation of one of your center's rooms."))
    _check_fits(session, reservation)
    session.reservation = reservation
    session.save(update_fields=["reservation"])
    sync_venue_room(event)
    record_event(
        actor=by,
        action=Action.UPDATE,
        target=event,
        center=event.center,
        request=request,
        details={"session": session.pk, "reservation": reservation.pk},
    )


@transaction.atomic
def unlink_session_reservation(
    *, by: User, session: EventSession, request: HttpRequest | None = None
) -> None:
    """The session is no longer held in its reservation (the reservation stays booked)."""
    event = session.event
    _require(by, event.center)
    if session.reservation_id is None:
        return
    reservation_id = session.reservation_id
    session.reservation = None
    session.save(update_fields=["reservation"])
    sync_venue_room(event)
    record_event(
        actor=by,
        action=Action.UPDATE,
        target=event,
        center=event.center,
        request=request,
        details={"session": session.pk, "reservation_unlinked": reservation_id},
    )


def book_room_for_session(
    *,
    by: User,
    session: EventSession,
    room: Room,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    people: int,
    request: HttpRequest | None = None,
) -> Reservation:
    """Book ``room`` for the session on the center's behalf and hold the session in it.

    The room's own rules apply as to staff booking on behalf on the rooms pages
    (``Room.booking_problems``: opening hours and closed days, booking window, capacity,
    who may use the room; the booking is for the center, not for a group).

    Raises ``kyodo.rooms.actions.SlotTakenError`` when the room is taken at that time
    (nothing is booked then), ``ValidationError`` for a time that is not on the
    session's day, and a ``ValidationError`` by field (``starts_at``, ``ends_at``,
    ``people``, ``organization``, as the rooms forms name them) when the room's rules
    refuse the booking. The booking is its own transaction (``book_room`` retries on lock
    conflicts), the link a second one."""
    event = session.event
    _require(by, event.center)
    _require_rooms(by, room)
    if room.center_id != event.center_id:
        raise ValidationError(_("Choose one of your center's rooms."))
    if not room.is_active:
        raise ValidationError(_("This room cannot be booked."))
    if timezone.localtime(starts_at).date() != session.date:
        raise ValidationError(_("The booking must be on the day of the session."))
    slot = session_slot(session)
    if slot and not (starts_at < slot[1] and ends_at > slot[0]):
        raise ValidationError(_("The booking does not overlap the time of the session."))
    problems = room.booking_problems(
        starts_at=starts_at, ends_at=ends_at, people=people, organization=None
    )
    if problems:
        raise ValidationError({name: [message] for name, message in problems.items()})
    reservation = room_actions.book_room(
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=event.title[:200],
        people=people,
        by=by,
        on_behalf_of_name=event.center.name[:100],
        request=request,
    )
    link_session_reservation(by=by, session=session, reservation=reservation, request=request)
    return reservation
