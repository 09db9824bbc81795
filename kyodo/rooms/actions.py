"""Operations on rooms and reservations.

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
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import OperationalError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.events.models import EventSession
from kyodo.rooms.fees import compute_fee_yen
from kyodo.rooms.models import (
    LONGEST_RESERVATION,
    CenterRoomSettings,
    OccupancyBasis,
    Referral,
    ReferralOutcome,
    Reservation,
    ReservationSeries,
    ReservationStatus,
    Room,
)
from kyodo.rooms.venues import events_held_in

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User
    from kyodo.centers.models import Center
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
RELEASED_STATUSES = (ReservationStatus.CANCELLED, ReservationStatus.DENIED)


def _release_event_venues(reservation_ids: Sequence[int]) -> list[int]:
    """Unlink the event sessions held in reservations that were just cancelled or denied
    (the event keeps its sessions, without a room); returns the sessions' ids. A
    deleted reservation is unlinked by the foreign key (``SET_NULL``); a cancelled one,
    which stays, is unlinked here."""
    sessions = EventSession.objects.filter(reservation_id__in=list(reservation_ids))
    ids = list(sessions.values_list("pk", flat=True))
    if ids:
        EventSession.objects.filter(pk__in=ids).update(reservation=None)
    return ids


def _change_status(
    reservation: Reservation,
    *,
    status: str,
    allowed_from: Sequence[str],
    by: User | None,
    note: str = "",
    request: HttpRequest | None,
    notice: str | None,
) -> Reservation:
    with transaction.atomic():
        current = Reservation.objects.select_for_update().get(pk=reservation.pk)
        if current.status not in allowed_from:
            raise ValidationError(
                _("This reservation is %(status)s and cannot be changed that way.")
                % {"status": current.get_status_display()}
            )
        current.status = status
        current.decided_by = by
        current.decided_at = timezone.now()
        if note:
            current.decision_note = note
        current.save(
            update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
        )
        details: dict[str, Any] = {"status": status}
        events: tuple[str, ...] | None = None
        if status in RELEASED_STATUSES:
            # Named in the notice, as they were before the link is cleared.
            events = tuple(e.title for e in events_held_in([current.pk], published_only=True))
            unlinked = _release_event_venues([current.pk])
            if unlinked:
                details["event_sessions_unlinked"] = unlinked
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=current,
            center=current.room.center,
            request=request,
            details=details,
        )
        if notice:
            _notify_after_commit(current, notice, events=events)
    reservation.refresh_from_db()
    return reservation


def approve_reservation(
    *, reservation: Reservation, by: User, request: HttpRequest | None = None
) -> Reservation:
    return _change_status(
        reservation,
        status=ReservationStatus.CONFIRMED,
        allowed_from=[ReservationStatus.REQUESTED],
        by=by,
        request=request,
        notice="approved",
    )


def deny_reservation(
    *, reservation: Reservation, by: User, note: str = "", request: HttpRequest | None = None
) -> Reservation:
    return _change_status(
        reservation,
        status=ReservationStatus.DENIED,
        allowed_from=[ReservationStatus.REQUESTED],
        by=by,
        note=note,
        request=request,
        notice="denied",
    )


def cancel_reservation(
    *, reservation: Reservation, by: User | None, request: HttpRequest | None = None
) -> Reservation:
    return _change_status(
        reservation,
        status=ReservationStatus.CANCELLED,
        allowed_from=[ReservationStatus.REQUESTED, ReservationStatus.CONFIRMED],
        by=by,
        request=request,
        notice="cancelled",
    )


def mark_no_show(
    *, reservation: Reservation, by: User, request: HttpRequest | None = None
) -> Reservation:
    if reservation.starts_at > timezone.now():
        raise ValidationError(_("A reservation can be marked as a no-show only once it has begun."))
    return _change_status(
        reservation,
        status=ReservationStatus.NO_SHOW,
        allowed_from=[ReservationStatus.CONFIRMED],
        by=by,
        request=request,
        notice=None,
    )


def cancel_series(
    *,
    series: ReservationSeries,
    by: User | None,
    from_date: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Cancel the future occurrences of a series (from ``from_date``, default now);
    returns how many were cancelled. Past occurrences stay as they were."""
    with transaction.atomic():
        qs = series.reservations.filter(
            status__in=[ReservationStatus.REQUESTED, ReservationStatus.CONFIRMED],
            starts_at__gte=timezone.now(),
        )
        if from_date is not None:
            qs = qs.filter(starts_at__date__gte=from_date)
        ids = list(qs.values_list("pk", flat=True))
        count = Reservation.objects.filter(pk__in=ids).update(
            status=ReservationStatus.CANCELLED, decided_by=by, decided_at=timezone.now()
        )
        if from_date is None:
            ReservationSeries.objects.filter(pk=series.pk).update(is_cancelled=True)
        details: dict[str, Any] = {"cancelled": count}
        unlinked = _release_event_venues(ids)
        if unlinked:
            details["event_sessions_unlinked"] = unlinked
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=series,
            center=series.room.center,
            request=request,
            details=details,
        )
    return count


def change_reservation(
    *,
    reservation: Reservation,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    purpose: str,
    people: int,
    by: User | None,
    request: HttpRequest | None = None,
) -> Reservation:
    """Move one reservation (one occurrence of a series, say) to another time and change
    what it is for; raises ``SlotTakenError`` when the new time is taken (by another
    reservation of the room, a part or a whole). The fee is computed again. The rules of
    the room are checked by ``ReservationChangeForm`` before."""
    if ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."))
    if ends_at - starts_at > LONGEST_RESERVATION:
        raise ValidationError(_("A reservation must start and end on the same day."))
    room = reservation.room
    room_ids = room.related_room_ids()
    rules = list(room.fee_rules.all())

    def attempt() -> Reservation:
        with transaction.atomic():
            _lock_rooms(room_ids)
            current = Reservation.objects.select_for_update().get(pk=reservation.pk)
            if not current.is_active or current.status == ReservationStatus.NO_SHOW:
                raise ValidationError(
                    _("This reservation is %(status)s and cannot be changed that way.")
                    % {"status": current.get_status_display()}
                )
            if _is_taken(room_ids, Slot(starts_at, ends_at), exclude=current.pk):
                raise SlotTakenError
            current.starts_at, current.ends_at = starts_at, ends_at
            current.purpose, current.people = purpose, people
            current.fee_yen = compute_fee_yen(rules, starts_at, ends_at)
            current.reminder_sent_at = None
            current.save(
                update_fields=[
                    "starts_at",
                    "ends_at",
                    "purpose",
                    "people",
                    "fee_yen",
                    "reminder_sent_at",
                    "updated_at",
                ]
            )
            record_event(
                actor=by,
                action=Action.UPDATE,
                target=current,
                center=room.center,
                request=request,
                details={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
            )
            return current

    changed = _with_retries(attempt)
    reservation.refresh_from_db()
    return changed


def future_occurrences(series: ReservationSeries) -> Any:
    """The occurrences of ``series`` that a change of the series applies to: those not
    yet begun that still hold their slot (requested or confirmed)."""
    return series.reservations.filter(
        status__in=[ReservationStatus.REQUESTED, ReservationStatus.CONFIRMED],
        starts_at__gte=timezone.now(),
    ).order_by("starts_at")


def change_series(
    *,
    series: ReservationSeries,
    purpose: str,
    people: int,
    by: User | None,
    starts_at_time: datetime.time | None = None,
    ends_at_time: datetime.time | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Change the future occurrences of a series: what they are for (purpose, people)
    and, given ``starts_at_time`` and ``ends_at_time``, their time of day. All or
    nothing: when a new time is taken on some date, nothing changes and
    ``SeriesConflictError`` lists those dates. Returns how many occurrences changed.
    Opening hours and capacity are checked by ``SeriesChangeForm`` before."""
    room = series.room
    room_ids = room.related_room_ids()
    rules = list(room.fee_rules.all())
    move = starts_at_time is not None and ends_at_time is not None
    if move and ends_at_time <= starts_at_time:  # type: ignore[operator]
        raise ValidationError(_("The end must be after the start."))

    def attempt() -> int:
        with transaction.atomic():
            _lock_rooms(room_ids)
            occurrences = list(future_occurrences(series).select_for_update())
            own = {r.pk for r in occurrences}
            if move:
                assert starts_at_time is not None and ends_at_time is not None  # noqa: S101
                conflicts = []
                for occurrence in occurrences:
                    day = timezone.localtime(occurrence.starts_at).date()
                    occurrence.starts_at = timezone.make_aware(
                        datetime.datetime.combine(day, starts_at_time)
                    )
                    occurrence.ends_at = timezone.make_aware(
                        datetime.datetime.combine(day, ends_at_time)
                    )
                    slot = Slot(occurrence.starts_at, occurrence.ends_at)
                    taken = (
                        Reservation.objects.active()
                        .of_rooms(room_ids)
                        .overlapping(slot.starts_at, slot.ends_at)
                        .exclude(pk__in=own)
                        .exists()
                    )
                    if taken:
                        conflicts.append(
                            SeriesConflict(slot.starts_at, slot.ends_at, _("Already booked."))
                        )
                    occurrence.fee_yen = compute_fee_yen(rules, slot.starts_at, slot.ends_at)
                if conflicts:
                    raise SeriesConflictError(conflicts)
            for occurrence in occurrences:
                occurrence.purpose, occurrence.people = purpose, people
            Reservation.objects.bulk_update(
                occurrences, ["starts_at", "ends_at", "purpose", "people", "fee_yen"]
            )
            ReservationSeries.objects.filter(pk=series.pk).update(purpose=purpose, people=people)
            record_event(
                actor=by,
                action=Action.UPDATE,
                target=series,
                center=room.center,
                request=request,
                details={"changed": len(occurrences), "moved": move},
            )
            return len(occurrences)

    return _with_retries(attempt)


def refer_to_partner(
    *,
    from_center: Any,
    room: Room,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    people: int,
    by: User,
    organization: Organization | None = None,
    person_name: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """Record a referral (相互あっせん) of a group to a partner center's room."""
    with transaction.atomic():
        referral = Referral.objects.create(
            from_center=from_center,
            to_center=room.center,
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            organization=organization,
            person_name=person_name,
            people=people,
            note=note,
            created_by=by,
        )
        record_event(
            actor=by, action=Action.CREATE, target=referral, center=from_center, request=request
        )
    return referral


def set_referral_outcome(
    *, referral: Referral, outcome: str, by: User, request: HttpRequest | None = None
) -> Referral:
    """Record what became of a referral: booked at the partner, declined, or pending."""
    if outcome not in ReferralOutcome.values:
        raise ValidationError(_("Choose an outcome."))
    with transaction.atomic():
        referral.outcome = outcome
        referral.save(update_fields=["outcome"])
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=referral,
            center=referral.from_center,
            request=request,
            details={"outcome": outcome},
        )
    return referral


def set_occupancy_basis(
    *, center: Center, basis: str, by: User, request: HttpRequest | None = None
) -> CenterRoomSettings:
    """Choose what the center's occupancy rate (稼働率) divides by."""
    if basis not in OccupancyBasis.values:
        raise ValidationError(_("Choose how occupancy is counted."))
    with transaction.atomic():
        settings_row, _created = CenterRoomSettings.objects.update_or_create(
            center=center, defaults={"occupancy_basis": basis}
        )
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=settings_row,
            center=center,
            request=request,
            details={"occupancy_basis": basis},
        )
    return settings_row


def send_reminders(*, on: datetime.date) -> int:
    """Send a reminder for each confirmed reservation starting on ``on`` that has not had
    one; returns how many were sent. Safe to run twice (cron)."""
    sent = 0
    due = (
        Reservation.objects.filter(
            status=ReservationStatus.CONFIRMED, starts_at__date=on, reminder_sent_at__isnull=True
        )
        .select_related("room__center", "organization", "booked_by")
        .order_by("starts_at")
    )
    for reservation in due:
        with transaction.atomic():
            updated = Reservation.objects.filter(
                pk=reservation.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=timezone.now())
            if updated:
                _notify_after_commit(reservation, "reminder")
                sent += 1
    return sent


# --- E-mail ---------------------------------------------------------------------------------

SUBJECTS: dict[str, Callable[[], str]] = {
    "confirmed": lambda: _("Your room reservation is confirmed"),
    "requested": lambda: _("We have received your room reservation request"),
    "approved": lambda: _("Your room reservation has been approved"),
    "denied": lambda: _("Your room reservation request could not be accepted"),
    "cancelled": lambda: _("Your room reservation has been cancelled"),
    "reminder": lambda: _("Reminder: your room reservation tomorrow"),
}


def _send_notice(reservation_id: int, kind: str, events: tuple[str, ...] | None = None) -> None:
    """Send the notice ``kind``; it names the published events held in the reservation
    (``events``, when they were read before a cancellation unlinked them)."""
    reservation = (
        Reservation.objects.select_related("room__center", "organization", "booked_by")
        .filter(pk=reservation_id)
        .first()
    )
    if reservation is None or not reservation.notice_email:
        return
    if events is None:
        events = tuple(e.title for e in events_held_in([reservation.pk], published_only=True))
    language = getattr(reservation.booked_by, "preferred_language", "") or settings.LANGUAGE_CODE
    context = {
        "reservation": reservation,
        "kind": kind,
        "site_url": settings.SITE_URL,
        "starts_at": timezone.localtime(reservation.starts_at),
        "ends_at": timezone.localtime(reservation.ends_at),
        "events": "、".join(f"「{title}」" for title in events),
    }
    with translation.override(language):
        subject = SUBJECTS[kind]()
        body = render_to_string("emails/rooms/notice.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [reservation.notice_email])
    try:
        message.send()
    except Exception:
        logger.exception("Could not send the %s notice of reservation %s", kind, reservation_id)


def _notify_after_commit(
    reservation: Reservation, kind: str, events: tuple[str, ...] | None = None
) -> None:
    transaction.on_commit(partial(_send_notice, reservation.pk, kind, events))


def save_room(
    *, form: Any, by: User, fee_formset: Any = None, request: HttpRequest | None = None
) -> Room:
    """Save a valid ``RoomForm`` (a new room or changes to one) and, given, its valid fee
    table (``FeeRuleFormSet``), together."""
    with transaction.atomic():
        is_new = form.instance.pk is None
        room: Room = form.save()
        if fee_formset is not None:
            fee_formset.instance = room
            fee_formset.save()
        record_event(
            actor=by,
            action=Action.CREATE if is_new else Action.UPDATE,
            target=room,
            center=room.center,
            request=request,
        )
    return room
