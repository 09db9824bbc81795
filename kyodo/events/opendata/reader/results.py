"""What reading an イベント一覧 file gives: an :class:`EventFile` of :class:`EventRow`
objects with the :class:`Problem` found in each; :class:`EventFileError` when the file as
a whole cannot be read.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from kyodo.japanese.schedule import Schedule, TimeSlot
from kyodo.japanese.text import comparison_key


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
