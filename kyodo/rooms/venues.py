"""Reservations as the venue of events (イベントの会場).

An event session names the reservation it takes place in (``EventSession.reservation``,
set in the events app's staff pages). This module reads that link for the rooms pages:
the staff grid and reservation page show the event, cancelling or denying a venue asks
staff to confirm first, and the notices mention the event. ``actions`` clears the link
when a reservation stops holding its slot (cancelled or denied).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from kyodo.events.models import Event, EventSession
from kyodo.rooms.models import Reservation


@dataclass(frozen=True)
class EventLink:
    """An event held in a reservation, as the grid shows it."""

    pk: int
    title: str


@dataclass(frozen=True)
class EventUse:
    """An event held in one or more of some reservations, with the dates of its sessions
    there."""

    pk: int
    title: str
    dates: tuple[datetime.date, ...]


def _sessions(
    reservations: QuerySet[Reservation] | Iterable[int], *, published_only: bool
) -> QuerySet[EventSession]:
    sessions = EventSession.objects.filter(reservation__in=reservations)
    if published_only:
        sessions = sessions.filter(event__in=Event.objects.published())
    return sessions


def events_held_in(
    reservations: QuerySet[Reservation] | Iterable[int], *, published_only: bool = False
) -> list[EventUse]:
    """The events with a session in one of ``reservations`` (one query), by title.
    ``published_only`` leaves out drafts, for what the public or the booker sees."""
    rows = (
        _sessions(reservations, published_only=published_only)
        .order_by("event__title", "event_id", "date")
        .values_list("event_id", "event__title", "date")
    )
    found: dict[int, tuple[str, list[datetime.date]]] = {}
    for event_id, title, date in rows:
        entry = found.setdefault(event_id, (title, []))
        if date not in entry[1]:
            entry[1].append(date)
    return [EventUse(pk, title, tuple(dates)) for pk, (title, dates) in found.items()]


def event_links(reservation_ids: Iterable[int]) -> dict[int, tuple[EventLink, ...]]:
    """{reservation id: the events held in it}, for the reservations that hold one (one
    query, none when ``reservation_ids`` is empty)."""
    ids = sorted(set(reservation_ids))
    if not ids:
        return {}
    rows = (
        EventSession.objects.filter(reservation_id__in=ids)
        .order_by("reservation_id", "event__title", "event_id")
        .values_list("reservation_id", "event_id", "event__title")
        .distinct()
    )
    links: dict[int, list[EventLink]] = {}
    for reservation_id, event_id, title in rows:
        links.setdefault(reservation_id, []).append(EventLink(event_id, title))
    return {pk: tuple(found) for pk, found in links.items()}
