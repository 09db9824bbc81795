from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date

import pytest

from kyodo.japanese.holidays import (
    Holiday,
    business_day_on_or_after,
    holiday_name,
    holidays_between,
    is_business_day,
    is_holiday,
    is_year_end_holidays,
    next_business_day,
)
from kyodo.japanese.tests.shared_data import SHARED_DATA, requires_shared_data

CABINET_OFFICE_LIST = SHARED_DATA / "holidays" / "syukujitsu_utf8.csv"

# The Cabinet Office list names the days the law adds by kind only; ours say which kind.
NAMES_FOR_CABINET_OFFICE_NAME = {
    "休日": {"振替休日", "国民の休日"},
    "休日（祝日扱い）": {"天皇の即位の日", "即位礼正殿の儀の行われる日"},
    "体育の日（スポーツの日）": {"体育の日"},  # renamed スポーツの日 from 2020
}


def _cabinet_office_holidays() -> dict[int, dict[date, str]]:
    by_year: dict[int, dict[date, str]] = defaultdict(dict)
    if not CABINET_OFFICE_LIST.is_file():
        return by_year
    with CABINET_OFFICE_LIST.open(encoding="utf-8", newline="") as file:
        for day_text, name in csv.reader(file):
            if day_text == "国民の祝日・休日月日":
                continue
            year, month, day = (int(part) for part in day_text.split("/"))
            by_year[year][date(year, month, day)] = name
    return by_year


CABINET_OFFICE_HOLIDAYS = _cabinet_office_holidays()
YEARS = sorted(CABINET_OFFICE_HOLIDAYS) or [1955]


@requires_shared_data
def test_cabinet_office_list_covers_1955_to_2027() -> None:
    # then
    assert sorted(CABINET_OFFICE_HOLIDAYS) == list(range(1955, 2028))
    assert sum(len(days) for days in CABINET_OFFICE_HOLIDAYS.values()) == 1067


@requires_shared_data
@pytest.mark.parametrize("year", YEARS, ids=str)
def test_every_day_of_the_cabinet_office_list_is_a_holiday_of_that_name(year: int) -> None:
    # given
    listed = CABINET_OFFICE_HOLIDAYS[year]

    # when
    ours = {day: holiday_name(day) for day in listed}

    # then
    assert [day for day, name in ours.items() if name is None] == []
    assert [
        (day, listed[day], name)
        for day, name in ours.items()
        if name not in NAMES_FOR_CABINET_OFFICE_NAME.get(listed[day], {listed[day]})
    ] == []


@requires_shared_data
@pytest.mark.parametrize("year", YEARS, ids=str)
def test_no_day_outside_the_cabinet_office_list_is_a_holiday(year: int) -> None:
    # when
    ours = holidays_between(date(year, 1, 1), date(year, 12, 31))

    # then
    assert [holiday.date for holiday in ours] == sorted(CABINET_OFFICE_HOLIDAYS[year])


@pytest.mark.parametrize(
    ("day", "name"),
    [
        pytest.param(date(2025, 1, 1), "元日", id="new year's day"),
        pytest.param(date(2025, 1, 13), "成人の日", id="coming of age day"),
        pytest.param(date(2024, 2, 12), "振替休日", id="substitute holiday"),
        pytest.param(date(2026, 9, 22), "国民の休日", id="day between two holidays"),
        pytest.param(date(2019, 4, 30), "国民の休日", id="day before the enthronement"),
        pytest.param(date(2019, 5, 1), "天皇の即位の日", id="enthronement day"),
        pytest.param(date(2019, 10, 22), "即位礼正殿の儀の行われる日", id="enthronement ceremony"),
        pytest.param(date(1959, 4, 10), "結婚の儀", id="crown prince wedding 1959"),
        pytest.param(date(1989, 2, 24), "大喪の礼", id="state funeral 1989"),
        pytest.param(date(2019, 10, 14), "体育の日", id="sports day still under its old name"),
        pytest.param(date(2020, 7, 24), "スポーツの日", id="sports day moved for the Olympics"),
        pytest.param(date(2021, 8, 8), "山の日", id="mountain day moved for the Olympics"),
        pytest.param(date(2020, 2, 23), "天皇誕生日", id="emperor's birthday in Reiwa"),
        pytest.param(date(1988, 4, 29), "天皇誕生日", id="emperor's birthday in Showa"),
        pytest.param(date(2025, 4, 1), None, id="ordinary day"),
        pytest.param(date(2019, 12, 23), None, id="no emperor's birthday in 2019"),
        pytest.param(date(2025, 12, 29), None, id="year-end closure is not a holiday"),
    ],
)
def test_holiday_name_is_the_japanese_name(day: date, name: str | None) -> None:
    # when / then
    assert holiday_name(day) == name
    assert is_holiday(day) is (name is not None)


def test_holidays_between_includes_both_ends_across_a_new_year() -> None:
    # when
    found = holidays_between(date(2024, 12, 23), date(2025, 1, 13))

    # then
    assert found == [Holiday(date(2025, 1, 1), "元日"), Holiday(date(2025, 1, 13), "成人の日")]


def test_holidays_between_lists_golden_week_in_order() -> None:
    # when
    found = holidays_between(date(2025, 4, 29), date(2025, 5, 6))

    # then
    assert found == [
        Holiday(date(2025, 4, 29), "昭和の日"),
        Holiday(date(2025, 5, 3), "憲法記念日"),
        Holiday(date(2025, 5, 4), "みどりの日"),
        Holiday(date(2025, 5, 5), "こどもの日"),
        Holiday(date(2025, 5, 6), "振替休日"),
    ]


def test_holidays_between_is_empty_when_the_end_comes_first() -> None:
    # when / then
    assert holidays_between(date(2025, 5, 6), date(2025, 4, 29)) == []


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2025, 12, 28), False, id="28 December"),
        pytest.param(date(2025, 12, 29), True, id="29 December"),
        pytest.param(date(2025, 12, 31), True, id="31 December"),
        pytest.param(date(2026, 1, 1), True, id="1 January"),
        pytest.param(date(2026, 1, 3), True, id="3 January"),
        pytest.param(date(2026, 1, 4), False, id="4 January"),
    ],
)
def test_is_year_end_holidays_covers_29_december_to_3_january(day: date, expected: bool) -> None:
    # when / then
    assert is_year_end_holidays(day) is expected


@pytest.mark.parametrize(
    ("day", "year_end_closed", "expected"),
    [
        pytest.param(date(2025, 4, 1), False, True, id="ordinary Tuesday"),
        pytest.param(date(2025, 4, 5), False, False, id="Saturday"),
        pytest.param(date(2025, 4, 6), False, False, id="Sunday"),
        pytest.param(date(2025, 4, 29), False, False, id="holiday on a weekday"),
        pytest.param(date(2025, 5, 6), False, False, id="substitute holiday"),
        pytest.param(date(2025, 12, 29), False, True, id="year end counted as open"),
        pytest.param(date(2025, 12, 29), True, False, id="year end closed"),
        pytest.param(date(2025, 12, 26), True, True, id="last Friday before the closure"),
        pytest.param(date(2026, 1, 5), True, True, id="first Monday after the closure"),
    ],
)
def test_is_business_day(day: date, year_end_closed: bool, expected: bool) -> None:
    # when / then
    assert is_business_day(day, year_end_closed=year_end_closed) is expected


@pytest.mark.parametrize(
    ("day", "year_end_closed", "expected"),
    [
        pytest.param(date(2025, 4, 1), False, date(2025, 4, 2), id="Tuesday to Wednesday"),
        pytest.param(date(2025, 4, 4), False, date(2025, 4, 7), id="Friday to Monday"),
        pytest.param(date(2025, 4, 5), False, date(2025, 4, 7), id="Saturday to Monday"),
        pytest.param(date(2025, 5, 2), False, date(2025, 5, 7), id="over golden week"),
        pytest.param(date(2025, 12, 26), False, date(2025, 12, 29), id="year end open"),
        pytest.param(date(2025, 12, 26), True, date(2026, 1, 5), id="over the year-end closure"),
        pytest.param(date(2025, 1, 10), False, date(2025, 1, 14), id="over a 3-day weekend"),
    ],
)
def test_next_business_day_is_the_first_business_day_after(
    day: date, year_end_closed: bool, expected: date
) -> None:
    # when / then
    assert next_business_day(day, year_end_closed=year_end_closed) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2025, 4, 1), date(2025, 4, 1), id="business day itself"),
        pytest.param(date(2025, 4, 5), date(2025, 4, 7), id="Saturday to Monday"),
        pytest.param(date(2025, 5, 3), date(2025, 5, 7), id="golden week"),
    ],
)
def test_business_day_on_or_after_moves_only_closed_days(day: date, expected: date) -> None:
    # when / then
    assert business_day_on_or_after(day) == expected
