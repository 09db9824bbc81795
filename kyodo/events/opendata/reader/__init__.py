"""Reading イベント一覧 open-data files into typed rows, whatever state they are in.

:func:`read_event_file` takes the bytes of a file and returns an :class:`EventFile`: its
encoding, layout and :class:`EventRow` objects, each with typed values and the
:class:`Problem` found in it. What makes the whole file unreadable (empty, binary, neither
UTF-8 nor Shift_JIS (CP932), not the イベント一覧 layout, a malformed record) raises
:class:`EventFileError` with a message for the person who chose the file. Nothing else
raises: a value that cannot be read becomes a problem of its row, and the raw text stays
in ``row.values``.

The parts, each with the decisions it implements in its docstring:

- ``results``: what reading gives (``EventFile``, ``EventRow``, ``Problem``) and
  ``EventFileError``;
- ``files``: the file as a whole: encodings, Excel workbooks, CSV records, the header;
- ``rows``: a row: required columns, dates, times and the 日時備考 remarks;
- ``values``: the other typed columns: 定員, 料金, position, web addresses, telephone,
  e-mail, postcode, local government code.
"""

from __future__ import annotations

from .files import MAX_FILE_BYTES, decode_event_file, is_xlsx, read_event_file, xlsx_as_csv
from .results import EventFile, EventFileError, EventRow, Problem, ProblemKind
from .rows import parse_time_text

__all__ = [
    "MAX_FILE_BYTES",
    "EventFile",
    "EventFileError",
    "EventRow",
    "Problem",
    "ProblemKind",
    "decode_event_file",
    "is_xlsx",
    "parse_time_text",
    "read_event_file",
    "xlsx_as_csv",
]
