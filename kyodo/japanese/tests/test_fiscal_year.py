from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation

from kyodo.japanese.fiscal_year import (
    FiscalYearError,
    fiscal_year_label,
    fiscal_year_months,
    fiscal_year_of,
    fiscal_year_range,
    parse_fiscal_year,
)


@pytest.mark.parametrize(
    ("value", "fiscal_year"),
    [
        pytest.param(date(2025, 3, 31), 2024, id="31 March belongs to the year before"),
        pytest.param(date(2025, 4, 1), 2025, id="1 April starts the fiscal year"),
        pytest.param(date(2025, 1, 1), 2024, id="new year's day"),
        pytest.param(date(2024, 12, 31), 2024, id="new year's eve"),
        pytest.param(date(2020, 2, 29), 2019, id="leap day"),
        pytest.param(date(2019, 4, 30), 2019, id="last day of Heisei"),
        pytest.param(date(2019, 5, 1), 2019, id="first day of Reiwa"),
    ],
)
def test_fiscal_year_of_a_date(value: date, fiscal_year: int) -> None:
    # when / then
    assert fiscal_year_of(value) == fiscal_year


@pytest.mark.parametrize(
    ("fiscal_year", "first_day", "last_day"),
    [
        pytest.param(2024, date(2024, 4, 1), date(2025, 3, 31), id="2024"),
        pytest.param(2025, date(2025, 4, 1), date(2026, 3, 31), id="2025"),
        pytest.param(2019, date(2019, 4, 1), date(2020, 3, 31), id="2019"),
    ],
)
def test_fiscal_year_range_runs_from_april_to_march(
    fiscal_year: int, first_day: date, last_day: date
) -> None:
    # when / then
    assert fiscal_year_range(fiscal_year) == (first_day, last_day)


def test_every_day_of_a_fiscal_year_is_inside_its_range() -> None:
    # given
    first_day, last_day = fiscal_year_range(2023)
    days = [first_day + timedelta(days=offset) for offset in range(-2, 368)]

    # when
    inside = [day for day in days if fiscal_year_of(day) == 2023]

    # then
    assert inside[0] == first_day
    assert inside[-1] == last_day
    assert len(inside) == 366  # 2024 is a leap year


def test_fiscal_year_months_run_from_april_to_march() -> None:
    # when
    months = fiscal_year_months(2025)

    # then
    assert [(month.year, month.month) for month in months] == [
        (2025, 4),
        (2025, 5),
        (2025, 6),
        (2025, 7),
        (2025, 8),
        (2025, 9),
        (2025, 10),
        (2025, 11),
        (2025, 12),
        (2026, 1),
        (2026, 2),
        (2026, 3),
    ]
    assert all(month.day == 1 for month in months)


@pytest.mark.parametrize(
    ("fiscal_year", "lang", "label"),
    [
        pytest.param(2025, "ja", "令和7年度", id="Reiwa 7"),
        pytest.param(2020, "ja", "令和2年度", id="Reiwa 2"),
        pytest.param(2019, "ja", "令和元年度", id="2019 is Reiwa 1 though it began in Heisei"),
        pytest.param(2018, "ja", "平成30年度", id="Heisei 30"),
        pytest.param(2014, "ja", "平成26年度", id="Heisei 26"),
        pytest.param(1989, "ja", "平成元年度", id="Heisei 1"),
        pytest.param(1988, "ja", "昭和63年度", id="1988 stays Showa though it ended in Heisei"),
        pytest.param(1926, "ja", "昭和元年度", id="Showa 1"),
        pytest.param(2025, "ja-jp", "令和7年度", id="regional Japanese code"),
        pytest.param(2025, "en", "FY2025", id="English"),
        pytest.param(2019, "en-us", "FY2019", id="regional English code"),
    ],
)
def test_fiscal_year_label(fiscal_year: int, lang: str, label: str) -> None:
    # when / then
    assert fiscal_year_label(fiscal_year, lang) == label


def test_fiscal_year_label_can_write_year_one_as_a_number() -> None:
    # when / then
    assert fiscal_year_label(2019, gannen=False) == "令和1年度"


def test_fiscal_year_label_defaults_to_japanese() -> None:
    # when / then
    assert fiscal_year_label(2025) == "令和7年度"


def test_fiscal_year_label_refuses_unsupported_languages() -> None:
    # when / then
    with pytest.raises(ValueError, match="fr"):
        fiscal_year_label(2025, "fr")


@pytest.mark.parametrize(
    ("text", "fiscal_year"),
    [
        pytest.param("令和7年度", 2025, id="Reiwa 7"),
        pytest.param("令和元年度", 2019, id="Reiwa gannen"),
        pytest.param("平成31年度", 2019, id="Heisei 31"),
        pytest.param("平成32年度", 2020, id="Heisei 32 from plans written before Reiwa"),
        pytest.param("平成26年度", 2014, id="Heisei 26"),
        pytest.param("R7年度", 2025, id="letter with nendo"),
        pytest.param("R7", 2025, id="letter alone"),
        pytest.param("H26", 2014, id="Heisei letter"),
        pytest.param("h26", 2014, id="lower-case letter"),
        pytest.param("令和７年度", 2025, id="full-width digit"),
        pytest.param("令和 7 年度", 2025, id="spaces"),
        pytest.param("令和七年度", 2025, id="kanji numeral"),
        pytest.param("令和7年", 2025, id="era year without do"),
        pytest.param("2025年度", 2025, id="Gregorian nendo"),
        pytest.param("２０２５年度", 2025, id="full-width Gregorian"),
        pytest.param("2025", 2025, id="Gregorian number"),
        pytest.param("FY2025", 2025, id="FY"),
        pytest.param("fy 2025", 2025, id="lower-case FY with space"),
        pytest.param("　令和7年度　", 2025, id="surrounding spaces"),
    ],
)
def test_parse_fiscal_year(text: str, fiscal_year: int) -> None:
    # when / then
    assert parse_fiscal_year(text) == fiscal_year


@pytest.mark.parametrize(
    ("text", "strict"),
    [
        pytest.param("", False, id="empty"),
        pytest.param("令和", False, id="era alone"),
        pytest.param("25", False, id="two digits"),
        pytest.param("令和0年度", False, id="year zero"),
        pytest.param("令和7年4月1日", False, id="a date"),
        pytest.param("平成32年度", True, id="past the era when strict"),
        pytest.param("next year", False, id="words"),
    ],
)
def test_parse_fiscal_year_refuses_other_text(text: str, strict: bool) -> None:
    # when / then
    with pytest.raises(FiscalYearError):
        parse_fiscal_year(text, strict=strict)


def test_parse_fiscal_year_error_shows_examples() -> None:
    # when
    with translation.override("en"), pytest.raises(FiscalYearError) as raised:
        parse_fiscal_year("来年度")

    # then
    assert str(raised.value) == "Enter a fiscal year such as 令和7年度, R7 or 2025年度."


def test_every_japanese_label_reads_back_as_its_fiscal_year() -> None:
    # given
    fiscal_years = range(1873, 2060)

    # when
    mismatches = [
        year
        for year in fiscal_years
        if parse_fiscal_year(fiscal_year_label(year)) != year
        or parse_fiscal_year(fiscal_year_label(year, gannen=False)) != year
        or parse_fiscal_year(fiscal_year_label(year, "en")) != year
    ]

    # then
    assert mismatches == []
