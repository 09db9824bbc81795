"""An イベント一覧 file as a whole: its bytes as text, its CSV records, its header.

- Encodings: UTF-8 with or without BOM, UTF-16 with BOM, and CP932 (Shift_JIS with the
  Windows extensions, as Excel saves it), tried in that order. An Excel .xlsx workbook
  is read from its first sheet, as the same CSV. Line ends CRLF, LF or CR;
  quoted fields may hold line breaks.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, time

from django.utils.translation import gettext as _

from ..columns import HEADER, V1_HEADER, V1_IGNORED, canonical_column_name
from .results import EventFile, EventFileError, EventRow, ProblemKind
from .rows import _row

MAX_FILE_BYTES = 20 * 1024 * 1024
_MAX_FIELD_CHARS = 1_000_000


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
