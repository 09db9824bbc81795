"""A schedule as RFC 5545 recurrence properties (DTSTART, RRULE, RDATE, EXDATE).

Each rule gives one block per RRULE-expressible pattern and per time slot (a block is what
one VEVENT would carry); blocks are separated by an empty line. DTSTART is the first
instance of the pattern in the window; with a time it is a local time in Asia/Tokyo
(``DTSTART;TZID=Asia/Tokyo:20220114T130000``), without one a date (``VALUE=DATE``).

RRULE has no notion of Japanese holidays, so exceptions are spelled out: EXDATE for every
instance the pattern produces but the schedule does not keep (祝日を除く, 2月11日を除く,
a holiday shifted away, a day taken by a more specific rule, a closure), RDATE for every
day the schedule keeps but no pattern produces (祝日 as a day kind, the day a holiday was
shifted to, single dates). They are computed by comparing the pattern with the expanded
schedule, over the whole series for a bounded rule (a period or a count, which becomes
UNTIL: COUNT would count the excluded days) and over the queried window otherwise, so an
open-ended rule's exceptions are only listed within that window.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .model import Pattern, Rule, TimeSlot

if TYPE_CHECKING:
    from .phrase import Schedule

__all__ = ["TZID", "render_rrule"]

TZID = "Asia/Tokyo"
_TOKYO = ZoneInfo(TZID)
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _value(day: date, slot: TimeSlot | None) -> str:
    if slot is None:
        return f"VALUE=DATE:{day:%Y%m%d}"
    return f"TZID={TZID}:{day:%Y%m%d}T{slot.start:%H%M%S}"


def _property(name: str, day: date, slot: TimeSlot | None) -> str:
    return f"{name};{_value(day, slot)}"


def _until(day: date, slot: TimeSlot | None) -> str:
    if slot is None:
        return f"{day:%Y%m%d}"
    moment = datetime.combine(day, slot.start, tzinfo=_TOKYO).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}"


def rrule_line(pattern: Pattern, *, until: date | None, slot: TimeSlot | None) -> str:
    """``RRULE:FREQ=MONTHLY;BYDAY=2WE,4WE`` for one pattern."""
    parts = [f"FREQ={pattern.freq}"]
    if pattern.interval > 1:
        parts.append(f"INTERVAL={pattern.interval}")
        if pattern.freq == "WEEKLY":
            parts.append("WKST=MO")
    if pattern.bymonth:
        parts.append("BYMONTH=" + ",".join(str(month) for month in pattern.bymonth))
    if pattern.bymonthday:
        parts.append("BYMONTHDAY=" + ",".join(str(day) for day in pattern.bymonthday))
    if pattern.byweekday:
        days = [f"{ordinal or ''}{_DAY_CODES[day]}" for day, ordinal in pattern.byweekday]
        parts.append("BYDAY=" + ",".join(days))
    if until is not None:
        parts.append(f"UNTIL={_until(until, slot)}")
    return "RRULE:" + ";".join(parts)


def _window(rule: Rule, start: date, end: date) -> tuple[date, date]:
    if rule.series:
        return min(rule.series), max(rule.series)
    first = max(start, rule.start_on) if rule.start_on and rule.end_on is None else start
    if rule.end_on is not None:
        return rule.start_on or start, rule.end_on
    return first, end


def _rule_blocks(rule: Rule, kept: set[date], first: date, last: date) -> list[list[str]]:
    found = [(pattern, rule.pattern_dates(pattern, first, last)) for pattern in rule.patterns]
    produced = {day for _, days in found for day in days}
    added = sorted(kept - produced)
    until = rule.last_on if rule.is_bounded else None
    blocks: list[list[str]] = []
    for slot in rule.times or (None,):
        emitted = False
        for pattern, days in found:
            opening = days[:1]
            if not opening and not rule.is_bounded:
                # Nothing in the window: still state the rule, from its next instance.
                opening = rule.pattern_dates(pattern, first, first + timedelta(days=800))[:1]
            if not opening:
                continue
            lines = [_property("DTSTART", opening[0], slot)]
            lines.append(rrule_line(pattern, until=until, slot=slot))
            lines += [_property("EXDATE", day, slot) for day in days if day not in kept]
            if not emitted:
                lines += [_property("RDATE", day, slot) for day in added]
            emitted = True
            blocks.append(lines)
        if not emitted and added:
            lines = [_property("DTSTART", added[0], slot)]
            blocks.append(lines + [_property("RDATE", day, slot) for day in added[1:]])
    return blocks


def render_rrule(schedule: Schedule, start: date, end: date) -> str | None:
    """The recurrence properties of ``schedule``; exceptions listed from ``start`` to ``end``
    for open-ended rules. None when no rule selects any day."""
    rules = [rule for rule in schedule.rules if rule.selects_days]
    if not rules:
        return None
    windows = {id(rule): _window(rule, start, end) for rule in rules}
    first = min(window[0] for window in windows.values())
    last = max(window[1] for window in windows.values())
    blocks: list[list[str]] = []
    for rule, kept in schedule.dates_by_rule(first, last):
        low, high = windows[id(rule)]
        in_window = {day for day in kept if low <= day <= high}
        blocks.extend(_rule_blocks(rule, in_window, low, high))
    if not blocks:
        return None
    return "\n\n".join("\n".join(block) for block in blocks)
