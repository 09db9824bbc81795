"""Japanese calendar (和暦) ⇄ Gregorian calendar (西暦), and dates found in running text.

Eras (元号) and the first Gregorian day of each:

======  ======  ==========  =====================================================
era     letter  first day   note
======  ======  ==========  =====================================================
明治    M       1868-10-23  dates convertible from 1873-01-01 (明治6年1月1日) only
大正    T       1912-07-30  明治45年7月29日 is the last day of 明治
昭和    S       1926-12-25  大正15年12月24日 is the last day of 大正
平成    H       1989-01-08  昭和64年1月7日 is the last day of 昭和
令和    R       2019-05-01  平成31年4月30日 is the last day of 平成
======  ======  ==========  =====================================================

Decisions:

- 明治 was proclaimed on 1868-10-23 (慶応4年9月8日), counted from the start of that lunar
  year, and Japan kept the lunisolar calendar until 明治5年12月2日; the next day was
  明治6年1月1日 = 1873-01-01. A 明治 month and day before that is a lunar date that does not
  line up with Gregorian months, so :func:`to_wareki` and the date parsers refuse dates before
  1873-01-01 (:data:`SOLAR_CALENDAR_START`), as the era table in
  ``shared/data/schemas/gengo_seireki_table.csv`` does. Years alone still convert
  (明治元年 = 1868).
- Year 1 of an era is written 元年 (``令和元年5月1日``); ``1年`` is read as well.
- A date before its era began (``令和元年4月1日``) is refused. A date after its era ended is
  read arithmetically by default (``平成32年4月1日`` = 2020-04-01, ``平成31年5月1日`` =
  2019-05-01): forms and plans printed before an era change carry such dates, and their
  meaning is unambiguous. Pass ``strict=True`` to refuse them.
- Accepted spellings: era names, the letters M/T/S/H/R in either case, the ligatures
  ``㍾ ㍽ ㍼ ㍻ ㋿``; full-width digits and letters; spaces between the parts; 元 for year 1;
  kanji numerals (``令和四年一月十一日``, ``二十三日``); and for the letter and dotted forms
  ``R7.3.31``, ``R07.03.31``, ``R7/3/31``, ``R7-3-31``.

Errors are :class:`WarekiError`, a :class:`ValueError` whose message is translated and can be
shown to the person who typed the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from django.utils.translation import gettext

__all__ = [
    "ERAS",
    "HEISEI",
    "MEIJI",
    "REIWA",
    "SHOWA",
    "SOLAR_CALENDAR_START",
    "TAISHO",
    "Era",
    "EraYear",
    "FoundDate",
    "WarekiDate",
    "WarekiError",
    "era_named",
    "era_year_of",
    "find_dates",
    "format_wareki",
    "parse_date",
    "parse_wareki",
    "parse_wareki_year",
    "to_wareki",
    "wareki_year_to_seireki",
]


class WarekiError(ValueError):
    """A Japanese-calendar date or year that cannot be read or does not exist.

    ``code`` says why: ``"invalid"`` (not written as a date or year), ``"unknown_era"``,
    ``"year_zero"``, ``"no_such_date"`` (such as 2月30日), ``"before_era"`` (令和元年4月1日),
    ``"after_era"`` (only with ``strict=True``), ``"lunar_calendar"`` (before 1873) and
    ``"unsupported_year"`` (before 1868).
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Era:
    """An era (元号) of the Japanese calendar."""

    name: str
    letter: str
    romaji: str
    ligature: str
    start: date
    end: date | None  # last day; None for the current era

    def __str__(self) -> str:
        return self.name


MEIJI: Final = Era("明治", "M", "Meiji", "㍾", date(1868, 10, 23), date(1912, 7, 29))
TAISHO: Final = Era("大正", "T", "Taisho", "㍽", date(1912, 7, 30), date(1926, 12, 24))
SHOWA: Final = Era("昭和", "S", "Showa", "㍼", date(1926, 12, 25), date(1989, 1, 7))
HEISEI: Final = Era("平成", "H", "Heisei", "㍻", date(1989, 1, 8), date(2019, 4, 30))
REIWA: Final = Era("令和", "R", "Reiwa", "㋿", date(2019, 5, 1), None)
ERAS: Final[tuple[Era, ...]] = (MEIJI, TAISHO, SHOWA, HEISEI, REIWA)

SOLAR_CALENDAR_START: Final = date(1873, 1, 1)
"""明治6年1月1日, the first day of the Gregorian calendar in Japan."""

_ERA_LOOKUP: Final = {
    key: era
    for era in ERAS
    for key in (era.name, era.letter.casefold(), era.romaji.casefold(), era.ligature)
}


def era_named(name: str) -> Era:
    """Return the era for a name (``令和``), letter (``R``/``r``), romaji or ligature (``㋿``)."""
    era = _ERA_LOOKUP.get(_fold(name).strip().casefold())
    if era is None:
        raise WarekiError(gettext("Unknown era name: %(era)s.") % {"era": name}, "unknown_era")
    return era


def _format_year(year: int, *, gannen: bool) -> str:
    return "元" if year == 1 and gannen else str(year)


@dataclass(frozen=True)
class EraYear:
    """A year counted in an era, such as 令和7年."""

    era: Era
    year: int

    def format(self, *, gannen: bool = True) -> str:
        """``令和7年``; year 1 is ``令和元年`` unless ``gannen=False`` (``令和1年``)."""
        return f"{self.era.name}{_format_year(self.year, gannen=gannen)}年"

    def __str__(self) -> str:
        return self.format()


@dataclass(frozen=True)
class WarekiDate:
    """A date in the Japanese calendar: ``era``, ``year`` (1 = 元年), ``month``, ``day``."""

    era: Era
    year: int
    month: int
    day: int
    gregorian: date

    def format(self, *, gannen: bool = True) -> str:
        """``令和7年4月1日``; year 1 is ``令和元年5月1日`` unless ``gannen=False``."""
        year = _format_year(self.year, gannen=gannen)
        return f"{self.era.name}{year}年{self.month}月{self.day}日"

    def __str__(self) -> str:
        return self.format()


def to_wareki(value: date) -> WarekiDate:
    """Return the Japanese-calendar form of a Gregorian date (1873-01-01 or later)."""
    if value < SOLAR_CALENDAR_START:
        raise WarekiError(_lunar_calendar_message(), "lunar_calendar")
    era = next(era for era in reversed(ERAS) if era.start <= value)
    year = value.year - era.start.year + 1
    return WarekiDate(era, year, value.month, value.day, value)


def format_wareki(value: date, *, gannen: bool = True) -> str:
    """Format a date as ``令和7年4月1日`` (``令和元年5月1日`` in year 1 unless ``gannen=False``)."""
    return to_wareki(value).format(gannen=gannen)


def era_year_of(year: int) -> EraYear:
    """Return the era year by which a Gregorian year is named: the latest era begun in it.

    2019 → 令和元年 (not 平成31年), 1989 → 平成元年, 1988 → 昭和63年. This is how a whole year
    is labelled, for example a fiscal year (年度); use :func:`to_wareki` for a given day.
    """
    if year < MEIJI.start.year:
        raise WarekiError(
            gettext("Years before 1868 (明治元年) are not supported."), "unsupported_year"
        )
    era = next(era for era in reversed(ERAS) if era.start.year <= year)
    return EraYear(era, year - era.start.year + 1)


def wareki_year_to_seireki(era: Era | str, year: int, *, strict: bool = False) -> int:
    """Return the Gregorian year of ``year`` in ``era``: ``("平成", 26)`` → 2014.

    ``era`` may be an :class:`Era` or anything :func:`era_named` reads. Years past the end of
    the era (平成32 → 2020) are accepted unless ``strict=True``.
    """
    era = era if isinstance(era, Era) else era_named(era)
    if year < 1:
        raise WarekiError(gettext("The year of an era starts at 1 (元年)."), "year_zero")
    if strict and era.end is not None and year > era.end.year - era.start.year + 1:
        raise WarekiError(_ended_message(era, era.end), "after_era")
    return era.start.year + year - 1


def _wareki_to_date(era: Era, year: int, month: int, day: int, *, strict: bool) -> date:
    seireki_year = wareki_year_to_seireki(era, year, strict=strict)
    value = _gregorian_date(seireki_year, month, day)
    if value < SOLAR_CALENDAR_START:
        raise WarekiError(_lunar_calendar_message(), "lunar_calendar")
    if value < era.start:
        raise WarekiError(
            gettext("%(era)s began on %(start)s, so this date does not exist.")
            % {"era": era.name, "start": era.start.isoformat()},
            "before_era",
        )
    if strict and era.end is not None and value > era.end:
        raise WarekiError(_ended_message(era, era.end), "after_era")
    return value


def _gregorian_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise WarekiError(
            gettext("This date does not exist in the calendar."), "no_such_date"
        ) from None


def _lunar_calendar_message() -> str:
    return gettext("Dates before 1873 (明治6年) used the lunar calendar and cannot be converted.")


def _ended_message(era: Era, end: date) -> str:
    return gettext("%(era)s ended on %(end)s, so this date does not exist.") % {
        "era": era.name,
        "end": end.isoformat(),
    }


# --- Parsing -------------------------------------------------------------------------------

# Full-width ASCII → ASCII and U+3000 → space, one character for one, so that positions
# found in the folded text are positions in the original text.
_FULLWIDTH_TO_ASCII: Final = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {
    0x3000: 0x20
}


def _fold(text: str) -> str:
    return text.translate(_FULLWIDTH_TO_ASCII)


_KANJI_DIGITS: Final = dict(zip("〇一二三四五六七八九", range(10), strict=True))

_SP = r"[ \t]*"
_ERA = rf"(?:{'|'.join(era.name for era in ERAS)}|[{''.join(era.ligature for era in ERAS)}])"
_LETTER = r"(?<![A-Za-z0-9])[MTSHRmtshr]"
_KANJI_NUMBER = "[〇一二三四五六七八九十]{1,3}"
_NUMBER = rf"(?:\d{{1,2}}|{_KANJI_NUMBER})"
_YEAR = rf"(?:元|{_NUMBER})"

_WAREKI_KANJI = (
    rf"(?P<era>{_ERA}|{_LETTER}){_SP}(?P<year>{_YEAR}){_SP}年{_SP}"
    rf"(?P<month>{_NUMBER}){_SP}月{_SP}(?P<day>{_NUMBER}){_SP}日"
)
_WAREKI_DOTTED = (
    rf"(?P<dera>{_ERA}|{_LETTER}){_SP}(?P<dyear>元|\d{{1,2}})(?P<dsep>[./-])"
    r"(?P<dmonth>\d{1,2})(?P=dsep)(?P<dday>\d{1,2})(?![\d]|[./-]\d)"
)
_SEIREKI_KANJI = (
    rf"(?<!\d)(?P<syear>\d{{4}}){_SP}年{_SP}(?P<smonth>\d{{1,2}}){_SP}月{_SP}"
    rf"(?P<sday>\d{{1,2}}){_SP}日"
)
_SEIREKI_DOTTED = (
    r"(?<![\d./-])(?P<tyear>\d{4})(?P<tsep>[./-])(?P<tmonth>\d{1,2})(?P=tsep)"
    r"(?P<tday>\d{1,2})(?![\d]|[./-]\d)"
)
_MONTH_DAY = (
    rf"(?<![\d〇一二三四五六七八九十])(?P<cmonth>{_NUMBER}){_SP}月{_SP}"
    rf"(?P<cday>{_NUMBER}){_SP}日"
)

_WAREKI_RE: Final = re.compile(rf"{_WAREKI_KANJI}|{_WAREKI_DOTTED}")
_DATE_RE: Final = re.compile(
    rf"{_WAREKI_KANJI}|{_WAREKI_DOTTED}|{_SEIREKI_KANJI}|{_SEIREKI_DOTTED}"
)
_IN_TEXT_RE: Final = re.compile(
    rf"{_WAREKI_KANJI}|{_WAREKI_DOTTED}|{_SEIREKI_KANJI}|{_SEIREKI_DOTTED}|{_MONTH_DAY}"
)
_WAREKI_YEAR_RE: Final = re.compile(rf"(?P<era>{_ERA}|[MTSHRmtshr]){_SP}(?P<year>{_YEAR}){_SP}年?")

# After a date: another day of the same month ("・18日", "〜13日") or month ("〜1/20").
_WEEKDAY = r"(?:\([月火水木金土日](?:曜日?)?(?:・?祝)?\))"
_CONNECTOR = r"(?:から|より|~|〜|‐|-|–|—|−|・|、|,|及び|および|と|&)"
_FOLLOWING_DAY_RE: Final = re.compile(
    rf"(?:{_SP}{_WEEKDAY})?{_SP}{_CONNECTOR}{_SP}"
    rf"(?:(?P<month>\d{{1,2}})/(?P<slash_day>\d{{1,2}})(?![\d/:時])"
    rf"|(?P<day>\d{{1,2}}){_SP}日(?!間|前|後|以|ほど|程|おき|毎|ごと|目|分))"
)


def _number(text: str) -> int:
    """Read ``"12"``, ``"元"``, ``"十二"``, ``"二十三"`` or ``"二三"`` as an integer."""
    if text == "元":
        return 1
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_KANJI_DIGITS[char]) for char in text))
    tens, _, units = text.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1:
        raise WarekiError(gettext("This date does not exist in the calendar."), "no_such_date")
    return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[units] if units else 0)


def _date_of(match: re.Match[str], *, strict: bool) -> tuple[date, Era | None]:
    """The date a match of one of the full patterns stands for, and its era (None: 西暦)."""
    groups = match.groupdict()
    for prefix in ("", "d"):
        if groups.get(f"{prefix}era") is not None:
            era = era_named(groups[f"{prefix}era"] or "")
            parts = (groups[f"{prefix}{name}"] for name in ("year", "month", "day"))
            year, month, day = (_number(part) for part in parts)
            return _wareki_to_date(era, year, month, day, strict=strict), era
    for prefix in ("s", "t"):
        if groups.get(f"{prefix}year") is not None:
            parts = (groups[f"{prefix}{name}"] for name in ("year", "month", "day"))
            year, month, day = (int(part) for part in parts)
            return _gregorian_date(year, month, day), None
    raise AssertionError("unreachable: every alternative sets a year")


def parse_wareki(text: str, *, strict: bool = False) -> date:
    """Read a whole string written as a Japanese-calendar date.

    ``令和4年1月11日``, ``令和元年5月1日``, ``令和 4 年 1 月 11 日``, ``令和４年１月１１日``,
    ``令和四年一月十一日``, ``㋿4年1月11日``, ``R7.3.31``, ``r07.03.31``, ``H26/4/1``.
    A year alone (``H26``) is not a date: use :func:`parse_wareki_year`.
    """
    match = _WAREKI_RE.fullmatch(_fold(text).strip())
    if match is None:
        raise WarekiError(
            gettext("Enter a Japanese-calendar date such as 令和7年4月1日 or R7.4.1."), "invalid"
        )
    return _date_of(match, strict=strict)[0]


def parse_date(text: str, *, strict: bool = False) -> date:
    """Read a whole string written as a date in either calendar.

    Everything :func:`parse_wareki` reads, and ``2022年1月11日``, ``2022/1/11``,
    ``2022-01-11``, ``2022.1.11`` (full-width digits too).
    """
    match = _DATE_RE.fullmatch(_fold(text).strip())
    if match is None:
        raise WarekiError(
            gettext("Enter a date such as 2025年4月1日, 2025/4/1 or 令和7年4月1日."), "invalid"
        )
    return _date_of(match, strict=strict)[0]


def parse_wareki_year(text: str, *, strict: bool = False) -> int:
    """Read a Japanese-calendar year and return the Gregorian year.

    ``令和7年``, ``令和元年``, ``R7``, ``H26``, ``h26``, ``平成 26 年``, ``令和７``, ``㍻26``,
    ``令和七年``. ``平成32年`` gives 2020 unless ``strict=True``.
    """
    match = _WAREKI_YEAR_RE.fullmatch(_fold(text).strip())
    if match is None:
        raise WarekiError(
            gettext("Enter a Japanese-calendar year such as 令和7年 or R7."), "invalid"
        )
    return wareki_year_to_seireki(match["era"], _number(match["year"]), strict=strict)


@dataclass(frozen=True)
class FoundDate:
    """A date found in running text by :func:`find_dates`.

    ``start`` and ``end`` delimit ``text`` in the searched string (``string[start:end]``).
    ``era`` is the era the date was written in, or inherited from (None when written in
    the Gregorian calendar). ``inherited`` is True when the year (and perhaps the month)
    came from an earlier date in the text, as the second date of ``1月11日から2月1日まで``.
    """

    start: int
    end: int
    text: str
    date: date
    era: Era | None
    inherited: bool = False


def find_dates(
    text: str, *, default_year: int | None = None, strict: bool = False
) -> list[FoundDate]:
    """Find the dates in running text, in order, in both calendars.

    Recognised: every form :func:`parse_date` reads; a month and day without a year
    (``2月1日``), which takes its year from the previous date found (or ``default_year``,
    otherwise it is skipped); and after a date, further days joined by ``・ 、 〜 から`` and
    the like (``1月11日・18日・25日``, ``2022/1/11〜1/20``), optionally after a weekday in
    brackets (``1月11日(火)・18日(火)``). A date with an inherited year or month that would
    come before the previous date moves on by a year or a month (``12月25日から1月5日`` is
    into the next year).

    Strings that look like dates but do not exist (``令和元年4月1日``, ``2月30日``) are
    skipped, as are numbers such as ``3日間`` or ``5日前``.
    """
    folded = _fold(text)
    found: list[FoundDate] = []
    position = 0
    while (match := _IN_TEXT_RE.search(folded, position)) is not None:
        position = match.end()
        previous = found[-1] if found else None
        try:
            if match["cmonth"] is not None:
                year = previous.date.year if previous else default_year
                if year is None:
                    continue
                value = _gregorian_date(year, _number(match["cmonth"]), _number(match["cday"]))
                if previous and value < previous.date:
                    value = _gregorian_date(year + 1, value.month, value.day)
                era = previous.era if previous else None
                inherited = True
            else:
                value, era = _date_of(match, strict=strict)
                inherited = False
        except WarekiError:
            continue
        found.append(
            FoundDate(
                match.start(), match.end(), text[match.start() : match.end()], value, era, inherited
            )
        )
        position = _find_following_days(text, folded, found)
    return found


def _find_following_days(text: str, folded: str, found: list[FoundDate]) -> int:
    """Append the days chained after ``found[-1]``; return where the search goes on."""
    position = found[-1].end
    while (match := _FOLLOWING_DAY_RE.match(folded, position)) is not None:
        previous = found[-1]
        try:
            if match["day"] is not None:
                value = _gregorian_date(previous.date.year, previous.date.month, int(match["day"]))
                if value < previous.date:
                    value = _add_month(value)
                start = match.start("day")
            else:
                month, day = int(match["month"]), int(match["slash_day"])
                value = _gregorian_date(previous.date.year, month, day)
                if value < previous.date:
                    value = _gregorian_date(previous.date.year + 1, month, day)
                start = match.start("month")
        except WarekiError:
            break
        found.append(
            FoundDate(
                start, match.end(), text[start : match.end()], value, previous.era, inherited=True
            )
        )
        position = match.end()
    return position


def _add_month(value: date) -> date:
    following = (value.replace(day=1) + timedelta(days=32)).replace(day=1)
    return _gregorian_date(following.year, following.month, value.day)
