"""Recurring schedules written in Japanese (毎月第2、第4水曜日 13:15～15:45).

``parse_schedule(text, reference=...)`` returns a :class:`Schedule`:

- ``reading``: the system's reading, restated in plain Japanese for staff (always Japanese,
  like the phrase itself; no gettext);
- ``gif_code``: the code of GIF 1015-1 §1.3 (``24We``, ``0Fr``, ``6Fr``, ``7Su``) or None;
- ``rrule`` / ``rrule_between(start, end)``: RFC 5545 DTSTART/RRULE/RDATE/EXDATE lines;
- ``occurrences(start, end)``: ``Occurrence(date, start_time, end_time)``, sorted;
- ``closed_dates(start, end)``: days closed by 休館日/休み/点検日 rules;
- ``rules``: the rules read, each with ``is_closure``, ``times``, ``excluded``…;
- ``unparsed``: the parts not understood, verbatim; ``is_complete`` when there are none.

``to_json(schedule, start, end)`` gives the ``manage.py schedule --json`` object.

Never a silent misreading: what is interpreted is interpreted fully, and everything else
(prose around the schedule, a 全10回 that does not match its period, a weekday written after
a date that does not match it) is reported in ``unparsed`` for the caller to decide.

Decisions (see the modules for details):

- Several time slots in one rule (``10時30分~11時30分・19時~20時``) give one occurrence per
  slot and day.
- 隔週 and 2か月に1回 count from the first date of the phrase's period or, when there is
  none, from the first matching day on or after the reference date; the reading says so.
- A schedule is a list of rules. Closure rules (休館日, 休み, 点検日) take their days out of
  the other rules; a phrase of closures alone yields the closed days as its occurrences.
- On a day several rules select, only the most specific apply: a single date, then a
  holiday named as such (日曜日・祝日 9:00~17:00 over 月曜日~土曜日 9:00~21:00), then an
  n-th weekday or a day of the month, then a weekly day.
- 祝日/休日 mean every public holiday of ``kyodo.japanese.holidays`` (振替休日 and 国民の
  休日 included); 年末年始 is 29 December to 3 January unless the phrase defines it.
- 午前0時 is 0:00; 午後0時, 午後12時 and 午前12時 are all 12:00 (午後12時 is noon in
  today's usage); an end not after its start is not understood.
- Dates without a year take the year that puts them (or their period) nearest to the
  reference date, preferring a year where the weekday written after the date matches.
- A rule that names no day implies every day only when it excludes weekdays or holidays
  (``午前8時30分から午後5時15分(土日祝日除く)``), has a time and an exclusion, or has a
  period with both ends; ``開始日: 2022/2/11`` alone is that day, not every day from it.
- Deadlines (``申込期限日: …``, ``…必着``) and ends of day (``午後5時まで``) are reported,
  never read as days or start times of the schedule.

Layout: ``normalize`` (folding with positions kept), ``lexicon`` (dates, times, lists),
``grammar`` (tokens), ``build`` (tokens → rules, leftovers), ``model`` (rules and their
expansion), ``rfc5545``, ``reading`` (Japanese reading, GIF code), ``phrase`` (the API).
"""

from __future__ import annotations

from .model import DaySet, HolidayShift, Occurrence, Rule, TimeSlot
from .phrase import Schedule, parse_schedule, to_json

__all__ = [
    "DaySet",
    "HolidayShift",
    "Occurrence",
    "Rule",
    "Schedule",
    "TimeSlot",
    "parse_schedule",
    "to_json",
]
