"""Input of the rooms pages and API, by sub-topic: ``reservations`` (a booking, a series,
changes; ``ReservationForm`` checks a booking with ``Room.booking_problems``), ``rooms``
(a room, its fees, the occupancy basis, the week grid) and ``referrals`` (相互あっせん).
Every form is importable from ``kyodo.rooms.forms``.
"""

from __future__ import annotations

from kyodo.rooms.rules import eligibility_problems, is_registered, slot_problems, window_problems

from ._widgets import DATE_INPUT, DATETIME_INPUT, TIME_INPUT
from .referrals import ReferralForm, ReferralOutcomeForm
from .reservations import (
    NOT_ONE_OF_YOUR_GROUPS,
    DenyForm,
    ReservationChangeForm,
    ReservationForm,
    SeriesChangeForm,
    SeriesForm,
)
from .rooms import (
    BaseFeeRuleFormSet,
    FeeRuleForm,
    FeeRuleFormSet,
    OccupancyBasisForm,
    RoomForm,
    WeekForm,
)

__all__ = [
    "DATETIME_INPUT",
    "DATE_INPUT",
    "NOT_ONE_OF_YOUR_GROUPS",
    "TIME_INPUT",
    "BaseFeeRuleFormSet",
    "DenyForm",
    "FeeRuleForm",
    "FeeRuleFormSet",
    "OccupancyBasisForm",
    "ReferralForm",
    "ReferralOutcomeForm",
    "ReservationChangeForm",
    "ReservationForm",
    "RoomForm",
    "SeriesChangeForm",
    "SeriesForm",
    "WeekForm",
    "eligibility_problems",
    "is_registered",
    "slot_problems",
    "window_problems",
]
