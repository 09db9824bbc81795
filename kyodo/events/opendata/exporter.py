"""Writing events in the イベント一覧 layout: :func:`export_events`.

The file is what municipalities publish: UTF-8 with BOM, CRLF, the 50-column header
exactly as :data:`~.columns.HEADER`, dates ``YYYY-MM-DD`` and times ``HH:MM`` (GIF
1015-1). One row per session, the sessions of one event sharing its NO (the event's id,
ten digits); a recurring event is one row over its period, its schedule phrase in
日時備考. Only events the public sees (not drafts) and sessions not cancelled are written.
料金(基本) is 0 for a free event and empty when the fee is not stated.

都道府県コード又は市区町村コード is the prefecture's code for a prefectural center and
empty otherwise (centers hold no municipality code). The ``【column】`` blocks the
importer keeps at the end of a description go back to their columns.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from kyodo.centers.models import Center, CenterKind
from kyodo.events.models import Event, EventSession, EventStatus
from kyodo.japanese.prefectures import PREFECTURES, prefecture_number

from .columns import HEADER
from .mapping import KIND_NAMES, split_description

__all__ = ["events_for_export", "export_events", "prefecture_code", "rows_for_event"]


_STATUS_NAMES: dict[str, str] = {EventStatus.CANCELLED: "中止", EventStatus.POSTPONED: "延期"}
_DEADLINE_TIME = datetime.time(23, 59)


def prefecture_code(prefecture: str) -> str:
    """The 6-digit 全国地方公共団体コード of a prefecture (北海道 → 010006), or ""."""
    number = prefecture_number(prefecture)
    if number is None:
        return ""
    digits = f"{number:02d}000"
    total = sum(int(d) * w for d, w in zip(digits, (6, 5, 4, 3, 2), strict=True))
    return f"{digits}{(11 - total % 11) % 10}"


def events_for_export(center: Center | None = None) -> list[Event]:
    """The events a center (or, with None, the whole network) publishes as open data."""
    events = Event.objects.published().select_related("center", "venue_room", "venue_center")
    if center is not None:
        events = events.filter(center=center)
    sessions = EventSession.objects.filter(is_cancelled=False).order_by("date", "start_time")
    return list(
        events.prefetch_related(Prefetch("sessions", queryset=sessions)).order_by(
            "center_id", "starts_on", "pk"
        )
    )


def _hhmm(value: datetime.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def _venue_name(event: Event) -> str:
    if event.venue_name:
        return event.venue_name
    if event.venue_room is not None:
        return str(event.venue_room)
    return event.venue_center.name if event.venue_center is not None else ""


def _address(event: Event) -> tuple[str, str]:
    """(住所都道府県, the rest) of the venue."""
    address = event.venue_address
    if not address and event.venue_center is not None:
        address = event.venue_center.address
    for prefecture in PREFECTURES:
        if address.startswith(prefecture):
            return prefecture, address[len(prefecture) :]
    return "", address


def rows_for_event(event: Event) -> list[dict[str, str]]:
    """The rows of one event (``event.sessions`` should be prefetched, not cancelled)."""
    description, blocks = split_description(event.description)
    prefecture, street = _address(event)
    if "住所" in blocks:
        street = blocks["住所"]
    closes = (
        timezone.localtime(event.application_closes_at) if event.application_closes_at else None
    )
    url = event.url or blocks.get("URL", "") or f"{settings.SITE_URL}{event.get_absolute_url()}"
    base = {
        "NO": f"{event.pk:010d}",
        "都道府県コード又は市区町村コード": (
            prefecture_code(event.center.prefecture)
            if event.center.kind == CenterKind.PREFECTURAL
            else ""
        ),
        "名称": event.title,
        "名称(カナ)": event.title_kana or blocks.get("名称(カナ)", ""),
        "名称(英字)": event.title_en or blocks.get("名称(英字)", ""),
        "概要": event.summary or blocks.get("概要", ""),
        "説明": description,
        "イベント種類": blocks.get("イベント種類") or KIND_NAMES.get(event.kind, ""),
        "URL": url,
        "画像URL": event.image_url or blocks.get("画像URL", ""),
        "状態": _STATUS_NAMES.get(event.status, blocks.get("状態", "")),
        "場所名称": _venue_name(event) or blocks.get("場所名称", ""),
        "住所都道府県": prefecture,
        "住所町名": street,
        "主催団体": blocks.get("主催団体") or event.center.name,
        "対象者": event.audience_note or blocks.get("対象者", ""),
        "定員": str(event.capacity) if event.capacity else "",
        "料金(基本)": "" if event.fee_yen is None else str(event.fee_yen),
        "料金(詳細)": event.fee_details or blocks.get("料金(詳細)", ""),
        "申込期限日": closes.date().isoformat() if closes else "",
        "申込期限時刻": _hhmm(closes.time()) if closes and closes.time() != _DEADLINE_TIME else "",
        "申込方法": event.how_to_apply,
        "アクセス方法": event.access_info,
        "連絡先名称": event.contact_name or blocks.get("連絡先名称", ""),
        "連絡先電話番号": event.contact_phone or blocks.get("連絡先電話番号", ""),
        "連絡先メールアドレス": event.contact_email,
    }
    for column, value in blocks.items():
        if column in HEADER and column not in base:
            base[column] = value
    remarks = event.schedule_note or blocks.get("日時備考", "")
    sessions = list(event.sessions.all())
    if event.schedule_text:
        first = sessions[0] if sessions else None
        return [
            base
            | {
                "開始日": _iso(event.series_starts_on or (first.date if first else None)),
                "終了日": _iso(event.series_ends_on or (sessions[-1].date if sessions else None)),
                "開始時刻": _hhmm(first.start_time) if first else "",
                "終了時刻": _hhmm(first.end_time) if first else "",
                "日時備考": "\n".join(part for part in (event.schedule_text, remarks) if part),
            }
        ]
    return [
        base
        | {
            "開始日": session.date.isoformat(),
            "終了日": session.date.isoformat(),
            "開始時刻": _hhmm(session.start_time),
            "終了時刻": _hhmm(session.end_time),
            "日時備考": remarks,
        }
        for session in sessions
    ]


def _iso(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def export_events(events: Iterable[Event]) -> bytes:
    """The イベント一覧 file of ``events``: UTF-8 with BOM, CRLF."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for event in events:
        for row in rows_for_event(event):
            writer.writerow([_cell(row.get(column, "")) for column in HEADER])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _cell(value: str) -> str:
    """Line breaks inside a cell as CRLF, as the rest of the file."""
    return value.replace("\r\n", "\n").replace("\n", "\r\n")
