"""Opening hours and closed days of a room, read from the text staff write.

``opening_hours`` (「月曜日～土曜日 9:00～21:00 日曜日・祝日 9:00～17:00」) and ``closed_days``
(「年末年始、第3木曜日 点検日」) are read by ``kyodo.japanese.schedule``. Text the parser
does not fully understand is refused when staff save it (``read_opening_hours`` and
``read_closed_days`` raise ``UnreadableSchedule`` naming the part), so what is stored is
always read completely.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils import timezone

from kyodo.japanese.schedule import Schedule, parse_schedule

if TYPE_CHECKING:
    from kyodo.rooms.models import Room

# A room whose opening hours are not written is open every day from 9:00 to 21:00.
DEFAULT_OPEN = (datetime.time(9, 0), datetime.time(21, 0))
CLOSURE_PREFIX = "休館日 "


class UnreadableSchedule(ValueError):
    """Text the schedule parser does not fully understand; ``parts`` are the leftovers."""

    def __init__(self, parts: list[str]) -> None:
        super().__init__("、".join(parts))
        self.parts = parts


@lru_cache(maxsize=512)
def _parse(text: str, reference: datetime.date) -> Schedule:
    return parse_schedule(text, reference=reference)


def _reference() -> datetime.date:
    # Opening hours and closed days recur every year; the reference only settles the
    # year of dates written without one. The first of the month keeps the cache small.
    return timezone.localdate().replace(day=1)


def read_opening_hours(text: str) -> Schedule | None:
    """The schedule of ``text``, or None when empty; raises ``UnreadableSchedule``."""
    text = text.strip()
    if not text:
        return None
    schedule = _parse(text, _reference())
    if not schedule.is_complete:
        raise UnreadableSchedule(schedule.unparsed)
    opened = [rule for rule in schedule.rules if rule.selects_days and not rule.is_closure]
    if not opened or not any(rule.times for rule in opened):
        raise UnreadableSchedule([text])
    return schedule


def read_closed_days(text: str) -> Schedule | None:
    """The closed days of ``text`` (休館日 is implied), or None when empty."""
    text = text.strip()
    if not text:
        return None
    schedule = _parse(text, _reference())
    if schedule.is_complete and schedule.is_closure:
        return schedule
    implied = _parse(CLOSURE_PREFIX + text, _reference())
    if implied.is_complete and implied.is_closure:
        return implied
    raise UnreadableSchedule(schedule.unparsed or [text])


@dataclass(frozen=True)
class DayHours:
    """A room's hours on one day: closed, or open from ``opens`` to ``closes``."""

    day: datetime.date
    opens: datetime.time | None
    closes: datetime.time | None

    @property
    def is_open(self) -> bool:
        return self.opens is not None


def hours_between(
    room: Room, start: datetime.date, end: datetime.date
) -> dict[datetime.date, DayHours]:
    """The room's hours on every day from ``start`` to ``end`` (both included).

    Stored text is always readable (forms refuse the rest); should it not be, the room
    counts as open 9:00–21:00 on every day rather than failing a page. Rooms of a center
    usually share their text, so the answer is cached by text and period.
    """
    return _hours_for_text(room.opening_hours, room.closed_days, start, end)


@lru_cache(maxsize=2048)
def _hours_for_text(
    opening_text: str, closed_text: str, start: datetime.date, end: datetime.date
) -> dict[datetime.date, DayHours]:
    try:
        opening = read_opening_hours(opening_text)
    except UnreadableSchedule:
        opening = None
    try:
        closing = read_closed_days(closed_text)
    except UnreadableSchedule:
        closing = None
    closed = set(closing.closed_dates(start, end)) if closing else set()
    by_day: dict[datetime.date, tuple[datetime.time, datetime.time]] = {}
    if opening is not None:
        for occurrence in opening.occurrences(start, end):
            if occurrence.start_time is None or occurrence.end_time is None:
                continue
            current = by_day.get(occurrence.date)
            opens, closes = occurrence.start_time, occurrence.end_time
            if current:
                opens, closes = min(current[0], opens), max(current[1], closes)
            by_day[occurrence.date] = (opens, closes)
    result: dict[datetime.date, DayHours] = {}
    day = start
    while day <= end:
        if day in closed:
            result[day] = DayHours(day, None, None)
        elif opening is None:
            result[day] = DayHours(day, *DEFAULT_OPEN)
        elif day in by_day:
            result[day] = DayHours(day, *by_day[day])
        else:
            result[day] = DayHours(day, None, None)
        day += datetime.timedelta(days=1)
    return result


def next_closed_days(room: Room, count: int = 5) -> list[datetime.date]:
    """The next ``count`` days within a year on which the room is closed, for staff."""
    today = timezone.localdate()
    hours = hours_between(room, today, today + datetime.timedelta(days=365))
    return [day for day, info in sorted(hours.items()) if not info.is_open][:count]
