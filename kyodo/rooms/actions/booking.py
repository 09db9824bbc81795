"""Booking rooms: ``book_room`` and ``book_series``.

Never a double booking
----------------------
Every reservation is made by ``book_room`` (or ``book_series``, which uses the same
path). Inside one transaction it (1) serialises with every other booking of the rooms
involved — the room, the rooms it is made of and the rooms it is part of — then (2)
looks for an active reservation overlapping the slot in any of them, then (3) inserts.

- PostgreSQL: step (1) is ``SELECT … FOR UPDATE`` on those room rows, always in id order,
  so two bookings of related rooms queue on the same row locks and never deadlock; at
  READ COMMITTED the check of step (2) runs after the lock is held and sees the winner's
  committed row.
- SQLite: the settings open every transaction with ``BEGIN IMMEDIATE``
  (``OPTIONS["transaction_mode"]``), which takes the database write lock at the start of
  the transaction: the whole check-then-insert runs alone, across processes.

A loser gets ``SlotTakenError``. Lock time-outs, "database is locked", deadlocks and
serialisation failures (``OperationalError``) are retried a few times and then answered
with the same ``SlotTakenError``, never passed on as a server error.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.rooms.fees import compute_fee_yen
from kyodo.rooms.models import (
    LONGEST_RESERVATION,
    Reservation,
    ReservationSeries,
    ReservationStatus,
    Room,
)

from .notices import _notify_after_commit

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User
    from kyodo.organizations.models import Organization


logger = logging.getLogger(__name__)

RETRIES = 5
T = TypeVar("T")


class SlotTakenError(Exception):
    """The slot is already booked (in this room, one of its parts or one of its wholes)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or _("This time slot is already booked."))


@dataclass(frozen=True)
class SeriesConflict:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    reason: str


class SeriesConflictError(Exception):
    """Some occurrences of a series cannot be booked; nothing was booked."""

    def __init__(self, conflicts: list[SeriesConflict]) -> None:
        super().__init__(_("Some dates of the series cannot be booked."))
        self.conflicts = conflicts


@dataclass(frozen=True)
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def _with_retries(operation: Callable[[], T]) -> T:
    """Run ``operation`` (one transaction); retry on lock, deadlock and serialisation
    errors, then answer "already booked"."""
    for attempt in range(RETRIES):
        try:
            return operation()
        except (SlotTakenError, ValidationError, SeriesConflictError):
            raise
        except OperationalError as error:
            # SQLite "database is locked"; PostgreSQL lock time-outs, deadlocks and
            # serialisation failures (psycopg's TransactionRollback is an OperationalError).
            logger.info("Booking attempt %s hit a database conflict: %s", attempt + 1, error)
        time.sleep(0.02 * (attempt + 1))
    raise SlotTakenError


def _lock_rooms(room_ids: Sequence[int]) -> None:
    """Serialise with other bookings of these rooms (see the module docstring)."""
    if connection.vendor == "postgresql":
        list(
            Room.objects.select_for_update()
            .filter(pk__in=room_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    # SQLite: the transaction began with BEGIN IMMEDIATE and already holds the write lock.
    # Any other database: the row locks where supported.
    elif connection.features.has_select_for_update:
        list(Room.objects.select_for_update().filter(pk__in=room_ids).order_by("pk"))


def _is_taken(room_ids: Sequence[int], slot: Slot, exclude: int | None = None) -> bool:
    qs = (
        Reservation.objects.active()
        .of_rooms(list(room_ids))
        .overlapping(slot.starts_at, slot.ends_at)
    )
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


def book_room(
    *,
    room: Room,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    purpose: str,
    people: int,
    by: User | None,
    organization: Organization | None = None,
    on_behalf_of_name: str = "",
    on_behalf_of_phone: str = "",
    contact_email: str = "",
    request: HttpRequest | None = None,
) -> Reservation:
    """Book ``room`` for the slot, or raise ``SlotTakenError``.

    The rules of the room (hours, window, capacity, who may book) are checked by
    ``ReservationForm`` before; this operation guarantees the slot is free. A room that
    needs approval gets a requested reservation, which holds the slot until decided.
    """
    if ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."))
    if ends_at - starts_at > LONGEST_RESERVATION:
        raise ValidationError(_("A reservation must start and end on the same day."))
    room_ids = room.related_room_ids()
    slot = Slot(starts_at, ends_at)

    def attempt() -> Reservation:
        with transaction.atomic():
            _lock_rooms(room_ids)
            if _is_taken(room_ids, slot):
                raise SlotTakenError
            reservation = Reservation.objects.create(
                room=room,
                starts_at=starts_at,
                ends_at=ends_at,
                organization=organization,
                booked_by=by,
                on_behalf_of_name=on_behalf_of_name,
                on_behalf_of_phone=on_behalf_of_phone,
                contact_email=contact_email,
                purpose=purpose,
                people=people,
                status=(
                    ReservationStatus.REQUESTED
                    if room.requires_approval
                    else ReservationStatus.CONFIRMED
                ),
                fee_yen=compute_fee_yen(room.fee_rules.all(), starts_at, ends_at),
            )
            record_event(
                actor=by,
                action=Action.CREATE,
                target=reservation,
                center=room.center,
                request=request,
            )
            _notify_after_commit(
                reservation, "requested" if room.requires_approval else "confirmed"
            )
            return reservation

    return _with_retries(attempt)


def book_series(
    *,
    room: Room,
    recurrence: str,
    slots: list[Slot],
    starts_on: datetime.date,
    until_on: datetime.date,
    purpose: str,
    people: int,
    by: User | None,
    organization: Organization | None = None,
    on_behalf_of_name: str = "",
    on_behalf_of_phone: str = "",
    contact_email: str = "",
    request: HttpRequest | None = None,
) -> ReservationSeries:
    """Book every slot of a series, all or nothing: if any slot is taken, nothing is
    booked and ``SeriesConflictError`` lists the taken dates."""
    room_ids = room.related_room_ids()
    rules = list(room.fee_rules.all())
    status = ReservationStatus.REQUESTED if room.requires_approval else ReservationStatus.CONFIRMED

    def attempt() -> ReservationSeries:
        with transaction.atomic():
            _lock_rooms(room_ids)
            conflicts = [
                SeriesConflict(slot.starts_at, slot.ends_at, _("Already booked."))
                for slot in slots
                if _is_taken(room_ids, slot)
            ]
            if conflicts:
                raise SeriesConflictError(conflicts)
            series = ReservationSeries.objects.create(
                room=room,
                recurrence=recurrence,
                starts_on=starts_on,
                until_on=until_on,
                organization=organization,
                booked_by=by,
                on_behalf_of_name=on_behalf_of_name,
                purpose=purpose,
                people=people,
            )
            Reservation.objects.bulk_create(
                [
                    Reservation(
                        room=room,
                        starts_at=slot.starts_at,
                        ends_at=slot.ends_at,
                        organization=organization,
                        booked_by=by,
                        on_behalf_of_name=on_behalf_of_name,
                        on_behalf_of_phone=on_behalf_of_phone,
                        contact_email=contact_email,
                        purpose=purpose,
                        people=people,
                        status=status,
                        fee_yen=compute_fee_yen(rules, slot.starts_at, slot.ends_at),
                        series=series,
                    )
                    for slot in slots
                ]
            )
            record_event(
                actor=by,
                action=Action.CREATE,
                target=series,
                center=room.center,
                request=request,
                details={"occurrences": len(slots)},
            )
            return series

    return _with_retries(attempt)


# A reservation in these states no longer holds its slot, nor the events held in it.
