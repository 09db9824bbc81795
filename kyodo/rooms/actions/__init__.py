"""Operations on rooms and reservations, by sub-topic: ``booking`` (``book_room``,
``book_series``: never a double booking, see that module), ``changes`` (approve, deny,
cancel, move), ``referrals`` (相互あっせん), ``rooms`` (a room and its fees, the occupancy
basis) and ``notices`` (e-mail). Every operation is importable from
``kyodo.rooms.actions``.
"""

from __future__ import annotations

from .booking import (
    SeriesConflict,
    SeriesConflictError,
    Slot,
    SlotTakenError,
    book_room,
    book_series,
)
from .changes import (
    RELEASED_STATUSES,
    approve_reservation,
    cancel_reservation,
    cancel_series,
    change_reservation,
    change_series,
    deny_reservation,
    future_occurrences,
    mark_no_show,
)
from .notices import send_reminders
from .referrals import refer_to_partner, set_referral_outcome
from .rooms import save_room, set_occupancy_basis

__all__ = [
    "RELEASED_STATUSES",
    "SeriesConflict",
    "SeriesConflictError",
    "Slot",
    "SlotTakenError",
    "approve_reservation",
    "book_room",
    "book_series",
    "cancel_reservation",
    "cancel_series",
    "change_reservation",
    "change_series",
    "deny_reservation",
    "future_occurrences",
    "mark_no_show",
    "refer_to_partner",
    "save_room",
    "send_reminders",
    "set_occupancy_basis",
    "set_referral_outcome",
]
