"""Changes of reservations and series: approve, deny, cancel, no-show, another time.
A cancelled or denied reservation lets go of the event sessions held in it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.events.models import EventSession
from kyodo.rooms.fees import compute_fee_yen
from kyodo.rooms.models import (
    LONGEST_RESERVATION,
    Reservation,
    ReservationSeries,
    ReservationStatus,
)
from kyodo.rooms.venues import events_held_in

from .booking import (
    SeriesConflict,
    SeriesConflictError,
    Slot,
    SlotTakenError,
    _is_taken,
    _lock_rooms,
    _with_retries,
)
from .notices import _notify_after_commit

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User


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
