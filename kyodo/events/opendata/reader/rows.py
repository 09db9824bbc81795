"""A row of an イベント一覧 file: its cells as values, the required columns, the dates,
times and 日時備考 remarks; the other columns are typed by :mod:`.values`.

- Dates: ``2022-01-11`` as GIF 1015-1 asks, and every spelling ``kyodo.japanese.era``
  reads (``2022/1/11``, ``2022年1月11日``, ``令和4年1月11日``, ``R4.1.11``), with a
  weekday in brackets or a midnight time after it (Excel) tolerated.
- Times: ``HH:MM`` and free text the schedule parser reads as one time of day
  (``午後1時30分``, ``13時半``, ``10:00～``, ``正午``); a range in 開始時刻 also gives
  終了時刻 when that is empty.
- 日時備考: the ``開始日: 2022/2/5`` lines some CMSs add fill the matching empty columns and
  are taken out; the rest is kept verbatim as remarks. When the event spans several days
  (or has no date) and the remarks name recurring days (``毎週水曜日``), the
  :class:`~kyodo.japanese.schedule.Schedule` is kept as ``row.schedule``; when the time
  columns are empty and the remarks are only times (``14時30分~16時・19時~20時30分``),
  they give the time slots. Remarks the parser reads only in part are used only for
  recurring days, with a warning naming the part not understood.
- Required columns left empty are warnings. A row is rejected only when it has no 名称,
  no day to hold it on (no date, no recurring schedule), an end date before its start,
  or a broken record (too few fields, an unterminated quote at the end of the file).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time

from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.japanese import era
from kyodo.japanese.schedule import TimeSlot, parse_schedule

from ..columns import BY_NAME
from .results import EventRow, ProblemKind
from .values import (
    _capacity,
    _check_phone,
    _code,
    _coordinates,
    _email,
    _fee,
    _postcode,
    _url,
)


def _row(
    number: int,
    line: int,
    cells: list[str],
    names: list[str | None],
    reference: date | None,
) -> EventRow:
    values = {name: "" for name in names if name is not None}
    for name, cell in zip(names, cells, strict=False):
        if name is not None:
            values[name] = cell.replace("\r\n", "\n").replace("\r", "\n").strip()
    row = EventRow(number=number, line=line, values=values)
    if len(cells) < len(names):
        row.problem(
            ProblemKind.BROKEN_RECORD,
            _("This row has %(found)s fields where the header has %(expected)s.")
            % {"found": len(cells), "expected": len(names)},
            fatal=True,
        )
        return row
    if any(cell.strip() for cell in cells[len(names) :]):
        row.problem(
            ProblemKind.BROKEN_RECORD,
            _("This row has %(found)s fields where the header has %(expected)s.")
            % {"found": len(cells), "expected": len(names)},
            fatal=True,
        )
        return row
    _type_row(row, reference)
    return row


def _type_row(row: EventRow, reference: date | None) -> None:
    _take_labelled_remarks(row)
    if not row.title:
        row.problem(
            ProblemKind.MISSING_REQUIRED,
            _("The event has no name (名称)."),
            column="名称",
            fatal=True,
        )
    for column in BY_NAME.values():
        if column.name == "場所名称" and row.text("集合場所"):
            continue  # many publishers put the venue in 集合場所
        if column.required and column.name != "名称" and not row.text(column.name):
            row.problem(
                ProblemKind.MISSING_REQUIRED,
                _("The required column %(column)s is empty.") % {"column": column.name},
                column=column.name,
            )
    row.start_on = _date(row, "開始日")
    row.end_on = _date(row, "終了日")
    row.deadline_on = _date(row, "申込期限日")
    if row.start_on and row.end_on and row.end_on < row.start_on:
        row.problem(
            ProblemKind.END_BEFORE_START,
            _("The end date %(end)s is before the start date %(start)s.")
            % {"end": row.end_on.isoformat(), "start": row.start_on.isoformat()},
            column="終了日",
            value=row.text("終了日"),
            fatal=True,
        )
    day = row.start_on or reference
    start = _time(row, "開始時刻", day)
    end = _time(row, "終了時刻", day)
    row.start_time = start[0] if start else None
    row.end_time = (end[0] if end else None) or (start[1] if start else None)
    deadline = _time(row, "申込期限時刻", day)
    row.deadline_time = deadline[0] if deadline else None
    if (
        row.start_time
        and row.end_time
        and row.end_time <= row.start_time
        and (row.end_on is None or row.end_on == row.start_on)
    ):
        row.problem(
            ProblemKind.INVALID_TIME,
            _("The end time %(end)s is not after the start time %(start)s.")
            % {"end": row.end_time.strftime("%H:%M"), "start": row.start_time.strftime("%H:%M")},
            column="終了時刻",
            value=row.text("終了時刻"),
        )
        row.end_time = None
    _read_remarks(row, reference)
    if row.start_on is None and row.schedule is None and not row.is_rejected:
        row.problem(
            ProblemKind.NO_DATE,
            _("The row gives no date: neither 開始日 nor recurring days in 日時備考."),
            column="開始日",
            value=row.text("開始日"),
            fatal=True,
        )
    row.capacity = _capacity(row)
    row.fee_yen = _fee(row)
    row.latitude, row.longitude = _coordinates(row)
    row.url = _url(row, "URL")
    row.image_url = _url(row, "画像URL")
    row.postcode = _postcode(row)
    row.local_government_code = _code(row)
    _check_phone(row)
    row.contact_email = _email(row)


_LABELLED_LINE = re.compile(r"^[ \t\u3000]*(開始日|終了日|開始時刻|終了時刻)[ \t\u3000]*[:：](.*)$")


def _take_labelled_remarks(row: EventRow) -> None:
    """Move ``開始日: 2022/2/5`` lines of 日時備考 into the empty columns they name."""
    kept: list[str] = []
    for line in row.text("日時備考").split("\n"):
        match = _LABELLED_LINE.match(line)
        if match is None:
            if line.strip(" \t\u3000"):
                kept.append(line.strip(" \t\u3000"))
            continue
        column, value = match[1], match[2].strip(" \t\u3000")
        if value and not row.values.get(column):
            row.values[column] = value
    row.date_remarks = "\n".join(kept)


_TRAILING_WEEKDAY = re.compile(r"\s*[(（][月火水木金土日](?:曜日?)?(?:・?祝)?[)）]\s*$")
_TRAILING_MIDNIGHT = re.compile(r"[ T]0?0:00(?::00)?$")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _date(row: EventRow, column: str) -> date | None:
    text = row.text(column)
    if not text:
        return None
    folded = unicodedata.normalize("NFKC", text)
    folded = _TRAILING_MIDNIGHT.sub("", _TRAILING_WEEKDAY.sub("", folded)).strip()
    try:
        if match := _COMPACT_DATE.fullmatch(folded):
            return date(int(match[1]), int(match[2]), int(match[3]))
        return era.parse_date(folded)
    except ValueError as error:
        if isinstance(error, era.WarekiError) and error.code == "invalid":
            message = _("%(column)s: “%(value)s” is not a date (write it as YYYY-MM-DD).")
        else:
            message = _("%(column)s: %(value)s does not exist in the calendar.")
        row.problem(
            ProblemKind.INVALID_DATE,
            message % {"column": column, "value": text},
            column=column,
            value=text,
        )
        return None


_HH_MM = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_time_text(text: str, *, reference: date | None = None) -> tuple[time, time | None]:
    """Read a time of day written as ``13:30``, ``13:30:00``, ``午後1時30分``, ``13時半``,
    ``10:00～`` or ``10:00～12:00`` (start and end). ValueError when it is anything else,
    including several times or days."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if match := _HH_MM.fullmatch(folded):
        return time(int(match[1]), int(match[2]), int(match[3] or 0)), None
    schedule = parse_schedule(folded, reference=reference or date(2000, 1, 1))
    slots = [slot for rule in schedule.rules for slot in rule.times]
    if (
        schedule.unparsed
        or len(slots) != 1
        or any(rule.selects_days for rule in schedule.rules)
        or slots[0].duration_minutes
    ):
        raise ValueError(text)
    return slots[0].start, slots[0].end


def _time(row: EventRow, column: str, day: date | None) -> tuple[time, time | None] | None:
    text = row.text(column)
    if not text:
        return None
    try:
        return parse_time_text(text, reference=day)
    except ValueError:
        row.problem(
            ProblemKind.INVALID_TIME,
            _("%(column)s: “%(value)s” is not a time of day (write it as HH:MM).")
            % {"column": column, "value": text},
            column=column,
            value=text,
        )
        return None


def _read_remarks(row: EventRow, reference: date | None) -> None:
    """Recurring days and time slots from 日時備考 (see the module docstring)."""
    remarks = row.date_remarks
    if not remarks:
        if row.start_time:
            row.time_slots = (TimeSlot(row.start_time, row.end_time),)
        return
    schedule = parse_schedule(remarks, reference=row.start_on or reference or timezone.localdate())
    day_rules = [rule for rule in schedule.rules if rule.selects_days and not rule.is_closure]
    spans_days = row.start_on is None or row.end_on is None or row.end_on > row.start_on
    if day_rules and spans_days and not row.is_rejected:
        first = row.start_on or schedule.reference
        last = row.end_on or first.replace(year=first.year + 1)
        if schedule.occurrences(first, last):
            row.schedule = schedule
            if schedule.unparsed:
                row.problem(
                    ProblemKind.SCHEDULE_PARTLY_READ,
                    _("日時備考 was read as “%(reading)s”; not understood: %(unparsed)s.")
                    % {"reading": schedule.reading, "unparsed": "、".join(schedule.unparsed)},
                    column="日時備考",
                    value=remarks,
                )
    slots = tuple(slot for rule in schedule.rules for slot in rule.times)
    if (
        not day_rules
        and not schedule.unparsed
        and slots
        and all(slot.duration_minutes is None for slot in slots)
        and (row.start_time is None or row.start_time == slots[0].start)
    ):
        row.time_slots = slots
        row.start_time = slots[0].start
        if row.end_time is None and len(slots) == 1:
            row.end_time = slots[0].end
    elif row.start_time:
        row.time_slots = (TimeSlot(row.start_time, row.end_time),)
