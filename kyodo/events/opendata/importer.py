"""Importing an イベント一覧 file into a center's events: :func:`import_event_file`.

- The file is read completely first (:mod:`.reader`); a file-level problem raises
  :class:`~.reader.EventFileError` before anything is written.
- Idempotent: an event is found again by (center, ``source`` = ``event_list``,
  ``external_id`` = the rows' event key: the publisher's code + NO + 名称, or 名称 + 開始日 +
  開始時刻 + 場所名称 without a NO). Importing the same file twice reports every row
  ``unchanged`` and writes nothing; a changed row updates its event (the file wins over
  edits made in Kyodo to the imported fields).
- One transaction for the file, one savepoint per event: a row the database refuses is
  reported ``rejected`` with the reason, and the other rows are still saved.
- Events no longer in the file are left as they are; sessions no longer in the file are
  removed (or, when people registered for them, marked cancelled).
- Coordination warnings are looked for on every event created or updated, as when staff
  save an event.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.centers.models import Center
from kyodo.events import actions
from kyodo.events.models import Event, EventStatus

from .mapping import SOURCE, EventValues, group_rows, values_from_rows
from .reader import EventRow, read_event_file

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User

__all__ = ["ImportReport", "Outcome", "RowResult", "import_event_file"]


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass
class RowResult:
    row: int
    line: int
    id: str  # the row's NO
    title: str
    outcome: Outcome
    reason: str = ""
    event_id: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    file_name: str
    center: Center
    encoding: str
    layout: str
    rows: list[RowResult]
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(result.outcome for result in self.rows)
        return {outcome.value: found.get(outcome, 0) for outcome in Outcome}

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "center": self.center.slug,
            "encoding": self.encoding,
            "layout": self.layout,
            "counts": self.counts,
            "warnings": list(self.warnings),
            "rows": [
                {
                    "row": result.row,
                    "line": result.line,
                    "id": result.id,
                    "title": result.title,
                    "outcome": result.outcome.value,
                    "reason": result.reason,
                    "event_id": result.event_id,
                    "warnings": list(result.warnings),
                }
                for result in self.rows
            ],
        }


def import_event_file(
    *,
    center: Center,
    data: bytes,
    file_name: str = "",
    by: User | None = None,
    reference: date | None = None,
    request: HttpRequest | None = None,
) -> ImportReport:
    """Import the events of an イベント一覧 file into ``center``; see the module docstring.

    ``by`` is the staff member importing (None from the command line, which operators
    run); ``reference`` settles the year of dates written without one (default today).
    Raises :class:`~.reader.EventFileError` for a file that cannot be read as a whole.
    """
    if by is not None and not access.can(by, Permission.MANAGE_EVENTS, center):
        raise PermissionDenied
    event_file = read_event_file(data, reference=reference or timezone.localdate())
    results = {row.number: _rejected(row) for row in event_file.rows if row.is_rejected}
    with transaction.atomic():
        groups = group_rows(event_file.rows)
        existing = {
            event.external_id: event
            for event in Event.objects.filter(
                center=center, source=SOURCE, external_id__in=[key for key, _rows in groups]
            )
        }
        for key, rows in groups:
            outcome, event, reason, warnings = _import_group(center, key, rows, existing, by)
            for row in rows:
                results[row.number] = RowResult(
                    row=row.number,
                    line=row.line,
                    id=row.source_no,
                    title=row.title,
                    outcome=outcome,
                    reason=reason,
                    event_id=event.pk if event else None,
                    warnings=[p.message for p in row.problems] + warnings,
                )
        report = ImportReport(
            file_name=file_name,
            center=center,
            encoding=event_file.encoding,
            layout=event_file.layout,
            rows=[results[row.number] for row in event_file.rows],
            warnings=list(event_file.warnings),
        )
        record_event(
            actor=by,
            action=Action.CREATE,
            object_type="events.event_list_import",
            object_repr=file_name[:200],
            center=center,
            request=request,
            details=report.counts,
        )
    return report


def _rejected(row: EventRow) -> RowResult:
    return RowResult(
        row=row.number,
        line=row.line,
        id=row.source_no,
        title=row.title,
        outcome=Outcome.REJECTED,
        reason=" ".join(row.rejection_reasons),
        warnings=[p.message for p in row.problems if not p.fatal],
    )


def _import_group(
    center: Center,
    key: str,
    rows: list[EventRow],
    existing: dict[str, Event],
    by: User | None,
) -> tuple[Outcome, Event | None, str, list[str]]:
    values = values_from_rows(rows, external_id=key)
    warnings = [
        _("%(column)s is too long for its field; it is kept at the end of the description.")
        % {"column": column}
        for column in values.warnings
    ]
    limit = Event._meta.get_field("title").max_length or 0
    if len(rows[0].title) > limit:
        reason = _("名称 is longer than %(limit)s characters.") % {"limit": limit}
        return Outcome.REJECTED, None, reason, warnings
    event = existing.get(key)
    try:
        with transaction.atomic():
            if event is None:
                event = _create(center, values, by)
                existing[key] = event
                outcome = Outcome.CREATED
            elif _differs(event, values):
                _update(event, values)
                outcome = Outcome.UPDATED
            else:
                return Outcome.UNCHANGED, event, "", warnings
            actions.find_warnings(event)
    except (DatabaseError, ValidationError) as error:
        reason = _("The database refused the event: %(error)s") % {"error": error}
        return Outcome.REJECTED, None, reason, warnings
    return outcome, event, "", warnings


def _create(center: Center, values: EventValues, by: User | None) -> Event:
    event = Event(center=center, created_by=by, **values.fields)
    if event.status != EventStatus.DRAFT:
        event.published_at = timezone.now()
    event.full_clean(exclude=["center", "created_by"], validate_unique=False)
    event.save()
    _store_dates(event, values, schedule_changed=True)
    event.set_audiences(values.audiences)
    return event


_SCHEDULE_FIELDS = ("schedule_text", "series_starts_on", "series_ends_on")


def _update(event: Event, values: EventValues) -> None:
    schedule_changed = any(getattr(event, name) != values.fields[name] for name in _SCHEDULE_FIELDS)
    for name, value in values.fields.items():
        setattr(event, name, value)
    event.full_clean(exclude=["center", "created_by"], validate_unique=False)
    event.save()
    _store_dates(event, values, schedule_changed=schedule_changed)
    event.set_audiences(values.audiences)


def _store_dates(event: Event, values: EventValues, *, schedule_changed: bool) -> None:
    actions.replace_explicit_sessions(event, values.sessions)
    if schedule_changed:
        actions.store_schedule(event)
        event.save(
            update_fields=[
                "schedule_reading",
                "schedule_rrule",
                "schedule_gif_code",
                "schedule_unparsed",
            ]
        )
    actions.refresh_event_dates(event)


def _differs(event: Event, values: EventValues) -> bool:
    if any(getattr(event, name) != value for name, value in values.fields.items()):
        return True
    if set(event.audience_codes) != set(values.audiences):
        return True
    explicit = {
        (s.date, s.start_time, s.end_time)
        for s in event.sessions.filter(from_schedule=False, is_cancelled=False)
    }
    return explicit != {(s.date, s.start_time, s.end_time) for s in values.sessions}
