"""The words of schedule phrases: dates, times, weekday and holiday lists, month lists.

Every matcher reads the folded phrase (see ``normalize.py``) at a given position and returns
what it read and where it stopped, or None. Consumed parts of the phrase are masked with
NUL characters, which no pattern here matches, so nothing is read twice.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, time

from kyodo.japanese.era import WarekiError, era_named, wareki_year_to_seireki

from .model import YEAR_END, AnnualRange, TimeSlot
from .normalize import is_ideograph

__all__ = [
    "RANGE",
    "ItemList",
    "PartialDate",
    "match_date",
    "match_date_range",
    "match_month_period",
    "match_time_slots",
    "months_of",
    "scan_items",
]

WEEKDAY_CHARS = "月火水木金土日"
RANGE = r"(?:~|-|ー|から)"
_SPACE = r"\s*"
_SPACES = re.compile(r" +")
_SEPARATOR = re.compile(r"\s*(?:、|,|・|/|と|及び|および|並びに|や)\s*")


@dataclass(frozen=True)
class PartialDate:
    """A date as written: the year may be missing (resolved later against a reference).

    ``weekday`` is the weekday written after it in brackets (``1月14日(金曜)``), and
    ``weekday_span`` where that annotation is, to report it if it does not match.
    ``end_of_month`` stands for the last day of the month (``令和4年3月まで``).
    """

    year: int | None
    month: int
    day: int
    weekday: int | None = None
    weekday_span: tuple[int, int] | None = None
    end_of_month: bool = False

    def on_year(self, year: int) -> date | None:
        day = calendar.monthrange(year, self.month)[1] if self.end_of_month else self.day
        try:
            return date(year, self.month, day)
        except ValueError:
            return None

    @property
    def month_day(self) -> tuple[int, int]:
        return (self.month, 31 if self.end_of_month else self.day)


# --- Dates ---------------------------------------------------------------------------------

# The weekday written after a date: ``1月14日(金)``, ``1月14日（金曜・祝）``, ``1月14日金曜日``.
_ANNOTATION = (
    r"(?:\s*\(\s*(?P<wd>[月火水木金土日])\s*(?:曜日|曜)?\s*(?:・\s*祝\s*(?:日)?)?\s*\)"
    r"|(?P<wd2>[月火水木金土日])(?:曜日|曜))?"
)
_DATE_RE = re.compile(
    r"(?<![\d.])(?:"
    r"(?:(?P<era>令和|平成|昭和)\s*(?P<eyear>元|\d{1,2})\s*年\s*|(?P<year>\d{4})\s*年\s*)?"
    r"(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日(?!\s*(?:間|以内|前|後|おき|ごと|目))"
    r"|(?P<iyear>\d{4})(?P<isep>[-/.])(?P<imonth>\d{1,2})(?P=isep)(?P<iday>\d{1,2})(?![\d/.])"
    r"|(?P<letter>[RH])\s*(?P<lyear>\d{1,2})\.(?P<lmonth>\d{1,2})\.(?P<lday>\d{1,2})(?![\d.])"
    r"|(?P<smonth>\d{1,2})/(?P<sday>\d{1,2})(?![\d/])"
    r")" + _ANNOTATION
)
_DAY_ONLY_RE = re.compile(
    r"(?P<day>\d{1,2})\s*日(?!\s*(?:間|以内|前|後|おき|ごと|目))" + _ANNOTATION
)
_RANGE_RE = re.compile(rf"\s*{RANGE}\s*")
_UNTIL_RE = re.compile(r"\s*(?:まで|迄)")


def _year_of(match: re.Match[str]) -> int | None:
    try:
        if match["era"]:
            eyear = 1 if match["eyear"] == "元" else int(match["eyear"])
            return wareki_year_to_seireki(match["era"], eyear)
        if match["letter"]:
            return wareki_year_to_seireki(era_named(match["letter"]), int(match["lyear"]))
    except WarekiError:
        return -1
    for name in ("year", "iyear"):
        if match[name]:
            return int(match[name])
    return None


def _partial_date(match: re.Match[str], year: int | None, month: int, day: int) -> PartialDate:
    weekday = span = None
    if match["wd"]:
        weekday = WEEKDAY_CHARS.index(match["wd"])
        span = (match.start("wd") - 1, match.end())
    elif match["wd2"]:
        weekday = WEEKDAY_CHARS.index(match["wd2"])
        span = (match.start("wd2"), match.end())
    return PartialDate(year, month, day, weekday, span)


def match_date(text: str, position: int) -> tuple[PartialDate, int] | None:
    """Read a date (西暦, 和暦, ``2022/1/14``, ``R4.1.11``, ``1月14日(金)``) at ``position``."""
    match = _DATE_RE.match(text, position)
    if match is None:
        return None
    year = _year_of(match)
    groups = [("month", "day"), ("imonth", "iday"), ("lmonth", "lday"), ("smonth", "sday")]
    month_group, day_group = next(pair for pair in groups if match[pair[0]])
    month, day = int(match[month_group]), int(match[day_group])
    if year == -1 or not _valid_month_day(month, day):
        return None
    if year is not None:
        try:
            date(year, month, day)
        except ValueError:
            return None
    return _partial_date(match, year, month, day), match.end()


def _valid_month_day(month: int, day: int) -> bool:
    try:
        date(2000, month, day)  # a leap year: 2月29日 is a valid month-day
    except ValueError:
        return False
    return True


def match_date_range(text: str, position: int) -> tuple[PartialDate, PartialDate, int] | None:
    """Read ``1月11日から2月1日まで``, ``令和4年1月11日~25日``, ``12月29日〜1月3日``."""
    first = match_date(text, position)
    if first is None:
        return None
    start, end_position = first
    mark = _RANGE_RE.match(text, end_position)
    if mark is None:
        return None
    second = match_date(text, mark.end())
    if second is not None:
        end, stop = second
    else:
        day_only = _DAY_ONLY_RE.match(text, mark.end())
        if day_only is None:
            return None
        day = int(day_only["day"])
        if not _valid_month_day(start.month, day):
            return None
        month = start.month if day >= start.day else start.month % 12 + 1
        end, stop = _partial_date(day_only, None, month, day), day_only.end()
    if end.year is None and start.year is not None:
        year = start.year + (1 if end.month_day < start.month_day else 0)
        end = PartialDate(year, end.month, end.day, end.weekday, end.weekday_span)
    until = _UNTIL_RE.match(text, stop)
    return start, end, until.end() if until else stop


_YEAR = r"(?:(?:令和|平成)\s*(?:元|\d{1,2})|\d{4})\s*年"
_MONTH_PERIOD_RE = re.compile(
    rf"(?<!\d)(?P<y1>{_YEAR})?\s*(?P<m1>\d{{1,2}})\s*月(?!\s*\d)\s*{RANGE}\s*"
    rf"(?P<y2>{_YEAR})?\s*(?P<m2>\d{{1,2}})\s*月(?!\s*\d)(?:\s*(?P<until>まで|迄))?(?!\s*の)"
)


def _year_of_text(text: str | None) -> int | None:
    if not text:
        return None
    era = re.match(r"(令和|平成)\s*(元|\d{1,2})", text)
    try:
        if era:
            return wareki_year_to_seireki(era[1], 1 if era[2] == "元" else int(era[2]))
    except WarekiError:
        return -1
    return int(re.findall(r"\d{4}", text)[0])


def match_month_period(text: str, position: int) -> tuple[PartialDate, PartialDate, int] | None:
    """Read a period of whole months: ``令和3年9月から令和4年3月まで``, ``4月から12月まで``.

    Without a year it must end with まで (``4月~12月の毎月`` is a month filter instead).
    """
    match = _MONTH_PERIOD_RE.match(text, position)
    if match is None or not (match["y1"] or match["y2"] or match["until"]):
        return None
    first_year, last_year = _year_of_text(match["y1"]), _year_of_text(match["y2"])
    first_month, last_month = int(match["m1"]), int(match["m2"])
    if -1 in (first_year, last_year) or not (1 <= first_month <= 12 and 1 <= last_month <= 12):
        return None
    if first_year is None and last_year is not None:
        first_year = last_year - (1 if first_month > last_month else 0)
    if last_year is None and first_year is not None:
        last_year = first_year + (1 if last_month < first_month else 0)
    first = PartialDate(first_year, first_month, 1)
    last = PartialDate(last_year, last_month, 1, end_of_month=True)
    return first, last, match.end()


# --- Times ---------------------------------------------------------------------------------

_AMPM = r"(?:午前|午後|AM|PM|am|pm|a\.m\.|p\.m\.)"
_ATOM_RE = re.compile(
    rf"(?<!\d)(?<!\d:)(?P<ap>{_AMPM})?\s*(?:"
    r"(?P<h>\d{1,2})\s*時(?!間)(?:\s*(?P<mi>\d{1,2})\s*分(?!間))?(?:\s*(?P<half>半))?"
    r"|(?P<ch>\d{1,2})\s*:\s*(?P<cm>\d{2})(?!\d)"
    r"|(?P<noon>正午))"
)
_BARE_START_RE = re.compile(rf"(?<!\d)(?<!\d:)(?P<ap>{_AMPM})?\s*(?P<h>\d{{1,2}})(?!\s*[\d:時])")
_DURATION_RE = re.compile(
    r"\s*(?:から|~|より)?\s*(?P<about>約|およそ)?\s*"
    r"(?:(?P<dh>\d{1,2})\s*時間\s*(?P<dhalf>半)?)?(?:(?P<dm>\d{1,3})\s*分\s*)?間?"
    r"(?:\s*(?:程度|ほど|くらい|ぐらい))?"
)
# 10時から (open end), unless what follows is a date: 12月3日10時から12月17日まで is a
# period of two moments, not a daily time, and is left to be reported.
_OPEN_END_RE = re.compile(
    r"\s*(?:から|より|~|開始|スタート)(?!\s*(?:\d{1,2}\s*月|\d{1,2}\s*/|\d{4}\s*年|令和|平成))"
)
_SLOT_SEPARATOR = re.compile(r"\s*(?:、|,|・|/|と|及び|および)\s*")


@dataclass(frozen=True)
class _Atom:
    hour: int
    minute: int
    meridiem: str | None  # "am" / "pm" / None
    end: int


def _match_atom(text: str, position: int) -> _Atom | None:
    match = _ATOM_RE.match(text, position)
    if match is None:
        return None
    meridiem = _meridiem(match["ap"])
    if match["noon"]:
        return _Atom(12, 0, None, match.end())
    if match["h"] is not None:
        hour = int(match["h"])
        minute = 30 if match["half"] else int(match["mi"] or 0)
    else:
        hour, minute = int(match["ch"]), int(match["cm"])
    if minute > 59 or hour > (12 if meridiem else 23):
        return None
    return _Atom(hour, minute, meridiem, match.end())


def _meridiem(text: str | None) -> str | None:
    if not text:
        return None
    return "am" if text in ("午前",) or text.lower().startswith("a") else "pm"


def _clock(hour: int, minute: int, meridiem: str | None) -> time:
    """24-hour time of a 12-hour reading. 午前0時 = 0:00; 午後0時, 午後12時, 午前12時 = 12:00."""
    if meridiem == "pm" and hour < 12:
        hour += 12
    return time(hour, minute)


def _match_slot(text: str, position: int) -> tuple[TimeSlot, int] | None:
    return (
        _match_range_slot(text, position)
        or _match_bare_start_slot(text, position)
        or _match_duration_slot(text, position)
        or _match_start_slot(text, position)
    )


def _slot_of(start: time, end: time | None, stop: int) -> tuple[TimeSlot, int] | None:
    if end is not None and end <= start:
        return None
    return TimeSlot(start, end), stop


def _match_range_slot(text: str, position: int) -> tuple[TimeSlot, int] | None:
    first = _match_atom(text, position)
    if first is None:
        return None
    mark = _RANGE_RE.match(text, first.end)
    second = _match_atom(text, mark.end()) if mark else None
    if second is None:
        return None
    start = _clock(first.hour, first.minute, first.meridiem)
    end = _clock(second.hour, second.minute, second.meridiem or first.meridiem)
    until = _UNTIL_RE.match(text, second.end)
    return _slot_of(start, end, until.end() if until else second.end)


def _match_bare_start_slot(text: str, position: int) -> tuple[TimeSlot, int] | None:
    """``11〜17時``, ``午後1〜4時``: the start hour borrows 時 from the end."""
    bare = _BARE_START_RE.match(text, position)
    mark = _RANGE_RE.match(text, bare.end()) if bare else None
    second = _match_atom(text, mark.end()) if mark else None
    if bare is None or second is None:
        return None
    meridiem = _meridiem(bare["ap"]) or second.meridiem
    hour = int(bare["h"])
    if hour > (12 if meridiem else 23):
        return None
    start = _clock(hour, 0, meridiem)
    end = _clock(second.hour, second.minute, second.meridiem or meridiem)
    until = _UNTIL_RE.match(text, second.end)
    return _slot_of(start, end, until.end() if until else second.end)


def _match_duration_slot(text: str, position: int) -> tuple[TimeSlot, int] | None:
    """``15時30分から約15分間``, ``10時から2時間``."""
    first = _match_atom(text, position)
    duration = _DURATION_RE.match(text, first.end) if first else None
    if first is None or duration is None or not (duration["dh"] or duration["dm"]):
        return None
    minutes = int(duration["dh"] or 0) * 60 + (30 if duration["dhalf"] else 0)
    minutes += int(duration["dm"] or 0)
    start = _clock(first.hour, first.minute, first.meridiem)
    finish = (start.hour * 60 + start.minute) + minutes
    if minutes == 0 or finish >= 24 * 60:
        return None
    slot = TimeSlot(
        start, time(finish // 60, finish % 60), minutes, approximate=bool(duration["about"])
    )
    return slot, duration.end()


def _match_start_slot(text: str, position: int) -> tuple[TimeSlot, int] | None:
    first = _match_atom(text, position)
    if first is None or _UNTIL_RE.match(text, first.end):
        return None  # 午後5時まで is an end (a deadline), not a start
    opened = _OPEN_END_RE.match(text, first.end)
    return TimeSlot(_clock(first.hour, first.minute, first.meridiem)), (
        opened.end() if opened else first.end
    )


_LOOSE_ATOM = rf"(?:{_AMPM})?\s*\d{{1,2}}\s*(?:時(?!間)(?:\s*\d{{1,2}}\s*分)?|:\s*\d{{2}})"
_LOOSE_RANGE_RE = re.compile(
    rf"(?<!\d)(?<!\d:)(?:{_LOOSE_ATOM}|(?:{_AMPM})?\s*\d{{1,2}})\s*{RANGE}\s*{_LOOSE_ATOM}"
)


def match_time_slots(text: str, position: int) -> tuple[tuple[TimeSlot, ...], int] | None:
    """Read one or more time slots: ``10時30分~11時30分・19時~20時``.

    A range that is written as one but cannot be (``16時~13時``, ``10時~24時``) gives no
    slot and the span it covers, so it is reported rather than half read.
    """
    written = _LOOSE_RANGE_RE.match(text, position)
    first = _match_slot(text, position)
    if written is not None and (first is None or first[1] < written.end()):
        return (), written.end()
    if first is None:
        return None
    slots = [first[0]]
    stop = first[1]
    while (separator := _SLOT_SEPARATOR.match(text, stop)) is not None:
        following = match_time_slots(text, separator.end())
        if following is None or not following[0]:
            break
        slots.extend(following[0])
        stop = following[1]
    return tuple(slots), stop


# --- Lists of weekdays, holidays, dates and months --------------------------------------------


@dataclass
class ItemList:
    """What a list such as ``土、日、休日、年末年始`` or ``7、8、3月`` names."""

    start: int = 0
    end: int = 0
    weekdays: list[int] = field(default_factory=list)
    holidays: bool = False
    annual: list[AnnualRange] = field(default_factory=list)
    dates: list[PartialDate] = field(default_factory=list)
    date_ranges: list[tuple[PartialDate, PartialDate]] = field(default_factory=list)
    months: set[int] = field(default_factory=set)
    items: int = 0
    bare_weekdays: int = 0

    @property
    def only_one_bare_weekday(self) -> bool:
        """A lone ``月`` or ``日`` is too ambiguous to be read as a weekday."""
        return self.items == 1 and self.bare_weekdays == 1


_WEEKDAY_RE = re.compile(r"(?P<c>[月火水木金土日])(?P<suffix>曜日|曜)?")
_HOLIDAY_RE = re.compile(r"国民の祝日|振替休日|祝祭日|祝休日|祝日|休日|祝(?!日|祭|休)")
_YEAR_END_RE = re.compile(r"年末年始")
_MONTHS_RE = re.compile(
    rf"(?<!\d)(?:(?P<first>\d{{1,2}})\s*月\s*{RANGE}\s*(?:翌年\s*)?(?P<last>\d{{1,2}})\s*月"
    r"|(?P<list>\d{1,2}(?:\s*月)?(?:\s*[、,・]\s*\d{1,2}(?:\s*月)?)*)\s*月)(?![\d曜]|\s*\d)"
)
_ALLOWED_AFTER_BARE = set(WEEKDAY_CHARS) | set("祝休曜")


def _blocked_before(text: str, position: int) -> bool:
    """Tell whether the character before ``position`` makes a list start impossible there
    (a digit: ``8月``; a kanji: ``毎日``, ``休日``, ``第3木曜日``)."""
    if position == 0:
        return False
    before = text[position - 1]
    return before.isdigit() or is_ideograph(before)


def _match_weekday(text: str, position: int, *, in_context: bool) -> tuple[int, bool, int] | None:
    match = _WEEKDAY_RE.match(text, position)
    if match is None or (not in_context and _blocked_before(text, position)):
        return None
    bare = match["suffix"] is None
    if bare:
        following = text[match.end() : match.end() + 1]
        if following and is_ideograph(following) and following not in _ALLOWED_AFTER_BARE:
            return None
        if following.isdigit() and not in_context:
            return None
    return WEEKDAY_CHARS.index(match["c"]), bare, match.end()


def _weekday_span(first: int, last: int) -> list[int]:
    days = [first]
    while days[-1] != last:
        days.append((days[-1] + 1) % 7)
    return days


def _match_item(
    text: str, position: int, found: ItemList, *, in_context: bool, kinds: str
) -> tuple[int, str]:
    """Read one item into ``found``; return where it stops and its kind ("" if none)."""
    if "d" in kinds:
        date_range = match_date_range(text, position)
        if date_range is not None:
            found.date_ranges.append(date_range[:2])
            return date_range[2], "date"
        single = match_date(text, position)
        if single is not None:
            found.dates.append(single[0])
            return single[1], "date"
    if "y" in kinds and (year_end := _YEAR_END_RE.match(text, position)):
        found.annual.append(YEAR_END)
        return _year_end_definition(text, year_end.end(), found), "year_end"
    if "m" in kinds and (months := _MONTHS_RE.match(text, position)):
        numbers = months_of(months)
        if numbers:
            found.months |= numbers
            return months.end(), "months"
    if "h" in kinds and _is_holiday_item(text, position, in_context=in_context):
        found.holidays = True
        return _HOLIDAY_RE.match(text, position).end(), "holiday"  # type: ignore[union-attr]
    if "w" in kinds:
        stop = _match_weekday_item(text, position, found, in_context=in_context)
        if stop != position:
            return stop, "weekday"
    return position, ""


def _is_holiday_item(text: str, position: int, *, in_context: bool) -> bool:
    holiday = _HOLIDAY_RE.match(text, position)
    if holiday is None or (not in_context and _blocked_before(text, position)):
        return False
    if holiday.group() != "祝" or in_context:
        return True
    # A lone 祝 starts a list only as in 祝・休日 (お祝い is no holiday).
    return text[holiday.end() : holiday.end() + 1] == "・"


def _match_weekday_item(text: str, position: int, found: ItemList, *, in_context: bool) -> int:
    first = _match_weekday(text, position, in_context=in_context)
    if first is None:
        return position
    day, bare, stop = first
    mark = _RANGE_RE.match(text, stop)
    second = _match_weekday(text, mark.end(), in_context=True) if mark else None
    if second is not None:
        found.weekdays.extend(_weekday_span(day, second[0]))
        until = _UNTIL_RE.match(text, second[2])
        return until.end() if until else second[2]
    found.weekdays.append(day)
    found.bare_weekdays += bare
    return stop


def _year_end_definition(text: str, position: int, found: ItemList) -> int:
    """``年末年始(12月28日~1月4日)``: the bracket, when it gives dates, defines the period."""
    opening = re.compile(r"\s*\(\s*").match(text, position)
    if opening is None:
        return position
    period = match_date_range(text, opening.end())
    closing = re.compile(r"\s*\)").match(text, period[2]) if period else None
    if period is None or closing is None or period[0].year is not None:
        return position
    found.annual[-1] = AnnualRange(period[0].month_day, period[1].month_day)
    return closing.end()


def months_of(match: re.Match[str]) -> set[int]:
    """The months of a match with groups ``first``/``last`` (4月~12月) or ``list`` (7、8、3)."""
    if match["first"]:
        first, last = int(match["first"]), int(match["last"])
        if not (1 <= first <= 12 and 1 <= last <= 12):
            return set()
        months = [first]
        while months[-1] != last:
            months.append(months[-1] % 12 + 1)
        return set(months)
    numbers = {int(number) for number in re.findall(r"\d{1,2}", match["list"])}
    return numbers if all(1 <= number <= 12 for number in numbers) else set()


def scan_items(
    text: str, position: int, *, in_context: bool = False, kinds: str = "dymhw"
) -> ItemList | None:
    """Read a list of items at ``position``: weekdays (w), holidays (h), months (m),
    年末年始 (y) and dates or date ranges (d), joined by 、・と or, for weekday and holiday
    characters, nothing (``土日祝``). ``in_context`` says a prefix such as 毎週 or 第2 comes
    before, so a bare weekday character may start the list."""
    found = ItemList(start=position, end=position)
    stop = position
    while True:
        context = in_context or found.items > 0
        following, kind = _match_item(text, stop, found, in_context=context, kinds=kinds)
        if not kind:
            break
        found.items += 1
        stop = found.end = following
        separator = _SEPARATOR.match(text, stop)
        if separator is not None and _peek(text, separator.end(), kinds):
            stop = separator.end()
            continue
        if kind not in ("weekday", "holiday"):
            break
        # Weekdays and holidays also follow each other with nothing (土日祝) or spaces
        # (毎週 月 水 金) between them.
        spaces = _SPACES.match(text, stop)
        if _peek(text, stop, "hw"):
            continue
        if spaces is None or not _peek(text, spaces.end(), "hw"):
            break
        stop = spaces.end()
    return found if found.items else None


def _peek(text: str, position: int, kinds: str) -> bool:
    return bool(_match_item(text, position, ItemList(), in_context=True, kinds=kinds)[1])
