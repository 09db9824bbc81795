"""What a schedule phrase means once read: rules, the days they select, and occurrences.

A schedule is a list of :class:`Rule`. Each rule has a day selection (weekdays, n-th
weekdays of the month, days of the month, holidays as a day kind, yearly periods such as
年末年始, single dates), optional month filter, interval, date range and count, time slots,
exclusions, a holiday shift (祝日の場合は翌日) and a closure flag (休館日, 点検日).

Expansion is done here; the same :class:`Pattern` objects are printed as RFC 5545 RRULEs by
``rfc5545.py``, so the stored rule and the listed occurrences cannot disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import NamedTuple

from dateutil import rrule as du

from kyodo.japanese.holidays import holidays_between, is_business_day, is_holiday

__all__ = [
    "EVERY_WEEK",
    "LAST",
    "YEAR_END",
    "AnnualRange",
    "DaySet",
    "HolidayShift",
    "Occurrence",
    "Pattern",
    "Rule",
    "TimeSlot",
]

EVERY_WEEK = 0
"""Ordinal of a weekday selected every week (毎週)."""
LAST = -1
"""Ordinal of the last such weekday of the month (最終)."""

# How specific a way of selecting a day is. When several rules select the same day, only
# the most specific ones apply: 日曜日・祝日 9:00〜17:00 beats 月曜日〜土曜日 9:00〜21:00 on a
# Monday holiday, 第2金曜日 18:00〜20:00 beats 毎週金曜日 13:00〜15:00.
WEEKLY = 1
MONTHLY = 2
HOLIDAY = 3
EXPLICIT = 4

_SERIES_HORIZON_DAYS = 366 * 10  # a counted series (全8回) must end within ten years


@dataclass(frozen=True, order=True)
class AnnualRange:
    """A period repeating every year, from one month-day to another (may wrap past 31 Dec)."""

    start: tuple[int, int]
    end: tuple[int, int]

    def contains(self, day: date) -> bool:
        key = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= key <= self.end
        return key >= self.start or key <= self.end

    def month_segments(self) -> list[tuple[int, list[int]]]:
        """The months covered and, for each, its days (an empty list: the whole month)."""
        segments: list[tuple[int, list[int]]] = []
        month, day = self.start
        while True:
            is_last_month = month == self.end[0] and day <= self.end[1]
            last = self.end[1] if is_last_month else 31
            days = [] if day == 1 and last == 31 else list(range(day, last + 1))
            segments.append((month, days))
            if is_last_month:
                return segments
            month, day = month % 12 + 1, 1


YEAR_END = AnnualRange((12, 29), (1, 3))
"""年末年始: 29 December to 3 January (行政機関の休日に関する法律)."""


@dataclass(frozen=True)
class DaySet:
    """A selection of days, positive (what a rule selects) or negative (what it excludes).

    ``weekdays`` holds (weekday, ordinal) pairs: weekday 0 = Monday … 6 = Sunday; ordinal
    :data:`EVERY_WEEK`, 1–5 (第n) or :data:`LAST` (最終). ``month_days`` uses -1 for the last
    day of the month (月末). ``months`` is only used to exclude whole months (8月を除く).
    """

    weekdays: frozenset[tuple[int, int]] = frozenset()
    holidays: bool = False
    month_days: frozenset[int] = frozenset()
    annual: tuple[AnnualRange, ...] = ()
    dates: frozenset[date] = frozenset()
    date_ranges: tuple[tuple[date, date], ...] = ()
    months: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(
            self.weekdays
            or self.holidays
            or self.month_days
            or self.annual
            or self.dates
            or self.date_ranges
            or self.months
        )

    def union(self, other: DaySet) -> DaySet:
        return DaySet(
            weekdays=self.weekdays | other.weekdays,
            holidays=self.holidays or other.holidays,
            month_days=self.month_days | other.month_days,
            annual=tuple(sorted(set(self.annual) | set(other.annual))),
            dates=self.dates | other.dates,
            date_ranges=tuple(sorted(set(self.date_ranges) | set(other.date_ranges))),
            months=self.months | other.months,
        )

    @property
    def every_week(self) -> frozenset[int]:
        """The weekdays selected every week."""
        return frozenset(day for day, ordinal in self.weekdays if ordinal == EVERY_WEEK)

    @property
    def nth(self) -> frozenset[tuple[int, int]]:
        """The (weekday, ordinal) pairs selected once a month."""
        return frozenset(pair for pair in self.weekdays if pair[1] != EVERY_WEEK)

    def matches(self, day: date) -> bool:
        """Tell whether ``day`` is one of the days of this set (used for exclusions)."""
        weekday = day.weekday()
        for selected, ordinal in self.weekdays:
            if selected == weekday and _is_nth(day, ordinal):
                return True
        if self.month_days and _month_day_matches(day, self.month_days):
            return True
        if day in self.dates or day.month in self.months:
            return True
        if any(period.contains(day) for period in self.annual):
            return True
        if any(first <= day <= last for first, last in self.date_ranges):
            return True
        return self.holidays and is_holiday(day)


def _is_nth(day: date, ordinal: int) -> bool:
    if ordinal == EVERY_WEEK:
        return True
    if ordinal == LAST:
        return (day + timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 + 1 == ordinal


def _month_day_matches(day: date, month_days: frozenset[int]) -> bool:
    if day.day in month_days:
        return True
    return -1 in month_days and (day + timedelta(days=1)).day == 1


class HolidayShift(enum.Enum):
    """Where an occurrence that falls on a public holiday moves to (祝日の場合は翌日)."""

    NEXT_DAY = "翌日"
    NEXT_WEEKDAY = "翌平日"
    PREVIOUS_DAY = "前日"
    PREVIOUS_WEEKDAY = "前平日"

    def apply(self, day: date) -> date:
        step = timedelta(days=1 if self in (self.NEXT_DAY, self.NEXT_WEEKDAY) else -1)
        moved = day + step
        if self in (self.NEXT_WEEKDAY, self.PREVIOUS_WEEKDAY):
            while not is_business_day(moved):
                moved += step
        return moved


@dataclass(frozen=True)
class TimeSlot:
    """A time of day: a start, and an end when one was given or computed from a duration."""

    start: time
    end: time | None = None
    duration_minutes: int | None = None
    approximate: bool = False


class Occurrence(NamedTuple):
    """One occurrence of a schedule: a date and, when known, its start and end times."""

    date: date
    start_time: time | None
    end_time: time | None


@dataclass(frozen=True)
class Pattern:
    """One RRULE's worth of a rule: frequency and BY* parts (dateutil and RFC 5545 alike)."""

    freq: str  # DAILY, WEEKLY, MONTHLY
    byweekday: tuple[tuple[int, int], ...] = ()
    bymonthday: tuple[int, ...] = ()
    bymonth: tuple[int, ...] = ()
    interval: int = 1
    specificity: int = WEEKLY

    def between(self, dtstart: date, first: date, last: date) -> Iterator[date]:
        """The dates of the pattern from ``first`` to ``last``, counting from ``dtstart``."""
        if first > last:
            return
        weekdays = [
            du.weekday(day)(ordinal) if ordinal else du.weekday(day)
            for day, ordinal in self.byweekday
        ]
        rule = du.rrule(
            getattr(du, self.freq),
            dtstart=datetime.combine(dtstart, time()),
            interval=self.interval,
            wkst=du.MO,
            byweekday=weekdays or None,
            bymonthday=self.bymonthday or None,
            bymonth=self.bymonth or None,
            until=datetime.combine(last, time()),
        )
        for moment in rule:
            if moment.date() >= first:
                yield moment.date()


@dataclass(frozen=True)
class Rule:
    """One rule of a schedule: which days, when, except when, and whether it is a closure.

    ``interval`` counts weeks for weekly rules (隔週 = 2) and months for monthly rules
    (2か月に1回 = 2); ``anchor`` is the first occurrence the interval counts from, and
    ``anchor_inferred`` says it was not written but taken as the first matching day on or
    after the reference date. ``start_on``/``end_on`` bound the rule (both included);
    ``count`` stops it after that many occurrences counted from ``start_on``.
    ``is_closure`` marks days the place is closed (休館日, 休み, 点検日).
    """

    days: DaySet
    months: frozenset[int] | None = None
    interval: int = 1
    anchor: date | None = None
    anchor_inferred: bool = False
    start_on: date | None = None
    end_on: date | None = None
    count: int | None = None
    times: tuple[TimeSlot, ...] = ()
    excluded: DaySet = field(default_factory=DaySet)
    holidays_included: bool = False
    holiday_shift: HolidayShift | None = None
    is_closure: bool = False
    closure_label: str = ""
    text: str = ""

    @property
    def selects_days(self) -> bool:
        """Tell whether the rule selects any day at all (a bare time range does not)."""
        return bool(self.days)

    @property
    def is_bounded(self) -> bool:
        return self.end_on is not None or self.count is not None

    @cached_property
    def patterns(self) -> tuple[Pattern, ...]:
        """The RRULE-expressible parts of the day selection."""
        bymonth = tuple(sorted(self.months)) if self.months is not None else ()
        weekly = sorted(self.days.every_week)
        monthly_interval = self.interval if not weekly else 1
        found: list[Pattern] = []
        if len(weekly) == 7 and self.interval == 1:
            found.append(Pattern("DAILY", bymonth=bymonth))
        elif weekly:
            byweekday = tuple((day, 0) for day in weekly)
            found.append(Pattern("WEEKLY", byweekday, bymonth=bymonth, interval=self.interval))
        if self.days.nth:
            byweekday = tuple(sorted(self.days.nth, key=lambda pair: (pair[1] % 7, pair[0])))
            found.append(
                Pattern("MONTHLY", byweekday, (), bymonth, monthly_interval, specificity=MONTHLY)
            )
        if self.days.month_days:
            bymonthday = tuple(sorted(self.days.month_days, key=lambda day: day % 32))
            found.append(Pattern("MONTHLY", (), bymonthday, bymonth, monthly_interval, MONTHLY))
        for period in self.days.annual:
            for month, days in period.month_segments():
                if self.months is None or month in self.months:
                    found.append(Pattern("DAILY", (), tuple(days), (month,), 1, MONTHLY))
        return tuple(found)

    def pattern_start(self, pattern: Pattern, first: date) -> date:
        """Where ``pattern`` starts counting so that its instances from ``first`` are right.

        With an interval (隔週, 2か月に1回) the count starts at the anchor, moved back by whole
        intervals until it is on or before ``first``.
        """
        if pattern.interval == 1 or self.anchor is None:
            return first
        anchor = self.anchor
        if pattern.freq == "WEEKLY":
            step = 7 * pattern.interval
            if anchor > first:
                anchor -= timedelta(days=step * -(-(anchor - first).days // step))
            return anchor
        months_back = 0
        while _add_months(anchor.replace(day=1), -months_back) > first:
            months_back += pattern.interval
        return _add_months(anchor.replace(day=1), -months_back)

    def pattern_dates(self, pattern: Pattern, first: date, last: date) -> list[date]:
        """The dates of one pattern from ``first`` to ``last``, within the rule's bounds."""
        first = max(first, self.start_on) if self.start_on else first
        last = min(last, self.end_on) if self.end_on else last
        return list(pattern.between(self.pattern_start(pattern, first), first, last))

    def raw_dates(self, first: date, last: date) -> dict[date, int]:
        """Every day the selection hits from ``first`` to ``last``, before exclusions and
        shifts, with how specifically it was selected."""
        found: dict[date, int] = {}
        for pattern in self.patterns:
            for day in self.pattern_dates(pattern, first, last):
                found[day] = max(found.get(day, 0), pattern.specificity)
        first = max(first, self.start_on) if self.start_on else first
        last = min(last, self.end_on) if self.end_on else last
        if self.days.holidays:
            for holiday in holidays_between(first, last):
                if self.months is None or holiday.date.month in self.months:
                    found[holiday.date] = HOLIDAY
        for day in self.days.dates:
            if first <= day <= last:
                found[day] = EXPLICIT
        return found

    def _select(self, first: date, last: date) -> dict[date, int]:
        margin = timedelta(days=10 if self.holiday_shift else 0)
        kept: dict[date, int] = {}
        for day, specificity in sorted(self.raw_dates(first - margin, last + margin).items()):
            if self.excluded and self.excluded.matches(day):
                continue
            if self.holiday_shift and specificity != HOLIDAY and is_holiday(day):
                day, specificity = self.holiday_shift.apply(day), EXPLICIT
            kept[day] = max(kept.get(day, 0), specificity)
        return {day: spec for day, spec in kept.items() if first <= day <= last}

    @cached_property
    def series(self) -> dict[date, int] | None:
        """For a counted rule (全8回), its occurrences; None for a rule without a count."""
        if self.count is None or self.start_on is None:
            return None
        horizon = self.end_on or self.start_on + timedelta(days=_SERIES_HORIZON_DAYS)
        chosen: dict[date, int] = {}
        first = self.start_on
        while first <= horizon and len(chosen) < self.count:
            last = min(horizon, first + timedelta(days=365))
            for day, specificity in sorted(self._select(first, last).items()):
                if len(chosen) < self.count:
                    chosen[day] = specificity
            first = last + timedelta(days=1)
        return chosen

    @property
    def last_on(self) -> date | None:
        """The last day of a bounded rule: its end date or its last counted occurrence."""
        if self.series:
            return max(self.series)
        return self.end_on

    def dates_between(self, first: date, last: date) -> dict[date, int]:
        """The rule's days from ``first`` to ``last`` with the specificity of each."""
        if self.series is not None:
            return {day: spec for day, spec in self.series.items() if first <= day <= last}
        return self._select(first, last)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)
