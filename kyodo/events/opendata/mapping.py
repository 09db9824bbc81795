"""What goes where between a row of イベント一覧 and an ``Event`` with its sessions.

Import (rows → :class:`EventValues`):

==========================  =================================================================
column                      Event
==========================  =================================================================
名称 / 名称(カナ) / (英字)  ``title`` / ``title_kana`` / ``title_en``
概要, 説明                  ``summary``, ``description``
イベント種類                ``kind`` when it names one (研修・講座, セミナー, 相談会…);
                            otherwise guessed from the title and kept in the description
URL, 画像URL                ``url``, ``image_url``
状態                        ``status``: 中止 → cancelled, 延期 → postponed, else published
開始日 … 日時備考           sessions, or a recurring ``schedule_text`` (see below)
場所名称 (or 集合場所)      ``venue_name``
郵便番号, 住所…, 建物名等   ``venue_address`` (joined)
対象者                      ``audience_note``, and audiences its words name (子ども, シニア…)
定員                        ``capacity``
料金(基本) / (詳細)         ``fee_yen``: 無料 → 0, an amount → it, empty or unclear →
                            None (not stated) / ``fee_details``
申込期限日 + 申込期限時刻   ``application_closes_at`` (23:59 when no time is given)
申込方法, アクセス方法      ``how_to_apply``, ``access_info``
連絡先…                     ``contact_name``, ``contact_phone``, ``contact_email``
NO (+ code and 名称)        ``source`` = ``event_list``, ``external_id`` = the row's event key
==========================  =================================================================

Columns Kyodo has no field for (サブタイトル, 主催団体, 備考, 駐車場情報…, see
:data:`EXTRA_COLUMNS`), and values too long for their field, are kept at the end of the
description as ``【column】`` blocks; the exporter puts them back in their columns.

Dates: a row on one day gives a session per time slot (``10:00～`` or the slots of
日時備考). A row over several days whose 日時備考 names recurring days (毎週土曜日) becomes
a recurring schedule over 開始日–終了日; one over several days without such days is an
event held every day of the period (``毎日``, plus the times). Rows of one event (same NO
and 名称) become one event with several sessions. Imported events do not take
registrations in Kyodo: 申込方法 says how to apply.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from kyodo.events.actions import SessionTimes
from kyodo.events.models import Audience, Event, EventKind, EventStatus
from kyodo.japanese.schedule import parse_schedule

from .reader import EventRow

__all__ = [
    "EXTRA_COLUMNS",
    "KIND_NAMES",
    "SOURCE",
    "EventValues",
    "compose_description",
    "group_rows",
    "is_multi_day",
    "schedule_parts",
    "split_description",
    "values_from_rows",
]

SOURCE = "event_list"
"""``Event.source`` of events imported from an イベント一覧 file."""

EXTRA_COLUMNS: tuple[str, ...] = (
    "サブタイトル",
    "名称(通称)",
    "サブイベント",
    "イベント種類",
    "状態",
    "対象となる産業",
    "ステージ",
    "集合場所",
    "主催団体",
    "共催団体",
    "その他関係団体",
    "外国語対応",
    "駐車場情報",
    "駐輪場情報",
    "連絡先内線番号",
    "備考",
)

# Columns whose value may land in a block when too long for its field, and 住所/日時備考.
_OVERFLOW_COLUMNS = (
    "名称(カナ)",
    "名称(英字)",
    "概要",
    "対象者",
    "場所名称",
    "住所",
    "料金(詳細)",
    "日時備考",
    "連絡先名称",
    "連絡先電話番号",
    "URL",
    "画像URL",
)
_BLOCK_COLUMNS = EXTRA_COLUMNS + _OVERFLOW_COLUMNS

KIND_NAMES: dict[str, str] = {
    EventKind.TRAINING: "研修・講座",
    EventKind.SEMINAR: "セミナー",
    EventKind.EVENT: "イベント",
    EventKind.CONSULTATION: "相談会",
    EventKind.NETWORKING: "交流会",
    EventKind.OTHER: "その他",
}
"""What the exporter writes in イベント種類 for each kind (data stays Japanese)."""

_KIND_BY_NAME = {name: kind for kind, name in KIND_NAMES.items()} | {
    str(label): kind for kind, label in EventKind.choices
}
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    (r"相談", EventKind.CONSULTATION),
    (r"セミナー", EventKind.SEMINAR),
    (r"講座|研修|教室|講習|ワークショップ|塾", EventKind.TRAINING),
    (r"交流会|サロン|カフェ", EventKind.NETWORKING),
)

_AUDIENCE_WORDS: tuple[tuple[str, str], ...] = (
    (r"どなたでも|市民|区民|町民|村民|県民|都民|一般", Audience.CITIZENS),
    (r"NPO|市民活動団体|ボランティア団体|市民団体", Audience.NPOS),
    (r"中間支援", Audience.INTERMEDIARIES),
    (r"企業|事業者|事業所", Audience.COMPANIES),
    (r"行政|自治体職員|市職員", Audience.GOVERNMENT),
    (r"子ども|子供|こども|児童|小学生|中学生|幼児|未就学", Audience.CHILDREN),
    (r"保護者|親子|子育て中|乳幼児", Audience.PARENTS),
    (r"シニア|高齢者|\d{2}歳以上", Audience.SENIORS),
    (r"女性", Audience.WOMEN),
    (r"学生|高校生|大学生", Audience.STUDENTS),
)

_STATUS_WORDS = {"中止": EventStatus.CANCELLED, "延期": EventStatus.POSTPONED}

_DEADLINE_TIME = datetime.time(23, 59)


@dataclass
class EventValues:
    """The field values of one event and its explicit sessions, as a file gives them."""

    fields: dict[str, Any]
    sessions: list[SessionTimes]
    audiences: list[str]
    warnings: list[str] = field(default_factory=list)


# --- The description and its blocks ------------------------------------------------------

_BLOCK_HEAD = re.compile(
    r"^【(" + "|".join(re.escape(name) for name in _BLOCK_COLUMNS) + r")】$", re.MULTILINE
)


def compose_description(text: str, blocks: Sequence[tuple[str, str]]) -> str:
    """``text`` followed by a ``【column】`` block for each (column, value)."""
    parts = [text.strip()] if text.strip() else []
    parts.extend(f"【{column}】\n{value.strip()}" for column, value in blocks if value.strip())
    return "\n\n".join(parts)


def split_description(description: str) -> tuple[str, dict[str, str]]:
    """The text before the first ``【column】`` block, and the blocks' values."""
    heads = list(_BLOCK_HEAD.finditer(description))
    if not heads:
        return description.strip(), {}
    blocks: dict[str, str] = {}
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(description)
        blocks[head[1]] = description[head.end() : end].strip()
    return description[: heads[0].start()].strip(), blocks


# --- Rows → values -------------------------------------------------------------------------


def _max_length(name: str) -> int:
    return int(getattr(Event._meta.get_field(name), "max_length", 0) or 0)


def _kind(row: EventRow) -> tuple[str, bool]:
    """The kind, and whether イベント種類 named it (so nothing of it need be kept)."""
    named = _KIND_BY_NAME.get(row.text("イベント種類"))
    if named:
        return named, True
    text = f"{row.title} {row.text('イベント種類')}"
    for pattern, kind in _KIND_WORDS:
        if re.search(pattern, text):
            return kind, False
    return EventKind.EVENT, False


def _audiences(text: str) -> list[str]:
    return sorted({code for pattern, code in _AUDIENCE_WORDS if re.search(pattern, text)})


def schedule_parts(row: EventRow) -> tuple[str, str]:
    """(schedule phrase, note) for a row held over several days; ("", remarks) otherwise.

    The phrase is 日時備考 when it names recurring days; when its first line alone does
    and the other lines name no days or times, they stay a note (this is how the exporter
    writes a schedule and its note). A period without recurring days is ``毎日``.
    """
    remarks = row.date_remarks
    if row.schedule is not None:
        first, _, rest = remarks.partition("\n")
        if rest:
            reference = row.start_on or row.schedule.reference
            head = parse_schedule(first, reference=reference)
            tail = parse_schedule(rest, reference=reference)
            if any(r.selects_days for r in head.rules) and not tail.rules:
                return _with_times(first, row), rest
        phrase = " ".join(line.strip() for line in remarks.split("\n") if line.strip())
        return _with_times(phrase, row), ""
    if row.start_on and row.end_on and row.end_on > row.start_on:
        return _with_times("毎日", row), remarks
    return "", remarks


def _with_times(phrase: str, row: EventRow) -> str:
    """Add the time columns to a phrase that has no times of its own."""
    if row.start_time is None:
        return phrase
    if row.schedule is not None and any(rule.times for rule in row.schedule.rules):
        return phrase
    end = f"{row.end_time:%H:%M}" if row.end_time else ""
    return f"{phrase} {row.start_time:%H:%M}～{end}"


def _sessions(rows: Sequence[EventRow]) -> list[SessionTimes]:
    found: dict[tuple[Any, ...], SessionTimes] = {}
    for row in rows:
        if row.start_on is None:
            continue
        slots = row.time_slots or ()
        if not slots:
            found.setdefault((row.start_on, None, None), SessionTimes(row.start_on, None, None))
        for slot in slots:
            key = (row.start_on, slot.start, slot.end)
            found.setdefault(key, SessionTimes(row.start_on, slot.start, slot.end))
    return sorted(found.values(), key=lambda s: (s.date, s.start_time or datetime.time(0)))


def values_from_rows(rows: Sequence[EventRow], *, external_id: str) -> EventValues:
    """The event the rows describe: fields from the first row, sessions from all.

    A row over several days is an event of its own (``rows`` has one row then).
    """
    row = rows[0]
    blocks: list[tuple[str, str]] = []
    warnings: list[str] = []
    kind, kind_named = _kind(row)

    def fit(name: str, column: str, value: str) -> str:
        """``value`` if it fits the field; else it goes to a block and the field is empty."""
        limit = _max_length(name)
        if limit and len(value) > limit:
            blocks.append((column, value))
            warnings.append(column)
            return ""
        return value

    phrase, note = schedule_parts(row)
    if len(phrase) > _max_length("schedule_text"):
        phrase, note = "", row.date_remarks
    recurring = bool(phrase)
    closes_at = None
    if row.deadline_on:
        closes_at = datetime.datetime.combine(
            row.deadline_on,
            row.deadline_time or _DEADLINE_TIME,
            tzinfo=timezone.get_default_timezone(),
        )
    venue = row.text("場所名称") or row.text("集合場所")
    fields: dict[str, Any] = {
        "title": row.title,
        "title_kana": fit("title_kana", "名称(カナ)", row.text("名称(カナ)")),
        "title_en": fit("title_en", "名称(英字)", row.text("名称(英字)")),
        "summary": fit("summary", "概要", row.text("概要")),
        "kind": kind,
        "audience_note": fit("audience_note", "対象者", row.text("対象者")),
        "venue_name": fit("venue_name", "場所名称", venue),
        "venue_address": fit("venue_address", "住所", row.address),
        "access_info": row.text("アクセス方法"),
        "url": fit("url", "URL", row.url),
        "image_url": fit("image_url", "画像URL", row.image_url),
        "schedule_text": phrase,
        "series_starts_on": row.start_on if recurring else None,
        "series_ends_on": row.end_on if recurring else None,
        "schedule_note": fit("schedule_note", "日時備考", note),
        "accepts_registrations": False,
        "capacity": row.capacity,
        "fee_yen": row.fee_yen,
        "fee_details": fit("fee_details", "料金(詳細)", row.fee_text),
        "application_closes_at": closes_at,
        "how_to_apply": row.text("申込方法"),
        "contact_name": fit("contact_name", "連絡先名称", row.text("連絡先名称")),
        "contact_phone": fit("contact_phone", "連絡先電話番号", row.text("連絡先電話番号")),
        "contact_email": row.contact_email,
        "status": _STATUS_WORDS.get(row.text("状態"), EventStatus.PUBLISHED),
        "source": SOURCE,
        "external_id": external_id,
    }
    for column in EXTRA_COLUMNS:
        value = row.text(column)
        if column == "イベント種類" and kind_named:
            continue
        if column == "集合場所" and not row.text("場所名称"):
            continue  # it is the venue
        if column == "状態" and value in _STATUS_WORDS:
            continue
        if value:
            blocks.append((column, value))
    fields["description"] = compose_description(row.text("説明"), blocks)
    return EventValues(
        fields=fields,
        sessions=[] if recurring else _sessions(rows),
        audiences=_audiences(row.text("対象者")),
        warnings=warnings,
    )


def is_multi_day(row: EventRow) -> bool:
    """True when the row is held over several days (a period or recurring days)."""
    return row.schedule is not None or bool(
        row.start_on and row.end_on and row.end_on > row.start_on
    )


def group_rows(rows: Sequence[EventRow]) -> list[tuple[str, list[EventRow]]]:
    """Rows grouped by event, in file order: (external id, rows). Rows with problems that
    keep them out are left out; a row over several days is an event of its own."""
    groups: dict[str, list[EventRow]] = {}
    for row in rows:
        if row.is_rejected:
            continue
        key = row.event_key
        if is_multi_day(row):
            key = f"{key[:30]}:{row.start_on.isoformat() if row.start_on else 'open'}"
        groups.setdefault(key, []).append(row)
    return list(groups.items())
