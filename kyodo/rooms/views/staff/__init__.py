"""The staff pages of rooms: the week grid of a center, booking on someone's behalf,
series, approval, the rooms themselves, occupancy and referral (相互あっせん).

Every view looks the center up by its slug and checks ``Permission.MANAGE_ROOMS`` there
through ``kyodo.centers.access``; rooms and reservations are then looked up within it.

A package by sub-topic (``reservations``, ``rooms``, ``referral_pages``); every view is
importable from ``kyodo.rooms.views.staff``.
"""

from __future__ import annotations

from .referral_pages import refer, referral_outcome, referrals
from .reservations import book_on_behalf, book_series, reservation_detail, series_detail, week_grid
from .rooms import occupancy, occupancy_csv, room_edit, room_list

__all__ = [
    "book_on_behalf",
    "book_series",
    "occupancy",
    "occupancy_csv",
    "refer",
    "referral_outcome",
    "referrals",
    "reservation_detail",
    "room_edit",
    "room_list",
    "series_detail",
    "week_grid",
]
