"""Tokens of a schedule phrase: each recognizer claims the spans it understands.

Recognizers run in a fixed order, most specific first (``祝日の場合は翌日`` before the
holiday in it could be read as a day, ``8月を除く`` before ``8月`` could be read as a month
filter). A claimed span is masked so later recognizers cannot read it again. What no
recognizer claims is left over and reported (see ``build.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeAlias

from .lexicon import (
    RANGE,
    ItemList,
    PartialDate,
    match_date,
    match_date_range,
    match_month_period,
    match_time_slots,
    months_of,
    scan_items,
)
from .model import EVERY_WEEK, LAST, AnnualRange, HolidayShift, TimeSlot

__all__ = ["Token", "tokenize"]

MASK = "\x00"


@dataclass(frozen=True)
class DaysValue:
    """Days selected: ``毎週月・水・金``, ``第2・第4水曜日``, ``毎月15日``, ``年末年始``…"""

    weekdays: frozenset[tuple[int, int]] = frozenset()
    holidays: bool = False
    month_days: frozenset[int] = frozenset()
    annual: tuple[AnnualRange, ...] = ()
    dates: tuple[PartialDate, ...] = ()
    interval_weeks: int = 1
    excludes_holidays: bool = False  # 平日


@dataclass(frozen=True)
class RangeValue:
    """A period: ``1月14日から3月25日まで``, ``令和4年1月11日から``, ``3月25日まで``."""

    start: PartialDate | None
    end: PartialDate | None


@dataclass(frozen=True)
class MonthsValue:
    """Months the rule is limited to: ``奇数月``, ``4月~12月の毎月``."""

    months: frozenset[int]


@dataclass(frozen=True)
class IntervalValue:
    """``隔月``, ``2カ月に1回`` (unit month) or ``2週間に1回`` (unit week)."""

    unit: str
    every: int


@dataclass(frozen=True)
class CountValue:
    """``全8回``, ``全6回シリーズ``."""

    count: int


@dataclass(frozen=True)
class TimesValue:
    slots: tuple[TimeSlot, ...]


@dataclass(frozen=True)
class ListValue:
    """Days left out: ``2月11日を除く`` (``closed`` False) or ``土、日は休み`` (True)."""

    items: ItemList
    closed: bool
    label: str = ""


@dataclass(frozen=True)
class IncludeValue:
    """``(祝日を含む)``."""


@dataclass(frozen=True)
class ShiftValue:
    """``祝日の場合は翌日``, ``祝日と重なる場合は翌平日``."""

    shift: HolidayShift


@dataclass(frozen=True)
class ClosureValue:
    """A word that makes its rule a closure: ``休館日``, ``点検日``, ``休み``."""

    label: str


@dataclass(frozen=True)
class LabelValue:
    """A heading that only introduces the schedule: ``開室日:``, ``開館時間``."""


@dataclass(frozen=True)
class UnreadValue:
    """Written like a date or time but impossible as such (``16時~13時``): reported."""


TokenValue: TypeAlias = (
    DaysValue
    | RangeValue
    | MonthsValue
    | IntervalValue
    | CountValue
    | TimesValue
    | ListValue
    | IncludeValue
    | ShiftValue
    | ClosureValue
    | LabelValue
    | UnreadValue
)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    value: TokenValue


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = []

    def claim(self, start: int, end: int, value: TokenValue) -> bool:
        if start >= end or MASK in self.text[start:end]:
            return False
        self.text = self.text[:start] + MASK * (end - start) + self.text[end:]
        self.tokens.append(Token(start, end, value))
        return True

    def positions(self) -> Iterator[tuple[str, int]]:
        """Each unmasked position and the text as it is then (it changes after a claim)."""
        for position in range(len(self.text)):
            if self.text[position] != MASK:
                yield self.text, position


_HOLIDAYS = (
    r"(?:国民の祝日|振替休日|祝祭日|祝休日|祝日|休日|祝)"
    r"(?:\s*[・、]\s*(?:祝日|休日|振替休日))*(?:\s*等)?"
)
_WHEN_HOLIDAY = (
    rf"{_HOLIDAYS}\s*(?:に当たる|にあたる|と重なる|に重なる|の)\s*(?:場合|とき|時|日)"
    r"\s*(?:は|には)?\s*[、,]?\s*"
)
_SHIFT_RE = re.compile(
    _WHEN_HOLIDAY + r"(?P<to>翌平日|翌営業日|翌開館日|翌日|前平日|前営業日|前日)"
    r"(?:\s*(?:に|へ)?\s*(?:振替|振り替え|振替え|変更|延期|順延|実施|開催|休館|休業)"
    r"(?:します|となります|になります|する)?)?"
    r"(?:\s*(?:となります|になります|です))?"
)
_SHIFTS = {
    "翌平日": HolidayShift.NEXT_WEEKDAY,
    "翌営業日": HolidayShift.NEXT_WEEKDAY,
    "翌開館日": HolidayShift.NEXT_WEEKDAY,
    "翌日": HolidayShift.NEXT_DAY,
    "前平日": HolidayShift.PREVIOUS_WEEKDAY,
    "前営業日": HolidayShift.PREVIOUS_WEEKDAY,
    "前日": HolidayShift.PREVIOUS_DAY,
}
_HOLIDAY_CLOSED_RE = re.compile(
    _WHEN_HOLIDAY + r"(?:休み|お休み|休館|休業|休室|中止|除く|なし|ありません)(?:です|となります)?"
)
_INCLUDE_RE = re.compile(r"\s*(?:を|も)?\s*(?:含む|含みます|含め|含めて)")
_EXCLUDE_RE = re.compile(
    r"\s*(?:を|は|が)?\s*(?:除く|除き|除いて|のぞく|のぞき|のぞいて|除外|以外)"
)
_CLOSED_RE = re.compile(
    r"\s*(?:は|が|も)?\s*(?P<word>お休み|休み|定休日|(?:休館|休業|休室|休所|閉館|休園|休場)日?)"
)


def _closure_label(word: str) -> str:
    """The word to show for a closure: 休館 → 休館日, お休み → 休み."""
    if word in ("休み", "お休み"):
        return "休み"
    return word if word.endswith("日") else word + "日"


def _shifts(reader: _Reader) -> None:
    for match in _SHIFT_RE.finditer(reader.text):
        reader.claim(match.start(), match.end(), ShiftValue(_SHIFTS[match["to"]]))
    for match in _HOLIDAY_CLOSED_RE.finditer(reader.text):
        holidays = ItemList(start=match.start(), end=match.end(), holidays=True, items=1)
        reader.claim(match.start(), match.end(), ListValue(holidays, closed=False))


def _list_before(text: str, end: int, kinds: str) -> ItemList | None:
    """The longest item list that ends exactly at ``end`` (spaces allowed before it)."""
    while end > 0 and text[end - 1] == " ":
        end -= 1
    for start in range(max(0, end - 80), end):
        if text[start] in (MASK, " "):
            continue
        found = scan_items(text, start, kinds=kinds)
        if found is not None and found.end == end:
            return found
    return None


def _include(items: ItemList, match: re.Match[str]) -> TokenValue | None:
    return IncludeValue() if items.holidays else None


def _exclude(items: ItemList, match: re.Match[str]) -> TokenValue | None:
    return ListValue(items, closed=False)


def _close(items: ItemList, match: re.Match[str]) -> TokenValue | None:
    return ListValue(items, closed=True, label=_closure_label(match["word"]))


_MARKERS: tuple[
    tuple[re.Pattern[str], Callable[[ItemList, re.Match[str]], TokenValue | None], str], ...
] = (
    (_INCLUDE_RE, _include, "h"),
    (_EXCLUDE_RE, _exclude, "dymhw"),
    (_CLOSED_RE, _close, "dymhw"),
)


def _marked_lists(reader: _Reader) -> None:
    """``祝日を含む``, ``2月11日を除く``, ``7、8、3月除く``, ``土、日、休日、年末年始は休み``:
    the list is read backwards from the word that marks it."""
    for pattern, make, kinds in _MARKERS:
        for text, position in reader.positions():
            match = pattern.match(text, position)
            found = _list_before(text, position, kinds) if match else None
            value = make(found, match) if found and match else None
            if found is not None and match is not None and value is not None:
                reader.claim(found.start, match.end(), value)


_YEAR_END_RE = re.compile(r"年末年始")


def _year_end(reader: _Reader) -> None:
    for text, position in reader.positions():
        if _YEAR_END_RE.match(text, position):
            found = scan_items(text, position, kinds="y")
            if found is not None:
                reader.claim(position, found.end, DaysValue(annual=tuple(found.annual)))


_ODD_EVEN_RE = re.compile(r"(?P<kind>奇数|偶数)月(?:\s*の)?(?:\s*(?:毎月|各月))?")
_MONTHS_FILTER_RE = re.compile(
    rf"(?<!\d)(?:(?P<first>\d{{1,2}})\s*月\s*{RANGE}\s*(?:翌年\s*)?(?P<last>\d{{1,2}})\s*月"
    r"|(?P<list>\d{1,2}(?:\s*月)?(?:\s*[、,・]\s*\d{1,2}(?:\s*月)?)*)\s*月)"
    r"(?:\s*(?P<until>まで))?\s*(?P<suffix>の\s*(?:毎月|各月)?|毎月|各月)?(?![\d曜])"
)
_MONTH_INTERVAL_RE = re.compile(
    r"隔月|(?P<n>\d{1,2})\s*(?:か|カ|ヶ|ケ|箇|ヵ)\s*月\s*(?:に|ごとに|ごと|毎に)\s*(?:1|一)\s*(?:回|度)"
    r"(?:\s*の\s*ペース)?"
)
_WEEK_INTERVAL_RE = re.compile(
    r"(?P<n>\d)\s*週間?\s*(?:に|ごとに|ごと|毎に)\s*(?:1|一)\s*(?:回|度)(?:\s*の\s*ペース)?"
)


_DEADLINE_LABEL_RE = re.compile(r"(?:申込み?|申し込み)?(?:期限日?|締切日?|締め切り日?)\s*[:：]?\s*")
_DEADLINE_MARK_RE = re.compile(r"\s*(?:必着|締切|締め切り|消印有効)")


def _deadlines(reader: _Reader) -> None:
    """``申込期限日: 2022/1/28``, ``12月10日(金曜)必着``: a deadline is no day of the
    schedule, so it is claimed to be reported rather than read as one."""
    for text, position in reader.positions():
        label = _DEADLINE_LABEL_RE.match(text, position)
        if label is not None and label.end() > position:
            single = match_date(text, label.end())
            if single is not None:
                reader.claim(position, single[1], UnreadValue())
                continue
        single = match_date(text, position)
        mark = _DEADLINE_MARK_RE.match(text, single[1]) if single else None
        if mark is not None:
            reader.claim(position, mark.end(), UnreadValue())


_BOUND_LABEL_RE = re.compile(r"(?P<label>開始日|終了日)\s*[:：]?\s*")


def _periods(reader: _Reader) -> None:
    """Periods of whole months (``令和3年9月から令和4年3月まで``) and labelled bounds
    (``開始日: 2022/1/5``, ``終了日: 2022/3/30``)."""
    for text, position in reader.positions():
        period = match_month_period(text, position)
        if period is not None:
            reader.claim(position, period[2], RangeValue(period[0], period[1]))
            continue
        label = _BOUND_LABEL_RE.match(text, position)
        single = match_date(text, label.end()) if label else None
        if label is None or single is None or match_date_range(text, label.end()):
            continue
        if label["label"] == "開始日":
            reader.claim(position, single[1], RangeValue(single[0], None))
        elif label["label"] == "終了日":
            reader.claim(position, single[1], RangeValue(None, single[0]))


def _months(reader: _Reader) -> None:
    for match in _ODD_EVEN_RE.finditer(reader.text):
        odd_or_even = range(1, 13, 2) if match["kind"] == "奇数" else range(2, 13, 2)
        reader.claim(match.start(), match.end(), MonthsValue(frozenset(odd_or_even)))
    for match in _MONTHS_FILTER_RE.finditer(reader.text):
        if not (match["until"] or match["suffix"]):
            continue
        months = months_of(match)
        if months:
            reader.claim(match.start(), match.end(), MonthsValue(frozenset(months)))
    for match in _MONTH_INTERVAL_RE.finditer(reader.text):
        every = int(match["n"]) if match["n"] else 2
        if every >= 2:
            reader.claim(match.start(), match.end(), IntervalValue("month", every))
    for match in _WEEK_INTERVAL_RE.finditer(reader.text):
        if int(match["n"]) >= 2:
            reader.claim(match.start(), match.end(), IntervalValue("week", int(match["n"])))


_OPEN_START_RE = re.compile(r"\s*(?:から|より|以降)")
_OPEN_END_RE = re.compile(r"\s*(?:まで|迄)")
_DANGLING_END_RE = re.compile(rf"{RANGE}\s*$")


def _dates(reader: _Reader) -> None:
    """Date ranges (``1月14日(金曜)から3月25日(金曜)``) and single dates."""
    for text, position in reader.positions():
        if not text[position].isdigit() and text[position] not in "令平昭RH":
            continue
        period = match_date_range(text, position)
        if period is not None:
            reader.claim(position, period[2], RangeValue(period[0], period[1]))
            continue
        single = match_date(text, position)
        if single is None:
            continue
        day, stop = single
        if dangling := _DANGLING_END_RE.search(text, 0, position):
            # The end of a period whose start could not be read (2月30日から3月25日).
            reader.claim(dangling.start(), stop, UnreadValue())
        elif opened := _OPEN_START_RE.match(text, stop):
            reader.claim(position, opened.end(), RangeValue(day, None))
        elif closed := _OPEN_END_RE.match(text, stop):
            reader.claim(position, closed.end(), RangeValue(None, day))
        else:
            found = scan_items(text, position, kinds="d")
            if found is not None and not found.date_ranges:
                reader.claim(position, found.end, DaysValue(dates=tuple(found.dates)))


_ORDINAL_NUMBER = r"[1-5一二三四五]"
# A bare ordinal after a separator (第2・4), not a month or a day (第2・3月 is no weekday).
_BARE_ORDINAL = rf"{_ORDINAL_NUMBER}(?!\d)(?![月日](?!曜))"
_ORDINALS_RE = re.compile(
    r"(?:(?:毎月|各月)\s*(?:の\s*)?)?(?P<ords>"
    rf"第\s*{_ORDINAL_NUMBER}\s*{RANGE}\s*(?:第\s*)?{_ORDINAL_NUMBER}"
    rf"|(?:第\s*{_ORDINAL_NUMBER}|最終|最後の?)"
    rf"(?:\s*(?:[・、,.]|と|及び|および)\s*(?:第\s*{_ORDINAL_NUMBER}|{_BARE_ORDINAL}|最終))*"
    r")\s*(?:週目?\s*)?(?:の\s*)?"
)
_KANJI_ORDINALS = dict(zip("一二三四五", "12345", strict=True))


def _ordinals_of(text: str) -> list[int]:
    text = "".join(_KANJI_ORDINALS.get(char, char) for char in text)
    numbers = [int(number) for number in re.findall(r"[1-5]", text)]
    if re.search(RANGE, text) and len(numbers) == 2:
        numbers = list(range(numbers[0], numbers[1] + 1))
    if "最" in text:
        numbers.append(LAST)
    return numbers


def _ordinal_weekdays(reader: _Reader) -> None:
    """``毎月第2、第4水曜日``, ``第1~3火曜``, ``第2.4金曜日``, ``最終金曜日``."""
    for match in _ORDINALS_RE.finditer(reader.text):
        text = reader.text
        found = scan_items(text, match.end(), in_context=True, kinds="w")
        ordinals = _ordinals_of(match["ords"])
        if found is None or not ordinals:
            continue
        pairs = frozenset((day, ordinal) for day in found.weekdays for ordinal in ordinals)
        reader.claim(match.start(), found.end, DaysValue(weekdays=pairs))


_MONTH_DAYS_RE = re.compile(
    r"(?:毎月|各月)\s*(?:の\s*)?(?:"
    r"(?P<days>\d{1,2}\s*日(?:\s*(?:[・、,]|と|及び)\s*\d{1,2}\s*日)*)(?!\s*(?:曜|間))"
    r"|(?P<end>末日|末))"
)
_EVERY_DAY_RE = re.compile(r"(?P<daily>毎日(?!曜)|年中無休|無休)|(?P<weekdays>平日)")


def _month_days(reader: _Reader) -> None:
    for match in _MONTH_DAYS_RE.finditer(reader.text):
        days = {int(day) for day in re.findall(r"\d{1,2}", match["days"] or "")}
        if match["end"]:
            days = {-1}
        if all(-1 <= day <= 31 and day != 0 for day in days):
            reader.claim(match.start(), match.end(), DaysValue(month_days=frozenset(days)))
    for match in _EVERY_DAY_RE.finditer(reader.text):
        if match["daily"]:
            value = DaysValue(weekdays=frozenset((day, EVERY_WEEK) for day in range(7)))
        else:
            weekdays = frozenset((day, EVERY_WEEK) for day in range(5))
            value = DaysValue(weekdays=weekdays, excludes_holidays=True)
        reader.claim(match.start(), match.end(), value)


_WEEKLY_PREFIX_RE = re.compile(r"(?P<prefix>毎週|隔週|各週|毎(?=[月火水木金土日]曜))\s*(?:の\s*)?")


def _weekday_lists(reader: _Reader) -> None:
    """``毎週月・水・金``, ``月曜日から金曜日まで``, ``土・日曜、祝・休日``, ``隔週日曜日``."""
    for text, position in reader.positions():
        prefix = _WEEKLY_PREFIX_RE.match(text, position)
        start = prefix.end() if prefix else position
        found = scan_items(text, start, in_context=prefix is not None, kinds="hw")
        if found is None or (prefix is None and found.only_one_bare_weekday):
            continue
        interval = 2 if prefix and prefix["prefix"] == "隔週" else 1
        value = DaysValue(
            weekdays=frozenset((day, EVERY_WEEK) for day in found.weekdays),
            holidays=found.holidays,
            interval_weeks=interval,
        )
        reader.claim(position, found.end, value)


_COUNT_RE = re.compile(
    r"全\s*(?P<a>\d{1,3})\s*回(?:\s*(?:シリーズ|コース|連続講座|講座))?"
    r"|(?P<b>\d{1,3})\s*回(?:シリーズ|連続講座|コース)"
)
_TIME_START_RE = re.compile(r"\d|午前|午後|AM|PM|am|pm|a\.m\.|p\.m\.|正午")


_START_TIME_LABEL_RE = re.compile(r"開始時刻\s*[:：]?\s*")
_END_TIME_LABEL_RE = re.compile(r"\s*終了時刻\s*[:：]?\s*")


def _labelled_times(reader: _Reader) -> None:
    """``開始時刻: 9:30 終了時刻: 16:00`` is one slot; an end time alone is reported."""
    for text, position in reader.positions():
        start_label = _START_TIME_LABEL_RE.match(text, position)
        end_label = _END_TIME_LABEL_RE.match(text, position)
        if start_label is not None:
            start = match_time_slots(text, start_label.end())
            if start is None or len(start[0]) != 1 or start[0][0].end is not None:
                continue
            slot, stop = start[0][0], start[1]
            end_label = _END_TIME_LABEL_RE.match(text, stop)
            end = match_time_slots(text, end_label.end()) if end_label else None
            if end is not None and len(end[0]) == 1 and end[0][0].start > slot.start:
                slot, stop = TimeSlot(slot.start, end[0][0].start), end[1]
            reader.claim(position, stop, TimesValue((slot,)))
        elif end_label is not None and text[position] == "終":
            end = match_time_slots(text, end_label.end())
            if end is not None:
                reader.claim(position, end[1], UnreadValue())


def _counts_and_times(reader: _Reader) -> None:
    for match in _COUNT_RE.finditer(reader.text):
        count = int(match["a"] or match["b"])
        if count > 0:
            reader.claim(match.start(), match.end(), CountValue(count))
    for text, position in reader.positions():
        if not _TIME_START_RE.match(text, position):
            continue
        found = match_time_slots(text, position)
        if found is not None:
            value = TimesValue(found[0]) if found[0] else UnreadValue()
            reader.claim(position, found[1], value)


_CLOSURE_RE = re.compile(
    r"(?:定期\s*)?(?:保守\s*)?(?:点検(?:・清掃)?|清掃(?:・点検)?|メンテナンス)日"
    r"|休館日|休室日|休所日|休業日|休場日|休園日|閉館日|定休日|休館|休業|(?<![一-龥])お?休み"
)
_LABEL_RE = re.compile(
    r"(?:開館日|開室日|開所日|開館時間|開室時間|開所時間|利用時間|受付時間|相談時間帯|"
    r"開催日時|開催期間|開催日|営業時間|営業日|日時|日程)\s*(?::|は)?"
)


def _markers(reader: _Reader) -> None:
    for match in _CLOSURE_RE.finditer(reader.text):
        reader.claim(match.start(), match.end(), ClosureValue(match.group()))
    for match in _LABEL_RE.finditer(reader.text):
        reader.claim(match.start(), match.end(), LabelValue())


_RECOGNIZERS: tuple[Callable[[_Reader], None], ...] = (
    _shifts,
    _marked_lists,
    _year_end,
    _deadlines,
    _periods,
    _months,
    _dates,
    _ordinal_weekdays,
    _month_days,
    _weekday_lists,
    _labelled_times,
    _counts_and_times,
    _markers,
)


def tokenize(text: str) -> list[Token]:
    """Read the folded phrase ``text`` into tokens, in the order they appear."""
    reader = _Reader(text)
    for recognize in _RECOGNIZERS:
        recognize(reader)
    return sorted(reader.tokens, key=lambda token: token.start)
