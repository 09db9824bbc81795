"""The audit log as CSV: UTF-8 with a byte order mark (Excel opens it as UTF-8), CRLF
line ends, Japanese column headings in Japanese, written row by row so a long log
streams instead of filling memory."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.audit.models import AuditEvent

BOM = "\ufeff"
CHUNK_SIZE = 2000
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    return [
        _("Date and time"),
        _("Operator"),
        _("Operation"),
        _("Kind of record"),
        _("Record ID"),
        _("Record"),
        _("Center"),
        _("From address"),
        _("Client"),
        _("Page"),
    ]


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def row(event: AuditEvent) -> list[str]:
    when = timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S")
    return [
        _cell(value)
        for value in (
            when,
            event.actor_label,
            event.get_action_display(),
            event.object_type,
            event.object_id,
            event.object_repr,
            event.center.name if event.center_id and event.center else "",
            event.ip_address,
            event.user_agent,
            event.path,
        )
    ]


class _Line:
    """A file-like object whose write() returns the line, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield BOM + writer.writerow(headers())
    for event in events:
        yield writer.writerow(row(event))


def iterate(events: Any) -> Iterator[AuditEvent]:
    return events.select_related("center").iterator(chunk_size=CHUNK_SIZE)
