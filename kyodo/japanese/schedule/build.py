"""From tokens to rules: which words belong to which rule, and what was not understood.

A rule starts at each cluster of day tokens (``月曜日~土曜日``; ``日曜日・祝日``;
``第1,4火曜日と第4木曜日`` is one cluster). Every other token attaches to one rule:

- times, holiday shifts and ``(祝日を含む)`` follow their days, so they attach to the rule
  before them (``月曜日~土曜日 9:00~21:00 日曜日・祝日 9:00~17:00`` is two rules);
- other words (periods, counts, month filters, exclusions, 休館日) attach to the rule after
  them when only punctuation or particles separate them from it (``8月をのぞく毎月第3木曜日``,
  ``休館日 年末年始``), otherwise to the rule before them; a bracket opened after a rule keeps
  what it holds with that rule (``毎週月曜日・水曜日・金曜日(祝日は除く)``).

Without any day token, all the words form one rule whose days are implied: every day minus
what is excluded (``午前8時30分から午後5時15分(土日祝日除く)``), every day of a period
(``令和4年1月11日から2月1日まで``), or, for ``土、日は休み`` alone, a closure on those days.

Years left out of dates are taken from the reference date: the year that puts the date (or
the period) nearest to it, among the years where the weekday written after the date
(``7月1日(木曜)``) matches if there are such. A weekday that matches no nearby year is
reported.
Two partial periods of one rule complete each other (``開始日: 2022/1/5`` and
``終了日: 2022/3/30``); a second period that disagrees is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .grammar import (
    ClosureValue,
    CountValue,
    DaysValue,
    IncludeValue,
    IntervalValue,
    LabelValue,
    ListValue,
    MonthsValue,
    RangeValue,
    ShiftValue,
    TimesValue,
    Token,
    UnreadValue,
)
from .lexicon import ItemList, PartialDate
from .model import EVERY_WEEK, AnnualRange, DaySet, Rule, TimeSlot
from .normalize import is_glue

__all__ = ["build_rules"]

_FOLLOWING_WORDS = (TimesValue, ShiftValue, IncludeValue)
_ALL_WEEKDAYS = frozenset(range(7))


@dataclass
class _Group:
    tokens: list[Token] = field(default_factory=list)
    implies_every_day: bool = False  # times written before a closure heading

    @property
    def start(self) -> int:
        return min(token.start for token in self.tokens)

    @property
    def end(self) -> int:
        return max(token.end for token in self.tokens)


@dataclass
class _Layout:
    """The phrase seen as tokens and the leftover fragments between them."""

    text: str
    tokens: list[Token]
    fragments: list[tuple[int, int]]

    def gap_is_glue(self, start: int, end: int, allowed: set[int]) -> bool:
        """Tell whether only glue and the tokens numbered in ``allowed`` lie in [start, end)."""
        for first, last in self.fragments:
            if first < end and last > start and not is_glue(self.text[first:last]):
                return False
        return all(
            index in allowed
            for index, token in enumerate(self.tokens)
            if token.start >= start and token.end <= end
        )

    def opens_bracket(self, start: int, end: int) -> bool:
        """Tell whether a bracket opened in the leftover text of [start, end) is still open."""
        depth = 0
        for first, last in self.fragments:
            for char in self.text[max(first, start) : min(last, end)]:
                depth += (char == "(") - (char == ")")
        return depth > 0


def leftover_fragments(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """The maximal spans of ``text`` that no token covers."""
    fragments: list[tuple[int, int]] = []
    position = 0
    for token in tokens:
        if token.start > position:
            fragments.append((position, token.start))
        position = max(position, token.end)
    if position < len(text):
        fragments.append((position, len(text)))
    return fragments


def _group_tokens(layout: _Layout) -> list[_Group]:
    tokens = layout.tokens
    day_indexes = [i for i, token in enumerate(tokens) if isinstance(token.value, DaysValue)]
    clusters: list[list[int]] = []
    for index in day_indexes:
        if clusters and clusters[-1][-1] == index - 1:
            previous = tokens[clusters[-1][-1]]
            if layout.gap_is_glue(previous.end, tokens[index].start, set()):
                clusters[-1].append(index)
                continue
        clusters.append([index])
    if not clusters:
        return [_Group(list(tokens))] if tokens else []
    owner: dict[int, int] = {i: n for n, cluster in enumerate(clusters) for i in cluster}
    for index in reversed(range(len(tokens))):
        if index not in owner:
            owner[index] = _owner_of(layout, index, clusters, owner)
    lead = _Group(implies_every_day=True)
    groups = [_Group() for _ in clusters]
    for index, token in enumerate(tokens):
        if _before_closure_heading(tokens, index, clusters[owner[index]][0]):
            lead.tokens.append(token)
        else:
            groups[owner[index]].tokens.append(token)
    return ([lead] if lead.tokens else []) + groups


def _before_closure_heading(tokens: list[Token], index: int, first_day: int) -> bool:
    """Tell whether the token comes before a closure word that heads the rule after it:
    ``開館時間 9:00~21:00 休館日 毎週月曜日`` — the opening hours are not the closure's."""
    if index >= first_day:
        return False
    return any(
        isinstance(tokens[between].value, ClosureValue) for between in range(index + 1, first_day)
    )


def _owner_of(layout: _Layout, index: int, clusters: list[list[int]], owner: dict[int, int]) -> int:
    token = layout.tokens[index]
    before = [n for n, cluster in enumerate(clusters) if cluster[-1] < index]
    after = [n for n, cluster in enumerate(clusters) if cluster[0] > index]
    if not before:
        return after[0]
    if not after:
        return before[-1]
    previous, following = before[-1], after[0]
    previous_end = layout.tokens[clusters[previous][-1]].end
    if isinstance(token.value, _FOLLOWING_WORDS) or layout.opens_bracket(previous_end, token.start):
        return previous
    next_start = layout.tokens[clusters[following][0]].start
    allowed = {i for i, n in owner.items() if n == following}
    if layout.gap_is_glue(token.end, next_start, allowed):
        return following
    return previous


# --- Years ---------------------------------------------------------------------------------


def _agrees(partial: PartialDate, day: date) -> bool:
    """Whether ``day`` has the weekday written after the date, if one was."""
    return partial.weekday is None or day.weekday() == partial.weekday


def _nearest(partial: PartialDate, reference: date) -> date | None:
    """The date in the year nearest the reference; a weekday written after the date
    (``7月1日(木曜)``) picks among the nearby years first."""
    if partial.year is not None:
        return partial.on_year(partial.year)
    candidates = [
        day
        for year in (reference.year - 1, reference.year, reference.year + 1)
        if (day := partial.on_year(year)) is not None
    ]
    return min(
        candidates,
        key=lambda day: (not _agrees(partial, day), abs((day - reference).days), -day.toordinal()),
    )


def _resolve_range(
    start: PartialDate | None, end: PartialDate | None, reference: date
) -> tuple[date | None, date | None]:
    if start is None or end is None:
        return (
            _nearest(start, reference) if start else None,
            _nearest(end, reference) if end else None,
        )
    if start.year is not None:
        first = start.on_year(start.year)
        year = start.year + (1 if end.month_day < start.month_day else 0)
        return first, end.on_year(end.year if end.year is not None else year)
    best: tuple[int, int, date, date] | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        first = start.on_year(year)
        last = end.on_year(year + (1 if end.month_day < start.month_day else 0))
        if first is None or last is None:
            continue
        mismatches = (not _agrees(start, first)) + (not _agrees(end, last))
        distance = (
            0
            if first <= reference <= last
            else min(abs((first - reference).days), abs((last - reference).days))
        )
        if best is None or (mismatches, distance) <= best[:2]:
            best = (mismatches, distance, first, last)
    return (best[2], best[3]) if best else (None, None)


# --- Rules ---------------------------------------------------------------------------------


@dataclass
class _RuleParts:
    """What the tokens of one group say, gathered before the rule is made."""

    days: DaySet = field(default_factory=DaySet)
    has_days: bool = False
    interval_weeks: int = 1
    excludes_holidays: bool = False
    months: frozenset[int] | None = None
    excluded_months: set[int] = field(default_factory=set)
    period: tuple[Token, date | None, date | None] | None = None
    count: Token | None = None
    interval: Token | None = None
    times: list[TimeSlot] = field(default_factory=list)
    excluded: DaySet = field(default_factory=DaySet)
    closed_lists: list[ItemList] = field(default_factory=list)
    includes_holidays: bool = False
    shift: ShiftValue | None = None
    closure: str = ""
    closed_label: str = ""
    rejected: list[tuple[int, int]] = field(default_factory=list)
    checked: list[tuple[PartialDate, date | None]] = field(default_factory=list)


def _exclusion_of(items: ItemList, reference: date, parts: _RuleParts) -> DaySet:
    annual = list(items.annual)
    dates: set[date] = set()
    ranges: list[tuple[date, date]] = []
    for partial in items.dates:
        if partial.year is None:
            annual.append(AnnualRange(partial.month_day, partial.month_day))
        elif (day := partial.on_year(partial.year)) is not None:
            dates.add(day)
            parts.checked.append((partial, day))
    for first, last in items.date_ranges:
        if first.year is None and last.year is None:
            annual.append(AnnualRange(first.month_day, last.month_day))
            continue
        resolved = _resolve_range(first, last, reference)
        if resolved[0] and resolved[1]:
            ranges.append((resolved[0], resolved[1]))
    return DaySet(
        weekdays=frozenset((day, EVERY_WEEK) for day in items.weekdays),
        holidays=items.holidays,
        annual=tuple(annual),
        dates=frozenset(dates),
        date_ranges=tuple(ranges),
    )


def _positive_days(value: DaysValue, reference: date, parts: _RuleParts) -> DaySet:
    dates: list[date] = []
    for partial in value.dates:
        day = _nearest(partial, reference) if not dates else _after(partial, dates[-1])
        if day is not None:
            dates.append(day)
            parts.checked.append((partial, day))
    return DaySet(
        weekdays=value.weekdays,
        holidays=value.holidays,
        month_days=value.month_days,
        annual=value.annual,
        dates=frozenset(dates),
    )


def _after(partial: PartialDate, previous: date) -> date | None:
    if partial.year is not None:
        return partial.on_year(partial.year)
    day = partial.on_year(previous.year)
    if day is not None and day < previous:
        day = partial.on_year(previous.year + 1)
    return day


def _gather(group: _Group, reference: date) -> _RuleParts:
    parts = _RuleParts()
    for token in group.tokens:
        value = token.value
        if isinstance(value, DaysValue):
            parts.has_days = True
            parts.days = parts.days.union(_positive_days(value, reference, parts))
            parts.interval_weeks = max(parts.interval_weeks, value.interval_weeks)
            parts.excludes_holidays |= value.excludes_holidays
        elif isinstance(value, MonthsValue):
            parts.months = value.months if parts.months is None else parts.months & value.months
        elif isinstance(value, RangeValue):
            _gather_period(parts, token, value, reference)
        elif isinstance(value, CountValue | IntervalValue):
            _gather_once(parts, token)
        elif isinstance(value, TimesValue):
            parts.times.extend(value.slots)
        elif isinstance(value, ListValue):
            _gather_list(parts, value, reference)
        elif isinstance(value, IncludeValue):
            parts.includes_holidays = True
        elif isinstance(value, ShiftValue):
            _gather_shift(parts, token, value)
        elif isinstance(value, ClosureValue):
            parts.closure = parts.closure or value.label
        elif isinstance(value, UnreadValue):
            parts.rejected.append((token.start, token.end))
        else:
            assert isinstance(value, LabelValue)  # noqa: S101 - exhaustive over TokenValue
    return parts


def _gather_period(parts: _RuleParts, token: Token, value: RangeValue, reference: date) -> None:
    first, last = _resolve_range(value.start, value.end, reference)
    if parts.period is not None:
        # 開始日: … 終了日: … complete each other; a second, different period is reported.
        _, known_first, known_last = parts.period
        if (first and known_first and first != known_first) or (
            last and known_last and last != known_last
        ):
            parts.rejected.append((token.start, token.end))
            return
        first, last = known_first or first, known_last or last
    if first is not None and last is not None and last < first:
        parts.rejected.append((token.start, token.end))
        return
    parts.period = (token, first, last)
    for partial, day in ((value.start, first), (value.end, last)):
        if partial is not None:
            parts.checked.append((partial, day))


def _gather_once(parts: _RuleParts, token: Token) -> None:
    slot = "count" if isinstance(token.value, CountValue) else "interval"
    if getattr(parts, slot) is not None:
        parts.rejected.append((token.start, token.end))
    else:
        setattr(parts, slot, token)


def _gather_list(parts: _RuleParts, value: ListValue, reference: date) -> None:
    parts.excluded_months |= value.items.months
    if value.closed:
        parts.closed_lists.append(value.items)
        parts.closed_label = parts.closed_label or value.label
    else:
        parts.excluded = parts.excluded.union(_exclusion_of(value.items, reference, parts))


def _gather_shift(parts: _RuleParts, token: Token, value: ShiftValue) -> None:
    if parts.shift is not None and parts.shift != value:
        parts.rejected.append((token.start, token.end))
    else:
        parts.shift = value


def _rules_of(group: _Group, reference: date) -> tuple[list[Rule], list[tuple[int, int]]]:
    parts = _gather(group, reference)
    if not parts.has_days and parts.closed_lists and not parts.times and not parts.period:
        return _closures_of(parts, reference), parts.rejected
    for items in parts.closed_lists:
        parts.excluded = parts.excluded.union(_exclusion_of(items, reference, parts))
    days = parts.days if parts.has_days else _implied_days(parts, group)
    if not parts.has_days and days.dates:
        parts.period = None  # the period was that one day (開始日 alone, or 開始日 = 終了日)
    _drop_period_leaving_out(days, parts)
    excluded = parts.excluded
    if parts.excludes_holidays:
        excluded = excluded.union(DaySet(holidays=True))
    rule = Rule(
        days=days,
        months=_months_of(parts),
        times=tuple(parts.times),
        excluded=excluded,
        holidays_included=parts.includes_holidays,
        holiday_shift=parts.shift.shift if parts.shift else None,
        is_closure=bool(parts.closure),
        closure_label=parts.closure,
    )
    rule = _with_interval(rule, parts, reference)
    rule = _with_period_and_count(rule, parts, reference)
    return [rule], parts.rejected + _mismatched_weekdays(parts)


def _months_of(parts: _RuleParts) -> frozenset[int] | None:
    """The months the rule keeps: those named (奇数月) less those excluded (8月を除く)."""
    if not parts.excluded_months:
        return parts.months
    named = parts.months if parts.months is not None else frozenset(range(1, 13))
    return named - parts.excluded_months


def _drop_period_leaving_out(days: DaySet, parts: _RuleParts) -> None:
    """A period that leaves out the very dates the rule names is reported, not applied."""
    if parts.period is None or not days.dates:
        return
    token, first, last = parts.period
    if any((first and day < first) or (last and day > last) for day in days.dates):
        parts.rejected.append((token.start, token.end))
        parts.period = None


def _implied_days(parts: _RuleParts, group: _Group) -> DaySet:
    """The days of a rule that names none.

    Every day but the excluded ones when weekdays or holidays are excluded
    (``午前8時30分から午後5時15分(土日祝日除く)``) or a time is given (``9時~17時(8月を除く)``;
    ``毎年3月を除いて開催`` alone says nothing of the days); every day
    of a period with both ends (``令和4年1月11日から2月1日まで``); the first day of a period
    with a start only (``開始日: 2022/2/11``: an event starting then, not every day from
    then on) or of one day long; nothing for a period with an end only (``3月25日まで``).
    """
    excludes_weekdays = bool(parts.excluded.weekdays or parts.excluded.holidays)
    excludes_anything = bool(parts.excluded or parts.excluded_months)
    every_day = excludes_weekdays or (excludes_anything and bool(parts.times))
    every_day |= group.implies_every_day and bool(parts.times)
    if parts.period is not None:
        _, first, last = parts.period
        if first is not None and (last is None or last == first) and not every_day:
            return DaySet(dates=frozenset({first}))
        every_day |= first is not None and last is not None
    if not every_day:
        return DaySet()
    remaining = _ALL_WEEKDAYS - parts.excluded.every_week
    return DaySet(weekdays=frozenset((day, EVERY_WEEK) for day in remaining))


def _closures_of(parts: _RuleParts, reference: date) -> list[Rule]:
    rules: list[Rule] = []
    label = parts.closure or parts.closed_label or "休み"
    for items in parts.closed_lists:
        days = _exclusion_of(items, reference, parts)
        if days:
            rules.append(Rule(days=days, is_closure=True, closure_label=label))
        if items.months:
            every_day = frozenset((day, EVERY_WEEK) for day in range(7))
            rules.append(
                Rule(
                    days=DaySet(weekdays=every_day),
                    months=frozenset(items.months),
                    is_closure=True,
                    closure_label=label,
                )
            )
    return rules


def _with_interval(rule: Rule, parts: _RuleParts, reference: date) -> Rule:
    every = parts.interval_weeks
    weekly = bool(rule.days.every_week)
    monthly = bool(rule.days.nth or rule.days.month_days)
    if parts.interval is not None:
        value = parts.interval.value
        assert isinstance(value, IntervalValue)  # noqa: S101 - set by _gather_once
        fits = (value.unit == "week" and weekly) or (value.unit == "month" and monthly)
        if not fits or (weekly and monthly) or every > 1:
            parts.rejected.append((parts.interval.start, parts.interval.end))
        else:
            every = value.every
    if every == 1:
        return rule
    start = parts.period[1] if parts.period and parts.period[1] else reference
    probe = replace(rule, interval=1, start_on=start, excluded=DaySet(), holiday_shift=None)
    found = sorted(probe.raw_dates(start, start + timedelta(days=400)))
    anchor = found[0] if found else start
    return replace(rule, interval=every, anchor=anchor, anchor_inferred=parts.period is None)


def _with_period_and_count(rule: Rule, parts: _RuleParts, reference: date) -> Rule:
    if parts.period is not None:
        rule = replace(rule, start_on=parts.period[1], end_on=parts.period[2])
    if parts.count is None:
        return rule
    value = parts.count.value
    assert isinstance(value, CountValue)  # noqa: S101 - set by _gather_once
    rule = replace(rule, start_on=rule.start_on or reference)
    if rule.end_on is not None:
        in_period = rule.dates_between(rule.start_on or reference, rule.end_on)
        if len(in_period) != value.count:
            # 全10回 that does not match the period is reported, never silently cut.
            parts.rejected.append((parts.count.start, parts.count.end))
            return rule
    return replace(rule, count=value.count)


def _mismatched_weekdays(parts: _RuleParts) -> list[tuple[int, int]]:
    return [
        partial.weekday_span
        for partial, day in parts.checked
        if partial.weekday is not None
        and partial.weekday_span is not None
        and (day is None or day.weekday() != partial.weekday)
    ]


def _heading_closure(group: _Group) -> str:
    """The closure word written before the group's days (``休館日：毎週月曜日、年末年始``):
    it heads the following rules too. A word after the days (``第3木曜日 点検日``) does not."""
    days = [token.start for token in group.tokens if isinstance(token.value, DaysValue)]
    for token in group.tokens:
        if isinstance(token.value, ClosureValue) and days and token.start < min(days):
            return token.value.label
    return ""


def build_rules(
    text: str, tokens: list[Token], reference: date
) -> tuple[list[Rule], list[tuple[int, int]], list[tuple[int, int]]]:
    """Make the rules of a tokenized phrase.

    Also return the spans not understood: leftover text that is more than glue, and words
    that were read but could not be used (a second period, a 全10回 that does not match its
    period, a weekday that does not match its date).
    """
    layout = _Layout(text, tokens, leftover_fragments(text, tokens))
    rules: list[Rule] = []
    leftovers = [(first, last) for first, last in layout.fragments if not is_glue(text[first:last])]
    not_used: list[tuple[int, int]] = []
    heading = ""
    for group in _group_tokens(layout):
        if any(isinstance(token.value, LabelValue) for token in group.tokens):
            heading = ""
        made, rejected = _rules_of(group, reference)
        source = text[group.start : group.end]
        for rule in made:
            closure = rule.closure_label or heading
            rules.append(
                replace(rule, text=source, is_closure=bool(closure), closure_label=closure)
            )
        heading = _heading_closure(group) or heading
        not_used.extend(rejected)
    return rules, leftovers, not_used
