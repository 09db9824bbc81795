"""A parsed schedule phrase: its rules, occurrences, reading, codes and leftovers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .build import build_rules
from .grammar import tokenize
from .model import Occurrence, Rule
from .normalize import FoldedText, fold, trim_fragment
from .reading import gif_code, read_schedule
from .rfc5545 import render_rrule

__all__ = ["Schedule", "parse_schedule", "to_json"]

_TOKYO = ZoneInfo("Asia/Tokyo")
_RRULE_WINDOW = timedelta(days=365)


@dataclass(frozen=True)
class Schedule:
    """A schedule phrase as understood.

    ``rules`` are the rules read (see :class:`~kyodo.japanese.schedule.model.Rule`);
    ``unparsed`` the parts of the phrase not understood, verbatim, in order; ``reference``
    the date that settled what the phrase left open (years of dates, the start of 全8回,
    the first week of 隔週).
    """

    text: str
    rules: tuple[Rule, ...]
    unparsed: list[str]
    reference: date

    @property
    def is_complete(self) -> bool:
        """True when every part of the phrase was understood."""
        return not self.unparsed

    @property
    def is_closure(self) -> bool:
        """True when the phrase only names closed days (``休館日 年末年始``)."""
        selecting = [rule for rule in self.rules if rule.selects_days]
        return bool(selecting) and all(rule.is_closure for rule in selecting)

    @property
    def reading(self) -> str:
        """The system's reading in plain Japanese (``毎月 第2・第4 水曜日 13:15〜15:45``)."""
        return read_schedule(self)

    @property
    def gif_code(self) -> str | None:
        """The GIF 1015-1 §1.3 code (``24We``), or None when the code cannot express it."""
        return gif_code(self)

    @property
    def rrule(self) -> str | None:
        """RFC 5545 properties, exceptions listed for a year from the reference date."""
        return self.rrule_between(self.reference, self.reference + _RRULE_WINDOW)

    def rrule_between(self, start: date, end: date) -> str | None:
        """RFC 5545 properties, exceptions of open-ended rules listed from start to end."""
        return render_rrule(self, start, end)

    def dates_by_rule(self, start: date, end: date) -> list[tuple[Rule, dict[date, int]]]:
        """Each rule that yields occurrences, with its days from ``start`` to ``end``.

        Days of closure rules are taken out of the other rules. When several rules select
        the same day, only the most specific keep it (a holiday selected as such beats a
        weekday; 第2金曜日 beats 毎週金曜日). A phrase made only of closures yields the
        closed days.
        """
        selecting = [rule for rule in self.rules if rule.selects_days]
        closures = [rule for rule in selecting if rule.is_closure]
        opened = [rule for rule in selecting if not rule.is_closure]
        if not opened:
            return [(rule, rule.dates_between(start, end)) for rule in closures]
        closed = {day for rule in closures for day in rule.dates_between(start, end)}
        found = [
            (rule, {d: s for d, s in rule.dates_between(start, end).items() if d not in closed})
            for rule in opened
        ]
        best: dict[date, int] = {}
        for _, days in found:
            for day, specificity in days.items():
                best[day] = max(best.get(day, 0), specificity)
        return [(rule, {d: s for d, s in days.items() if s == best[d]}) for rule, days in found]

    def occurrences(self, start: date, end: date) -> list[Occurrence]:
        """The occurrences from ``start`` to ``end`` (both included), sorted.

        A rule with several time slots (``10時30分~11時30分・19時~20時``) gives one
        occurrence per slot and day.
        """
        if end < start:
            return []
        found: set[Occurrence] = set()
        for rule, days in self.dates_by_rule(start, end):
            for day in days:
                if not rule.times:
                    found.add(Occurrence(day, None, None))
                for slot in rule.times:
                    found.add(Occurrence(day, slot.start, slot.end))
        return sorted(found, key=lambda item: (item.date, item.start_time or datetime.min.time()))

    def closed_dates(self, start: date, end: date) -> list[date]:
        """The days closure rules (休館日, 点検日, 休み) close, from ``start`` to ``end``."""
        closures = [rule for rule in self.rules if rule.is_closure and rule.selects_days]
        return sorted({day for rule in closures for day in rule.dates_between(start, end)})


def _today() -> date:
    return datetime.now(_TOKYO).date()


def _unparsed(
    folded: FoldedText, leftovers: list[tuple[int, int]], not_used: list[tuple[int, int]]
) -> list[str]:
    """The original text of the spans not understood, adjacent spans joined.

    Leftover prose loses the punctuation and particle that tied it to the understood part
    (``…木曜日に南流山福祉会館で`` → ``南流山福祉会館で``); a word read but not used is
    reported exactly as written (``(金曜)``).
    """
    spans = sorted([(*span, False) for span in leftovers] + [(*span, True) for span in not_used])
    merged: list[list[int]] = []  # start, end, 1 when every part is a word read but not used
    for first, last, unused in spans:
        if merged and not folded.text[merged[-1][1] : first].strip():
            merged[-1][1] = max(merged[-1][1], last)
            merged[-1][2] = merged[-1][2] and int(unused)
        else:
            merged.append([first, last, int(unused)])
    found: list[str] = []
    for start, end, exact in merged:
        if not exact:
            start, end = trim_fragment(folded.text, start, end, after_understood=start > 0)
        piece = folded.original_span(start, end).strip()
        if piece:
            found.append(piece)
    return found


def parse_schedule(text: str, *, reference: date | None = None) -> Schedule:
    """Read a recurring schedule written in Japanese.

    ``reference`` (default: today in Japan) settles what the phrase leaves open: the year of
    dates written without one, the start of a count without a period, the first week of
    隔週 without a start date. The command line passes ``--from``.
    """
    reference = reference or _today()
    folded = fold(text)
    rules, leftovers, not_used = build_rules(folded.text, tokenize(folded.text), reference)
    if not any(rule.selects_days or rule.times for rule in rules):
        whole = text.strip()
        return Schedule(text, (), [whole] if whole else [], reference)
    return Schedule(text, tuple(rules), _unparsed(folded, leftovers, not_used), reference)


def to_json(schedule: Schedule, start: date, end: date) -> dict[str, Any]:
    """The command line's ``--json`` object for ``schedule`` from ``start`` to ``end``."""
    return {
        "reading": schedule.reading,
        "gif_code": schedule.gif_code,
        "rrule": schedule.rrule_between(start, end),
        "occurrences": [
            {
                "date": item.date.isoformat(),
                "start": item.start_time.strftime("%H:%M") if item.start_time else None,
                "end": item.end_time.strftime("%H:%M") if item.end_time else None,
            }
            for item in schedule.occurrences(start, end)
        ],
        "unparsed": list(schedule.unparsed),
    }
