"""Japanese public holidays (国民の祝日・休日) and business days.

Holidays come from the ``holidays`` package (``holidays.Japan``), with their Japanese
names, and are checked in the tests against every row of the Cabinet Office list
(内閣府「国民の祝日について」, ``shared/data/holidays/syukujitsu_utf8.csv``, 1955–2027).
They include the days made holidays by the law itself: substitute holidays (振替休日), the
"national holiday" sandwiched between two holidays (国民の休日), and the one-off holidays
such as 1959-04-10 (結婚の儀), 1989-02-24 (大喪の礼), 2019-05-01 (天皇の即位の日).

Names differ from the Cabinet Office list in one way: the list calls every substitute and
sandwiched day just ``休日`` and the one-off days of 2019 ``休日（祝日扱い）``, while the names
here say which kind of day it is (``振替休日``, ``国民の休日``, ``天皇の即位の日``,
``即位礼正殿の儀の行われる日``).

The package covers 1949–2099; outside those years no day is a holiday here.

Business days (営業日 / 開庁日) are the days that are neither Saturday, Sunday nor a public
holiday. Government offices and most civic facilities also close over the New Year
(年末年始, 29 December to 3 January, 行政機関の休日に関する法律); pass
``year_end_closed=True`` to count those days as closed too.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

import holidays as holidays_package

__all__ = [
    "Holiday",
    "business_day_on_or_after",
    "holiday_name",
    "holidays_between",
    "is_business_day",
    "is_holiday",
    "is_year_end_holidays",
    "next_business_day",
]

# The package's wording where it differs from the law that made the day a holiday
# (平成30年法律第99号「天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律」).
_OFFICIAL_NAMES = {"即位礼正殿の儀が行われる日": "即位礼正殿の儀の行われる日"}


class Holiday(NamedTuple):
    """A public holiday: its date and Japanese name."""

    date: date
    name: str


@cache
def _holidays_of_year(year: int) -> dict[date, str]:
    calendar = holidays_package.country_holidays("JP", years=year, language="ja")
    return {day: _OFFICIAL_NAMES.get(name, name) for day, name in calendar.items()}


def holiday_name(value: date) -> str | None:
    """Return the Japanese name of the public holiday on ``value``, or None (``元日``)."""
    return _holidays_of_year(value.year).get(value)


def is_holiday(value: date) -> bool:
    """Tell whether ``value`` is a public holiday, 振替休日 and 国民の休日 included.

    Saturdays and Sundays are not holidays in this sense; see :func:`is_business_day`.
    """
    return value in _holidays_of_year(value.year)


def holidays_between(start: date, end: date) -> list[Holiday]:
    """Return the public holidays from ``start`` to ``end``, both included, in date order."""
    found = [
        Holiday(day, name)
        for year in range(start.year, end.year + 1)
        for day, name in _holidays_of_year(year).items()
        if start <= day <= end
    ]
    return sorted(found)


def is_year_end_holidays(value: date) -> bool:
    """Tell whether ``value`` falls in the New Year closure (年末年始), 29 Dec to 3 Jan."""
    return (value.month == 12 and value.day >= 29) or (value.month == 1 and value.day <= 3)


def is_business_day(value: date, *, year_end_closed: bool = False) -> bool:
    """Tell whether ``value`` is a weekday that is not a public holiday.

    With ``year_end_closed=True``, 29 December to 3 January are closed as well.
    """
    if value.weekday() >= 5 or is_holiday(value):
        return False
    return not (year_end_closed and is_year_end_holidays(value))


def next_business_day(value: date, *, year_end_closed: bool = False) -> date:
    """Return the first business day after ``value`` (``value`` itself excluded)."""
    return business_day_on_or_after(value + timedelta(days=1), year_end_closed=year_end_closed)


def business_day_on_or_after(value: date, *, year_end_closed: bool = False) -> date:
    """Return ``value`` if it is a business day, else the next one (for moved deadlines)."""
    while not is_business_day(value, year_end_closed=year_end_closed):
        value += timedelta(days=1)
    return value
