from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from django.utils import translation

from kyodo.japanese.era import (
    ERAS,
    HEISEI,
    MEIJI,
    REIWA,
    SHOWA,
    TAISHO,
    Era,
    WarekiError,
    era_named,
    era_year_of,
    find_dates,
    format_wareki,
    parse_date,
    parse_wareki,
    parse_wareki_year,
    to_wareki,
    wareki_year_to_seireki,
)
from kyodo.japanese.tests.shared_data import SHARED_DATA, requires_shared_data


@pytest.mark.parametrize(
    ("value", "era", "year", "text"),
    [
        pytest.param(date(1873, 1, 1), MEIJI, 6, "明治6年1月1日", id="first solar-calendar day"),
        pytest.param(date(1912, 7, 29), MEIJI, 45, "明治45年7月29日", id="last day of Meiji"),
        pytest.param(date(1912, 7, 30), TAISHO, 1, "大正元年7月30日", id="first day of Taisho"),
        pytest.param(date(1926, 12, 24), TAISHO, 15, "大正15年12月24日", id="last day of Taisho"),
        pytest.param(date(1926, 12, 25), SHOWA, 1, "昭和元年12月25日", id="first day of Showa"),
        pytest.param(date(1927, 1, 1), SHOWA, 2, "昭和2年1月1日", id="Showa 2 begins in January"),
        pytest.param(date(1989, 1, 7), SHOWA, 64, "昭和64年1月7日", id="last day of Showa"),
        pytest.param(date(1989, 1, 8), HEISEI, 1, "平成元年1月8日", id="first day of Heisei"),
        pytest.param(date(2019, 4, 30), HEISEI, 31, "平成31年4月30日", id="last day of Heisei"),
        pytest.param(date(2019, 5, 1), REIWA, 1, "令和元年5月1日", id="first day of Reiwa"),
        pytest.param(date(2020, 1, 1), REIWA, 2, "令和2年1月1日", id="Reiwa 2"),
        pytest.param(date(2022, 1, 11), REIWA, 4, "令和4年1月11日", id="Reiwa 4"),
        pytest.param(date(2025, 4, 1), REIWA, 7, "令和7年4月1日", id="Reiwa 7"),
    ],
)
def test_to_wareki_gives_the_era_and_year_of_a_date(
    value: date, era: Era, year: int, text: str
) -> None:
    # when
    wareki = to_wareki(value)

    # then
    assert (wareki.era, wareki.year, wareki.month, wareki.day) == (
        era,
        year,
        value.month,
        value.day,
    )
    assert wareki.gregorian == value
    assert str(wareki) == text
    assert format_wareki(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(date(2019, 5, 1), "令和1年5月1日", id="Reiwa 1"),
        pytest.param(date(1989, 12, 31), "平成1年12月31日", id="Heisei 1"),
        pytest.param(date(2025, 4, 1), "令和7年4月1日", id="other years unchanged"),
    ],
)
def test_format_wareki_can_write_year_one_as_a_number(value: date, text: str) -> None:
    # when / then
    assert format_wareki(value, gannen=False) == text


def test_dates_before_the_solar_calendar_cannot_be_converted() -> None:
    # when
    with pytest.raises(WarekiError) as raised:
        to_wareki(date(1872, 12, 31))

    # then
    assert raised.value.code == "lunar_calendar"


@requires_shared_data
def test_era_table_matches_the_published_first_days() -> None:
    # given: 元号,元号による最初の日付,西暦 — 明治 is listed from its first solar-calendar day
    path = SHARED_DATA / "schemas" / "gengo_seireki_table.csv"
    with path.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))

    # when
    published = {row["元号"]: (row["元号による最初の日付"], int(row["西暦"])) for row in rows}

    # then
    assert published["明治"] == ("M06.01.01", 1873)
    assert to_wareki(date(1873, 1, 1)).format(gannen=False) == "明治6年1月1日"
    for era in ERAS[1:]:
        first_day = f"{era.letter}01.{era.start.month:02}.{era.start.day:02}"
        assert published[era.name] == (first_day, era.start.year)
        assert parse_wareki(first_day) == era.start


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("令和4年1月11日", date(2022, 1, 11), id="kanji form"),
        pytest.param("令和元年5月1日", date(2019, 5, 1), id="gannen"),
        pytest.param("令和1年5月1日", date(2019, 5, 1), id="year one as a number"),
        pytest.param("令和４年１月１１日", date(2022, 1, 11), id="full-width digits"),
        pytest.param("令和 4 年 1 月 11 日", date(2022, 1, 11), id="spaces"),
        pytest.param("令和　4年　1月　11日", date(2022, 1, 11), id="ideographic spaces"),
        pytest.param("  令和4年1月11日\n", date(2022, 1, 11), id="surrounding whitespace"),
        pytest.param("令和四年一月十一日", date(2022, 1, 11), id="kanji numerals"),
        pytest.param("平成三十一年四月三十日", date(2019, 4, 30), id="kanji thirty-one"),
        pytest.param("昭和二十年八月十五日", date(1945, 8, 15), id="kanji twenty"),
        pytest.param("令和七年十二月二十五日", date(2025, 12, 25), id="kanji twenty-five"),
        pytest.param("令和元年十月二二日", date(2019, 10, 22), id="positional kanji digits"),
        pytest.param("R7.3.31", date(2025, 3, 31), id="letter and dots"),
        pytest.param("R07.03.31", date(2025, 3, 31), id="zero-padded"),
        pytest.param("r7.3.31", date(2025, 3, 31), id="lower-case letter"),
        pytest.param("R7/3/31", date(2025, 3, 31), id="slashes"),
        pytest.param("R7-3-31", date(2025, 3, 31), id="hyphens"),
        pytest.param("Ｒ７．３．３１", date(2025, 3, 31), id="full-width letter form"),
        pytest.param("H26.4.1", date(2014, 4, 1), id="Heisei letter"),
        pytest.param("h26.4.1", date(2014, 4, 1), id="lower-case Heisei letter"),
        pytest.param("S64.1.7", date(1989, 1, 7), id="Showa letter"),
        pytest.param("T15.12.24", date(1926, 12, 24), id="Taisho letter"),
        pytest.param("M45.7.29", date(1912, 7, 29), id="Meiji letter"),
        pytest.param("R元.5.1", date(2019, 5, 1), id="letter with gannen"),
        pytest.param("H26年4月1日", date(2014, 4, 1), id="letter with kanji units"),
        pytest.param("令和7.4.1", date(2025, 4, 1), id="era name with dots"),
        pytest.param("㍻26年4月1日", date(2014, 4, 1), id="Heisei ligature"),
        pytest.param("㋿7年4月1日", date(2025, 4, 1), id="Reiwa ligature"),
        pytest.param("㍼64年1月7日", date(1989, 1, 7), id="Showa ligature"),
        pytest.param("㍽元年7月30日", date(1912, 7, 30), id="Taisho ligature"),
        pytest.param("㍾6年1月1日", date(1873, 1, 1), id="Meiji ligature"),
        pytest.param("平成32年4月1日", date(2020, 4, 1), id="Heisei 32 read past the era"),
        pytest.param("平成31年5月1日", date(2019, 5, 1), id="day after Heisei read past the era"),
        pytest.param("昭和64年1月8日", date(1989, 1, 8), id="day after Showa read past the era"),
        pytest.param("令和6年2月29日", date(2024, 2, 29), id="leap day"),
    ],
)
def test_parse_wareki_reads_japanese_calendar_dates(text: str, expected: date) -> None:
    # when / then
    assert parse_wareki(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("令和元年4月1日", "before_era", id="before Reiwa began"),
        pytest.param("令和1年4月30日", "before_era", id="last day before Reiwa"),
        pytest.param("平成元年1月7日", "before_era", id="before Heisei began"),
        pytest.param("大正元年7月29日", "before_era", id="before Taisho began"),
        pytest.param("令和0年5月1日", "year_zero", id="year zero"),
        pytest.param("令和4年2月30日", "no_such_date", id="February 30"),
        pytest.param("令和5年2月29日", "no_such_date", id="no leap day"),
        pytest.param("令和4年13月1日", "no_such_date", id="month 13"),
        pytest.param("R4.4.31", "no_such_date", id="April 31"),
        pytest.param("令和4年四十月1日", "no_such_date", id="kanji forty as a month"),
        pytest.param("明治5年12月2日", "lunar_calendar", id="lunar Meiji date"),
        pytest.param("明治元年10月23日", "lunar_calendar", id="proclamation of Meiji"),
        pytest.param("H26", "invalid", id="year alone"),
        pytest.param("平成26年度", "invalid", id="fiscal year"),
        pytest.param("令和4年1月", "invalid", id="year and month"),
        pytest.param("2022年1月11日", "invalid", id="Gregorian date"),
        pytest.param("X7.3.31", "invalid", id="unknown letter"),
        pytest.param("R7.3/31", "invalid", id="mixed separators"),
        pytest.param("令和4年1月11日(火)", "invalid", id="trailing weekday"),
        pytest.param("", "invalid", id="empty"),
    ],
)
def test_parse_wareki_refuses_what_is_not_a_date(text: str, code: str) -> None:
    # when
    with pytest.raises(WarekiError) as raised:
        parse_wareki(text)

    # then
    assert raised.value.code == code
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("平成32年4月1日", id="Heisei 32"),
        pytest.param("平成31年5月1日", id="Heisei 31 after April"),
        pytest.param("昭和64年1月8日", id="Showa 64 after 7 January"),
    ],
)
def test_strict_parsing_refuses_dates_after_their_era_ended(text: str) -> None:
    # when
    with pytest.raises(WarekiError) as raised:
        parse_wareki(text, strict=True)

    # then
    assert raised.value.code == "after_era"


def test_strict_parsing_accepts_the_last_day_of_an_era() -> None:
    # when / then
    assert parse_wareki("平成31年4月30日", strict=True) == date(2019, 4, 30)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "令和元年4月1日",
            "令和 began on 2019-05-01, so this date does not exist.",
            id="before the era",
        ),
        pytest.param(
            "令和4年2月30日", "This date does not exist in the calendar.", id="no such day"
        ),
        pytest.param(
            "R7",
            "Enter a Japanese-calendar date such as 令和7年4月1日 or R7.4.1.",
            id="not a date",
        ),
    ],
)
def test_parse_errors_explain_the_problem(text: str, message: str) -> None:
    # when
    with translation.override("en"), pytest.raises(WarekiError) as raised:
        parse_wareki(text)

    # then
    assert str(raised.value) == message


def test_strict_error_names_the_last_day_of_the_era() -> None:
    # when
    with translation.override("en"), pytest.raises(WarekiError) as raised:
        parse_wareki("平成32年4月1日", strict=True)

    # then
    assert str(raised.value) == "平成 ended on 2019-04-30, so this date does not exist."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2022年1月11日", date(2022, 1, 11), id="kanji units"),
        pytest.param("２０２２年１月１１日", date(2022, 1, 11), id="full-width"),
        pytest.param("2022 年 1 月 11 日", date(2022, 1, 11), id="spaces"),
        pytest.param("2022/1/11", date(2022, 1, 11), id="slashes"),
        pytest.param("2022-01-11", date(2022, 1, 11), id="ISO"),
        pytest.param("2022.1.11", date(2022, 1, 11), id="dots"),
        pytest.param("令和4年1月11日", date(2022, 1, 11), id="Japanese calendar"),
        pytest.param("R4.1.11", date(2022, 1, 11), id="Japanese calendar letter"),
    ],
)
def test_parse_date_reads_either_calendar(text: str, expected: date) -> None:
    # when / then
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("2022/2/30", "no_such_date", id="no such day"),
        pytest.param("22/1/11", "invalid", id="two-digit year"),
        pytest.param("2022/1-11", "invalid", id="mixed separators"),
        pytest.param("1月11日", "invalid", id="no year"),
        pytest.param("tomorrow", "invalid", id="words"),
    ],
)
def test_parse_date_refuses_what_is_not_a_whole_date(text: str, code: str) -> None:
    # when
    with pytest.raises(WarekiError) as raised:
        parse_date(text)

    # then
    assert raised.value.code == code


@pytest.mark.parametrize(
    ("era", "year", "expected"),
    [
        pytest.param("明治", 1, 1868, id="Meiji 1"),
        pytest.param("明治", 45, 1912, id="Meiji 45"),
        pytest.param("大正", 1, 1912, id="Taisho 1"),
        pytest.param("大正", 15, 1926, id="Taisho 15"),
        pytest.param("昭和", 1, 1926, id="Showa 1"),
        pytest.param("昭和", 64, 1989, id="Showa 64"),
        pytest.param("平成", 1, 1989, id="Heisei 1"),
        pytest.param("平成", 26, 2014, id="Heisei 26"),
        pytest.param("平成", 31, 2019, id="Heisei 31"),
        pytest.param("平成", 32, 2020, id="Heisei 32 past the era"),
        pytest.param("令和", 1, 2019, id="Reiwa 1"),
        pytest.param("令和", 7, 2025, id="Reiwa 7"),
        pytest.param("H", 26, 2014, id="letter"),
        pytest.param("r", 7, 2025, id="lower-case letter"),
        pytest.param("Ｈ", 26, 2014, id="full-width letter"),
        pytest.param("Reiwa", 7, 2025, id="romaji"),
        pytest.param("㍻", 26, 2014, id="ligature"),
        pytest.param(HEISEI, 26, 2014, id="era object"),
    ],
)
def test_wareki_year_to_seireki(era: Era | str, year: int, expected: int) -> None:
    # when / then
    assert wareki_year_to_seireki(era, year) == expected


@pytest.mark.parametrize(
    ("era", "year", "strict", "code"),
    [
        pytest.param("平成", 32, True, "after_era", id="Heisei 32 when strict"),
        pytest.param("昭和", 65, True, "after_era", id="Showa 65 when strict"),
        pytest.param("令和", 0, False, "year_zero", id="year zero"),
        pytest.param("令和", -1, False, "year_zero", id="negative year"),
        pytest.param("天平", 1, False, "unknown_era", id="older era"),
        pytest.param("X", 1, False, "unknown_era", id="unknown letter"),
    ],
)
def test_wareki_year_to_seireki_refuses_impossible_years(
    era: str, year: int, strict: bool, code: str
) -> None:
    # when
    with pytest.raises(WarekiError) as raised:
        wareki_year_to_seireki(era, year, strict=strict)

    # then
    assert raised.value.code == code


def test_strict_conversion_accepts_the_last_year_of_an_era() -> None:
    # when / then
    assert wareki_year_to_seireki("平成", 31, strict=True) == 2019


@pytest.mark.parametrize(
    ("name", "era"),
    [
        pytest.param("令和", REIWA, id="name"),
        pytest.param("R", REIWA, id="letter"),
        pytest.param("s", SHOWA, id="lower-case letter"),
        pytest.param("Taisho", TAISHO, id="romaji"),
        pytest.param("㍾", MEIJI, id="ligature"),
        pytest.param(" 平成 ", HEISEI, id="spaces"),
    ],
)
def test_era_named_finds_an_era_by_any_of_its_names(name: str, era: Era) -> None:
    # when / then
    assert era_named(name) is era


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("H26", 2014, id="letter"),
        pytest.param("h26", 2014, id="lower-case letter"),
        pytest.param("R7", 2025, id="Reiwa letter"),
        pytest.param("R07", 2025, id="zero-padded"),
        pytest.param("令和7年", 2025, id="kanji form"),
        pytest.param("令和7", 2025, id="without nen"),
        pytest.param("令和元年", 2019, id="gannen"),
        pytest.param("令和７年", 2025, id="full-width digit"),
        pytest.param("平成 26 年", 2014, id="spaces"),
        pytest.param("令和七年", 2025, id="kanji numeral"),
        pytest.param("㍻26", 2014, id="ligature"),
        pytest.param("平成32年", 2020, id="past the era"),
    ],
)
def test_parse_wareki_year(text: str, expected: int) -> None:
    # when / then
    assert parse_wareki_year(text) == expected


@pytest.mark.parametrize(
    ("text", "strict", "code"),
    [
        pytest.param("平成32年", True, "after_era", id="past the era when strict"),
        pytest.param("H", False, "invalid", id="letter alone"),
        pytest.param("26", False, "invalid", id="number alone"),
        pytest.param("令和7年度", False, "invalid", id="fiscal year"),
        pytest.param("令和7年4月", False, "invalid", id="year and month"),
        pytest.param("R0", False, "year_zero", id="year zero"),
    ],
)
def test_parse_wareki_year_refuses_other_text(text: str, strict: bool, code: str) -> None:
    # when
    with pytest.raises(WarekiError) as raised:
        parse_wareki_year(text, strict=strict)

    # then
    assert raised.value.code == code


@pytest.mark.parametrize(
    ("year", "text"),
    [
        pytest.param(1868, "明治元年", id="1868"),
        pytest.param(1912, "大正元年", id="1912 named by Taisho"),
        pytest.param(1926, "昭和元年", id="1926 named by Showa"),
        pytest.param(1988, "昭和63年", id="1988"),
        pytest.param(1989, "平成元年", id="1989 named by Heisei"),
        pytest.param(2018, "平成30年", id="2018"),
        pytest.param(2019, "令和元年", id="2019 named by Reiwa"),
        pytest.param(2025, "令和7年", id="2025"),
    ],
)
def test_era_year_of_names_a_year_by_the_latest_era_begun_in_it(year: int, text: str) -> None:
    # when / then
    assert str(era_year_of(year)) == text


def test_era_year_of_refuses_years_before_meiji() -> None:
    # when
    with pytest.raises(WarekiError) as raised:
        era_year_of(1867)

    # then
    assert raised.value.code == "unsupported_year"


def test_every_day_around_each_era_change_survives_a_round_trip() -> None:
    # given
    days = [era.start + timedelta(days=offset) for era in ERAS[1:] for offset in range(-40, 40)] + [
        date(year, 1, 1) for year in range(1873, 2060)
    ]

    # when
    mismatches = [
        day
        for day in days
        if parse_wareki(format_wareki(day)) != day
        or parse_wareki(format_wareki(day, gannen=False), strict=True) != day
    ]

    # then
    assert mismatches == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "令和4年1月11日から2月1日まで",
            [("令和4年1月11日", date(2022, 1, 11)), ("2月1日", date(2022, 2, 1))],
            id="second date inherits the year",
        ),
        pytest.param(
            "令和4年12月25日から1月5日まで",
            [("令和4年12月25日", date(2022, 12, 25)), ("1月5日", date(2023, 1, 5))],
            id="inherited date across the new year",
        ),
        pytest.param(
            "受付は2022年1月11日、会場は2022/1/20です。",
            [("2022年1月11日", date(2022, 1, 11)), ("2022/1/20", date(2022, 1, 20))],
            id="Gregorian dates",
        ),
        pytest.param(
            "令和４年１月１１日（火）・１８日（火）・２５日（火）",
            [
                ("令和４年１月１１日", date(2022, 1, 11)),
                ("１８日", date(2022, 1, 18)),
                ("２５日", date(2022, 1, 25)),
            ],
            id="full-width list of days with weekdays",
        ),
        pytest.param(
            "R7.3.31までに申し込み",
            [("R7.3.31", date(2025, 3, 31))],
            id="letter form in text",
        ),
        pytest.param(
            "2022/1/11〜1/20",
            [("2022/1/11", date(2022, 1, 11)), ("1/20", date(2022, 1, 20))],
            id="slash range",
        ),
        pytest.param(
            "令和4年1月30日～2日",
            [("令和4年1月30日", date(2022, 1, 30)), ("2日", date(2022, 2, 2))],
            id="day range into the next month",
        ),
        pytest.param(
            "令和4年1月11日から3日間",
            [("令和4年1月11日", date(2022, 1, 11))],
            id="a duration is not a date",
        ),
        pytest.param(
            "令和4年1月11日、5日前までに申込",
            [("令和4年1月11日", date(2022, 1, 11))],
            id="days before is not a date",
        ),
        pytest.param(
            "平成31年4月30日と令和元年5月1日",
            [("平成31年4月30日", date(2019, 4, 30)), ("令和元年5月1日", date(2019, 5, 1))],
            id="both sides of an era change",
        ),
        pytest.param(
            "令和元年4月1日に",
            [],
            id="date before its era is skipped",
        ),
        pytest.param("毎月1日に開催", [], id="monthly day without a year"),
        pytest.param("4月1日に開催", [], id="month and day without a year"),
        pytest.param("令和4年度の事業", [], id="fiscal year is not a date"),
        pytest.param("バージョンR7.3.31.2", [], id="version number"),
        pytest.param("電話011-211-2964", [], id="phone number"),
        pytest.param(
            "昭和二十年八月十五日",
            [("昭和二十年八月十五日", date(1945, 8, 15))],
            id="kanji numerals",
        ),
    ],
)
def test_find_dates_finds_dates_in_running_text(
    text: str, expected: list[tuple[str, date]]
) -> None:
    # when
    found = find_dates(text)

    # then
    assert [(item.text, item.date) for item in found] == expected
    assert all(text[item.start : item.end] == item.text for item in found)


def test_find_dates_tells_which_dates_inherited_their_year_and_era() -> None:
    # when
    found = find_dates("令和4年1月11日から2月1日まで、2022/3/1にも")

    # then
    assert [(item.era, item.inherited) for item in found] == [
        (REIWA, False),
        (REIWA, True),
        (None, False),
    ]


def test_find_dates_uses_the_default_year_when_no_year_was_written() -> None:
    # when
    found = find_dates("4月1日(火)・8日(火)", default_year=2025)

    # then
    assert [item.date for item in found] == [date(2025, 4, 1), date(2025, 4, 8)]
    assert all(item.inherited for item in found)


def test_find_dates_can_refuse_dates_after_their_era_ended() -> None:
    # when
    found = find_dates("平成32年4月1日から令和2年4月2日", strict=True)

    # then
    assert [item.date for item in found] == [date(2020, 4, 2)]
