"""Reading イベント一覧 open-data files into typed rows, whatever state they are in.

:func:`read_event_file` takes the bytes of a file and returns an :class:`EventFile`: its
encoding, layout and :class:`EventRow` objects, each with typed values and the
:class:`Problem` found in it. What makes the whole file unreadable (empty, binary, neither
UTF-8 nor Shift_JIS (CP932), not the イベント一覧 layout, a malformed record) raises
:class:`EventFileError` with a message for the person who chose the file. Nothing else
raises: a value that cannot be read becomes a problem of its row, and the raw text stays
in ``row.values``.

Decisions:

- Encodings: UTF-8 with or without BOM, UTF-16 with BOM, and CP932 (Shift_JIS with the
  Windows extensions, as Excel saves it), tried in that order. An Excel .xlsx workbook
  is read from its first sheet, as the same CSV. Line ends CRLF, LF or CR;
  quoted fields may hold line breaks.
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
- 料金(基本): an amount of yen (``500``, ``500円``, ``1,000``) or 無料 → ``fee_yen``;
  anything else is kept as text with a warning. Empty, 料金(詳細) is used when it is
  just as clear.
- Required columns left empty are warnings. A row is rejected only when it has no 名称,
  no day to hold it on (no date, no recurring schedule), an end date before its start,
  or a broken record (too few fields, an unterminated quote at the end of the file).
"""

from __future__ import annotations

import codecs
import csv
import enum
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.japanese import era
from kyodo.japanese.schedule import Schedule, TimeSlot, parse_schedule
from kyodo.japanese.text import comparison_key

from .columns import BY_NAME, HEADER, V1_HEADER, V1_IGNORED, canonical_column_name

__all__ = [
    "MAX_FILE_BYTES",
    "EventFile",
    "EventFileError",
    "EventRow",
    "Problem",
    "ProblemKind",
    "decode_event_file",
    "parse_time_text",
    "read_event_file",
]

MAX_FILE_BYTES = 20 * 1024 * 1024
_MAX_FIELD_CHARS = 1_000_000


class EventFileError(ValueError):
    """The file as a whole cannot be read; ``code`` says why, the message says it to people."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class ProblemKind(enum.StrEnum):
    MISSING_REQUIRED = "missing_required"
    INVALID_DATE = "invalid_date"
    INVALID_TIME = "invalid_time"
    END_BEFORE_START = "end_before_start"
    INVALID_NUMBER = "invalid_number"
    UNCLEAR_FEE = "unclear_fee"
    INVALID_COORDINATES = "invalid_coordinates"
    INVALID_URL = "invalid_url"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    INVALID_POSTCODE = "invalid_postcode"
    INVALID_CODE = "invalid_code"
    SCHEDULE_PARTLY_READ = "schedule_partly_read"
    NO_DATE = "no_date"
    BROKEN_RECORD = "broken_record"


@dataclass(frozen=True)
class Problem:
    """Something wrong in a row. ``column`` is empty for the row as a whole. A ``fatal``
    problem keeps the row out of the import; the others are reported and the value is
    left empty (or kept as text where the field is text)."""

    kind: ProblemKind
    message: str
    column: str = ""
    value: str = ""
    fatal: bool = False


@dataclass
class EventRow:
    """One data row of the file, typed. Text columns are stripped; dates, times, numbers
    are None when empty or unreadable (the raw text stays in ``values``)."""

    number: int  # 1 = the first row after the header
    line: int  # physical line of the file where the row starts
    values: dict[str, str]
    problems: list[Problem] = field(default_factory=list)

    start_on: date | None = None
    end_on: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    time_slots: tuple[TimeSlot, ...] = ()
    date_remarks: str = ""
    schedule: Schedule | None = None
    deadline_on: date | None = None
    deadline_time: time | None = None
    capacity: int | None = None
    fee_yen: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    url: str = ""
    image_url: str = ""
    postcode: str = ""
    local_government_code: str = ""
    contact_email: str = ""

    def text(self, column: str) -> str:
        return self.values.get(column, "")

    @property
    def title(self) -> str:
        return self.text("名称")

    @property
    def source_no(self) -> str:
        return self.text("NO")

    @property
    def address(self) -> str:
        """住所都道府県 … 住所丁目以下 joined, then 建物名等 after a space."""
        parts = ("住所都道府県", "住所市区町村", "住所町名", "住所丁目以下")
        street = "".join(self.text(column) for column in parts)
        building = self.text("建物名等")
        return f"{street} {building}".strip() if building else street

    @property
    def fee_text(self) -> str:
        """料金(詳細), preceded by 料金(基本) when that could not be read as yen."""
        basic, detail = self.text("料金(基本)"), self.text("料金(詳細)")
        if basic and self.fee_yen is None:
            return f"{basic}\n{detail}".strip()
        return detail

    @property
    def is_rejected(self) -> bool:
        return any(problem.fatal for problem in self.problems)

    @property
    def rejection_reasons(self) -> list[str]:
        return [problem.message for problem in self.problems if problem.fatal]

    @property
    def event_key(self) -> str:
        """A stable key of the event this row belongs to, for idempotent imports.

        With a NO: the publisher's code, NO and 名称 (publishers reuse a NO for the
        sessions of one event, and some reuse NOs across events). Without: 名称, 開始日,
        開始時刻 and 場所名称. Folded with ``comparison_key`` so width and spacing
        differences do not make a new event.
        """
        if self.source_no:
            parts = ["no", self.local_government_code, self.source_no, comparison_key(self.title)]
        else:
            parts = [
                "row",
                comparison_key(self.title),
                self.start_on.isoformat() if self.start_on else self.text("開始日"),
                self.start_time.strftime("%H:%M") if self.start_time else "",
                comparison_key(self.text("場所名称")),
            ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]

    def problem(
        self,
        kind: ProblemKind,
        message: str,
        *,
        column: str = "",
        value: str = "",
        fatal: bool = False,
    ) -> None:
        self.problems.append(Problem(kind, message, column, value, fatal))


@dataclass
class EventFile:
    encoding: str
    layout: str  # "v2" (50 columns) or "v1" (32 columns)
    header: list[str]
    rows: list[EventRow]
    warnings: list[str] = field(default_factory=list)


# --- Decoding ------------------------------------------------------------------------------


def decode_event_file(data: bytes) -> tuple[str, str]:
    """The text of the file and the encoding it was in; :class:`EventFileError` if it is
    not text in a supported encoding."""
    if len(data) > MAX_FILE_BYTES:
        raise EventFileError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 2**20},
            "too_large",
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _not_text() from None
    if b"\x00" in data:
        raise _not_text()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" and not data.startswith(codecs.BOM_UTF8):
            encoding = "utf-8"
        if _looks_binary(text):
            raise _not_text()
        return text, encoding
    raise EventFileError(
        _(
            "The file is neither UTF-8 nor Shift_JIS (CP932) text. Save it as CSV (UTF-8) "
            "and try again."
        ),
        "encoding",
    )


def _not_text() -> EventFileError:
    return EventFileError(
        _("The file is not a CSV text file. Choose the イベント一覧 CSV file."), "binary"
    )


def _looks_binary(text: str) -> bool:
    controls = sum(
        1
        for char in text
        if (unicodedata.category(char) in ("Cc", "Co", "Cs") and char not in "\t\r\n")
    )
    return controls > max(2, len(text) // 1000)


# --- Excel sheets --------------------------------------------------------------------------


def is_xlsx(data: bytes) -> bool:
    """An Excel .xlsx workbook (a zip file) rather than CSV text."""
    return data[:4] == b"PK\x03\x04"


def xlsx_as_csv(data: bytes) -> str:
    """The first sheet of an .xlsx workbook as CSV text, for the same reading as a CSV
    file: dates as ``YYYY-MM-DD``, times as ``HH:MM``, whole numbers without ``.0``, every
    row as wide as the header."""
    if len(data) > MAX_FILE_BYTES:
        raise EventFileError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 2**20},
            "too_large",
        )
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise EventFileError(
            _("Excel files cannot be read here; save the sheet as CSV (UTF-8) and try again."),
            "xlsx",
        ) from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged or encrypted workbook raises many kinds of error
        raise EventFileError(
            _("The Excel file could not be read. Save the sheet as CSV (UTF-8) and try again."),
            "xlsx",
        ) from None
    try:
        rows = [
            [_xlsx_cell(value) for value in row]
            for row in workbook.worksheets[0].iter_rows(values_only=True)
        ]
    finally:
        workbook.close()
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return ""
    width = max(len(rows[0]), 1)
    while width > 1 and not rows[0][width - 1].strip():
        width -= 1
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        cells = row[:width] + [""] * (width - len(row))
        if any(cell.strip() for cell in row[width:]):
            cells = row  # data beyond the header: the row is reported as broken
        writer.writerow(cells)
    return buffer.getvalue()


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- The header ----------------------------------------------------------------------------


def _layout_of(raw_header: list[str]) -> tuple[str, list[str | None], list[str]]:
    """The layout, the v2 column of each header cell (None: ignored), and warnings."""
    folded = [
        "".join(unicodedata.normalize("NFKC", cell).replace("\ufeff", "").split())
        for cell in raw_header
    ]
    is_v1 = "イベント名" in folded and "名称" not in folded
    expected = [canonical_column_name(name) for name in V1_HEADER if name not in V1_IGNORED]
    if not is_v1:
        expected = list(HEADER)
    names: list[str | None] = []
    unknown: list[str] = []
    seen: set[str] = set()
    for cell, fold in zip(raw_header, folded, strict=True):
        if is_v1 and fold in V1_IGNORED:
            names.append(None)
            continue
        name = canonical_column_name(cell)
        if name in seen:
            raise EventFileError(
                _("The column “%(column)s” appears twice in the header.") % {"column": name},
                "duplicate_column",
            )
        if name in expected:
            seen.add(name)
            names.append(name)
        else:
            names.append(None)
            if fold:
                unknown.append(cell)
    missing = [name for name in expected if name not in seen]
    if missing:
        if len(missing) == len(expected):
            raise EventFileError(
                _(
                    "The first line is not the header of an イベント一覧 file (it should "
                    "start with NO, 都道府県コード又は市区町村コード, 名称…)."
                ),
                "not_event_list",
            )
        raise EventFileError(
            _("The file lacks these columns of the イベント一覧 layout: %(columns)s.")
            % {"columns": "、".join(missing)},
            "missing_columns",
        )
    warnings = []
    if unknown:
        warnings.append(
            _("These columns are not part of the layout and were ignored: %(columns)s.")
            % {"columns": "、".join(unknown)}
        )
    return ("v1" if is_v1 else "v2"), names, warnings


# --- The file ------------------------------------------------------------------------------


def read_event_file(data: bytes, *, reference: date | None = None) -> EventFile:
    """Read an イベント一覧 file. ``reference`` settles what free-text schedules leave open
    (the year of 1月11日 when the row has no date); default: today."""
    if is_xlsx(data):
        text, encoding = xlsx_as_csv(data), "xlsx"
    else:
        text, encoding = decode_event_file(data)
    if not text.strip():
        raise EventFileError(_("The file is empty."), "empty")
    records = _records(text)
    try:
        _line, (_end, raw_header) = next(records)
    except StopIteration:
        raise EventFileError(_("The file is empty."), "empty") from None
    layout, names, warnings = _layout_of(raw_header)
    rows: list[EventRow] = []
    unbalanced = text.count('"') % 2 == 1
    for number, (line, (_end, cells)) in enumerate(records, start=1):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, or a row of empty cells that Excel leaves
        rows.append(_row(number, line, cells, names, reference))
    if unbalanced and rows:
        rows[-1].problem(
            ProblemKind.BROKEN_RECORD,
            _("This row ends inside a quoted field: the file may be cut short."),
            fatal=True,
        )
    return EventFile(encoding, layout, raw_header, rows, warnings)


def _records(text: str) -> Iterator[tuple[int, tuple[int, list[str]]]]:
    """(line where the record starts, (line where it ends, cells)) for each record."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    old_limit = csv.field_size_limit(_MAX_FIELD_CHARS)
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise EventFileError(
                    _("The file is not well-formed CSV near line %(line)s (%(error)s).")
                    % {"line": reader.line_num, "error": error},
                    "malformed",
                ) from None
            yield start, (reader.line_num, cells)
            start = reader.line_num + 1
    finally:
        csv.field_size_limit(old_limit)


# --- A row ---------------------------------------------------------------------------------


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


_CAPACITY = re.compile(r"(?:定員|先着|募集)?\s*(\d+)\s*(?:名|人|組|席|人程度|名程度|程度)?")


def _capacity(row: EventRow) -> int | None:
    text = row.text("定員")
    if not text:
        return None
    match = _CAPACITY.fullmatch(unicodedata.normalize("NFKC", text).replace(",", ""))
    if match is None or int(match[1]) <= 0:
        row.problem(
            ProblemKind.INVALID_NUMBER,
            _("定員: “%(value)s” is not a number of people above zero.") % {"value": text},
            column="定員",
            value=text,
        )
        return None
    return int(match[1])


_FREE = frozenset({"無料", "無償", "なし", "不要", "0円", "参加無料", "入場無料", "free"})
_YEN = re.compile(r"[¥￥]?\s*(\d+)\s*(?:円)?")


def _yen(text: str) -> int | None:
    folded = unicodedata.normalize("NFKC", text).replace(",", "").strip().casefold()
    if folded in _FREE:
        return 0
    if match := _YEN.fullmatch(folded):
        return int(match[1])
    return None


def _fee(row: EventRow) -> int | None:
    basic = row.text("料金(基本)")
    if basic:
        value = _yen(basic)
        if value is None:
            row.problem(
                ProblemKind.UNCLEAR_FEE,
                _("料金(基本): “%(value)s” is not an amount of yen; it is kept as text.")
                % {"value": basic},
                column="料金(基本)",
                value=basic,
            )
        return value
    detail = row.text("料金(詳細)")
    return _yen(detail) if detail else None


def _coordinates(row: EventRow) -> tuple[Decimal | None, Decimal | None]:
    latitude, longitude = row.text("緯度"), row.text("経度")
    if not latitude and not longitude:
        return None, None
    try:
        lat = Decimal(unicodedata.normalize("NFKC", latitude))
        lon = Decimal(unicodedata.normalize("NFKC", longitude))
        valid = lat.is_finite() and lon.is_finite() and -90 <= lat <= 90 and -180 <= lon <= 180
    except InvalidOperation:
        valid = False
    if not valid:
        row.problem(
            ProblemKind.INVALID_COORDINATES,
            _("緯度・経度: “%(latitude)s, %(longitude)s” is not a position on the Earth.")
            % {"latitude": latitude, "longitude": longitude},
            column="緯度",
            value=f"{latitude},{longitude}",
        )
        return None, None
    return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))


_URL_VALIDATOR = URLValidator(schemes=["http", "https"])


def _url(row: EventRow, column: str) -> str:
    text = row.text(column)
    if not text:
        return ""
    try:
        _URL_VALIDATOR(text)
    except ValidationError:
        row.problem(
            ProblemKind.INVALID_URL,
            _("%(column)s: “%(value)s” is not a web address.") % {"column": column, "value": text},
            column=column,
            value=text,
        )
        return ""
    return text


_PHONE_CHARS = re.compile(r"[\d\s()\-+]+")
_PHONE_SEPARATOR = re.compile(r"\s*[/、,・]\s*|\s+または\s+")


def _check_phone(row: EventRow) -> None:
    text = row.text("連絡先電話番号")
    if not text:
        return
    folded = unicodedata.normalize("NFKC", text).replace("()", "")
    numbers = [re.sub(r"\D", "", part) for part in _PHONE_SEPARATOR.split(folded)]
    if _PHONE_CHARS.fullmatch(_PHONE_SEPARATOR.sub("", folded)) is None or not all(
        10 <= len(digits) <= 11 for digits in numbers
    ):
        row.problem(
            ProblemKind.INVALID_PHONE,
            _("連絡先電話番号: “%(value)s” is not a telephone number; it is kept as text.")
            % {"value": text},
            column="連絡先電話番号",
            value=text,
        )


def _email(row: EventRow) -> str:
    text = row.text("連絡先メールアドレス")
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        row.problem(
            ProblemKind.INVALID_EMAIL,
            _("連絡先メールアドレス: “%(value)s” is not an e-mail address.") % {"value": text},
            column="連絡先メールアドレス",
            value=text,
        )
        return ""
    return text


def _postcode(row: EventRow) -> str:
    text = row.text("郵便番号")
    if not text:
        return ""
    digits = unicodedata.normalize("NFKC", text).lstrip("〒 ").replace("-", "")
    if not re.fullmatch(r"\d{7}", digits):
        row.problem(
            ProblemKind.INVALID_POSTCODE,
            _("郵便番号: “%(value)s” is not a seven-digit postcode.") % {"value": text},
            column="郵便番号",
            value=text,
        )
        return ""
    return f"{digits[:3]}-{digits[3:]}"


def _code(row: EventRow) -> str:
    column = "都道府県コード又は市区町村コード"
    text = unicodedata.normalize("NFKC", row.text(column))
    if not text:
        return ""
    if not re.fullmatch(r"\d{5,6}", text):
        row.problem(
            ProblemKind.INVALID_CODE,
            _("%(column)s: “%(value)s” is not a local government code.")
            % {"column": column, "value": text},
            column=column,
            value=text,
        )
        return ""
    return text
