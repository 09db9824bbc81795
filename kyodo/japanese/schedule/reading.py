"""The system's reading of a schedule, restated in plain Japanese, and its GIF 1015-1 code.

The reading is a Japanese restatement for staff, shown in Japanese whatever the interface
language (like the phrase it restates, it is data, not interface text), so it is written
here directly and nothing in it goes through gettext. It spells out what the system will do,
including what the phrase left implicit: the years taken for dates written without one,
the start of a count or of an interval (隔週) when the phrase gives none, the weekdays an
exclusion leaves (``土日祝日除く`` → ``毎週 月〜金曜日（祝日を除く）``), and which rule
wins when two select the same day.

GIF code (行政基本情報データ連携モデル 日付及び時刻 §1.3): weekdays ``Mo … Su`` each after
its week codes, ``0`` every week, ``1``–``5`` the n-th, ``6`` the last, ``7`` every other
week (``24We``, ``0Fr``, ``6Fr``, ``7Su``, ``14Tu4Th``). The code only says which weekdays
of which weeks, so it is given only when that is the whole day pattern: a month filter
(奇数月, 8月を除く), a day of the month (毎月15日), holidays as a day kind, a period of the
year (年末年始), single dates or an interval other than 隔週 make it None. Exceptions
(祝日を除く, 2月11日を除く), periods, counts and times are not part of the code; GIF puts them
in a remarks field (§7 特記事項).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import TYPE_CHECKING

from .model import EVERY_WEEK, LAST, YEAR_END, AnnualRange, DaySet, HolidayShift, Rule, TimeSlot

if TYPE_CHECKING:
    from .phrase import Schedule

__all__ = ["gif_code", "read_rule", "read_schedule"]

_WEEKDAYS = "月火水木金土日"
_GIF_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_ODD = frozenset(range(1, 13, 2))
_EVEN = frozenset(range(2, 13, 2))
_PRECEDENCE = (
    "（同じ日に複数の規則が当たる場合は、祝日・第n曜日・日付など、より限定された規則だけを適用）"
)


def _date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _clock(value: time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def _weekday_names(days: Iterable[int]) -> str:
    """``月・水・金曜日``, ``月〜金曜日``, ``土・日曜日``."""
    ordered = sorted(set(days))
    runs: list[list[int]] = []
    for day in ordered:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    names: list[str] = []
    for run in runs:
        if len(run) >= 3:
            names.append(f"{_WEEKDAYS[run[0]]}〜{_WEEKDAYS[run[-1]]}")
        else:
            names.extend(_WEEKDAYS[day] for day in run)
    return "・".join(names) + "曜日"


def _ordinal_names(ordinals: Iterable[int]) -> str:
    ordered = sorted(ordinals, key=lambda ordinal: ordinal % 7)
    return "・".join("最終" if ordinal == LAST else f"第{ordinal}" for ordinal in ordered)


def _months(months: frozenset[int]) -> str:
    if months == _ODD:
        return "奇数月（1・3・5・7・9・11月）の"
    if months == _EVEN:
        return "偶数月（2・4・6・8・10・12月）の"
    ordered = sorted(months)
    if len(ordered) >= 3 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}〜{ordered[-1]}月の"
    left_out = sorted(set(range(1, 13)) - months)
    if 0 < len(left_out) <= 4:
        return "・".join(str(month) for month in left_out) + "月を除く"
    return "・".join(str(month) for month in ordered) + "月の"


def _annual(period: AnnualRange) -> str:
    text = f"{period.start[0]}月{period.start[1]}日"
    if period.end != period.start:
        text += f"〜{period.end[0]}月{period.end[1]}日"
    return text + ("（年末年始）" if period == YEAR_END else "")


def _every(rule: Rule, unit: str) -> str:
    if rule.interval == 1:
        return "毎週" if unit == "week" else "毎月"
    if unit == "week":
        return "隔週" if rule.interval == 2 else f"{rule.interval}週ごとの"
    return "隔月" if rule.interval == 2 else f"{rule.interval}か月ごとの"


def _day_patterns(rule: Rule, *, every_month: bool) -> list[str]:
    days = rule.days
    found: list[str] = []
    weekly = sorted(days.every_week)
    if len(weekly) == 7 and rule.interval == 1:
        found.append("毎日")
    elif weekly:
        found.append(f"{_every(rule, 'week')} {_weekday_names(weekly)}")
    if days.holidays:
        if found:
            found[-1] += "・祝日"
        else:
            found.append("祝日")
    monthly = _every(rule, "month") if every_month or rule.interval > 1 else ""
    by_ordinals: dict[frozenset[int], list[int]] = {}
    for weekday in sorted({day for day, _ in days.nth}):
        ordinals = frozenset(ordinal for day, ordinal in days.nth if day == weekday)
        by_ordinals.setdefault(ordinals, []).append(weekday)
    for ordinals, weekdays in by_ordinals.items():
        found.append(f"{monthly} {_ordinal_names(ordinals)} {_weekday_names(weekdays)}".strip())
    if days.month_days:
        listed = sorted(days.month_days, key=lambda day: day % 32)
        names = "・".join("末日" if day == -1 else f"{day}日" for day in listed)
        found.append(f"{monthly} {names}".strip())
    found.extend(f"毎年 {_annual(period)}" for period in days.annual)
    if days.dates:
        found.append("・".join(_date(day) for day in sorted(days.dates)))
    return found


def _slot(slot: TimeSlot) -> str:
    if slot.end is None:
        return f"{_clock(slot.start)}から"
    text = f"{_clock(slot.start)}〜{_clock(slot.end)}"
    if slot.duration_minutes is not None:
        about = "約" if slot.approximate else ""
        text += f"（{about}{_duration(slot.duration_minutes)}）"
    return text


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}時間{rest}分間"
    return f"{hours}時間" if hours else f"{rest}分間"


def _exclusions(rule: Rule) -> str:
    excluded: DaySet = rule.excluded
    selected = {day for day, _ in rule.days.weekdays}
    names: list[str] = []
    weekdays = sorted(day for day, _ in excluded.weekdays if day in selected)
    if weekdays:
        names.append(_weekday_names(weekdays))
    if excluded.holidays:
        names.append("祝日・休日")
    names.extend(_date(day) for day in sorted(excluded.dates))
    names.extend(f"{_date(first)}〜{_date(last)}" for first, last in excluded.date_ranges)
    names.extend(_annual(period) for period in excluded.annual)
    return f"（{'、'.join(names)}を除く）" if names else ""


def _interval_note(rule: Rule) -> str:
    if rule.interval == 1 or rule.anchor is None:
        return ""
    unit = "週" if rule.days.every_week else "か月"
    if rule.anchor_inferred:
        return (
            f"（起点の記載がないため、基準日以降の最初の該当日 {_date(rule.anchor)} を起点に"
            f"{rule.interval}{unit}ごと）"
        )
    return f"（{_date(rule.anchor)} を起点に{rule.interval}{unit}ごと）"


def _shift(shift: HolidayShift) -> str:
    return f"（祝日・休日に当たる場合は{shift.value}）"


def read_rule(rule: Rule) -> str:
    """One rule in plain Japanese: ``毎月 第2・第4 水曜日 13:15〜15:45``."""
    parts: list[str] = []
    if rule.is_closure:
        parts.append(f"{rule.closure_label}：")
    patterns = _day_patterns(rule, every_month=rule.months not in (_ODD, _EVEN))
    if rule.start_on and rule.start_on == rule.end_on:
        parts.append(_date(rule.start_on))
        patterns = [pattern for pattern in patterns if pattern != "毎日"]
    elif rule.start_on and rule.end_on:
        parts.append(f"{_date(rule.start_on)}〜{_date(rule.end_on)}の")
    elif rule.end_on:
        parts.append(f"{_date(rule.end_on)}までの")
    elif rule.start_on and rule.count is None:
        parts.append(f"{_date(rule.start_on)}からの")
    parts.append(_months(rule.months) if rule.months is not None else "")
    parts.append("、".join(patterns) if patterns else "")
    parts.append("、".join(_slot(slot) for slot in rule.times))
    if not patterns and not rule.selects_days:
        parts.append("（日付・曜日の指定なし）")
    parts.append(_exclusions(rule))
    if rule.holidays_included:
        parts.append("（祝日を含む）")
    if rule.holiday_shift is not None:
        parts.append(_shift(rule.holiday_shift))
    parts.append(_interval_note(rule))
    if rule.count is not None:
        parts.append(_count(rule))
    return " ".join(part for part in parts if part).replace(" （", "（").replace("： ", "：")


def _count(rule: Rule) -> str:
    if not rule.series:
        return f"全{rule.count}回"
    first, last = min(rule.series), max(rule.series)
    if len(rule.series) < (rule.count or 0):
        return f"全{rule.count}回（10年以内に{len(rule.series)}回のみ該当）"
    return f"全{rule.count}回（{_date(first)}〜{_date(last)}）"


def _may_overlap(first: Rule, second: Rule) -> bool:
    if first.days.holidays or second.days.holidays:
        return True
    if first.days.month_days or second.days.month_days or first.days.annual:
        return True
    if first.days.dates or second.days.dates or second.days.annual:
        return True
    first_days = {day for day, _ in first.days.weekdays}
    return bool(first_days & {day for day, _ in second.days.weekdays})


def read_schedule(schedule: Schedule) -> str:
    """All rules, separated by `` / ``, and how overlapping rules are settled."""
    rules = [rule for rule in schedule.rules if rule.selects_days or rule.times]
    text = " / ".join(read_rule(rule) for rule in rules)
    opened = [rule for rule in rules if not rule.is_closure and rule.selects_days]
    overlapping = any(
        _may_overlap(first, second)
        for index, first in enumerate(opened)
        for second in opened[index + 1 :]
    )
    if overlapping:
        text += _PRECEDENCE
    labels = list(dict.fromkeys(rule.closure_label for rule in rules if rule.is_closure))
    if opened and labels:
        text += f"（{'・'.join(labels)}を除く）"
    return text


def gif_code(schedule: Schedule) -> str | None:
    """The GIF 1015-1 §1.3 code of the schedule's weekday pattern, or None."""
    selecting = [rule for rule in schedule.rules if rule.selects_days]
    rules = [rule for rule in selecting if not rule.is_closure] or selecting
    if not rules:
        return None
    codes: dict[int, set[int]] = {}
    for rule in rules:
        if not _expressible(rule):
            return None
        for day, ordinal in rule.days.weekdays:
            code = 6 if ordinal == LAST else ordinal
            if rule.interval == 2 and ordinal == EVERY_WEEK:
                code = 7
            codes.setdefault(day, set()).add(code)
    text = ""
    for day in sorted(codes):
        week_codes = {0} if 0 in codes[day] else codes[day]
        text += "".join(str(code) for code in sorted(week_codes)) + _GIF_DAYS[day]
    return text or None


def _expressible(rule: Rule) -> bool:
    days = rule.days
    if rule.months is not None or days.holidays or days.month_days or days.annual or days.dates:
        return False
    if not days.weekdays:
        return False
    if rule.interval == 1:
        return True
    return rule.interval == 2 and not days.nth
