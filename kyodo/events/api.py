"""Public API of the network calendar.

- ``GET /api/v1/events``: the occurrences (sessions) of public events within a date range,
  filtered by the same ``EventFilterForm`` as the calendar pages, in calendar order (day,
  all-day sessions first, start time, id), ``limit`` at a time: follow ``next_cursor``
  (a page of the network's busiest month costs the same as the first), or ask for a
  ``page`` number;
- ``GET /api/v1/events/{id}``: one public event with its sessions;
- ``POST /api/v1/events/{id}/registrations``: register, validated by the same
  ``RegistrationForm`` as the page (201 confirmed or waitlisted; 409 when the event takes
  no registration now, is full without a waiting list or the address is registered; 422).
"""

from __future__ import annotations

import base64
import binascii
import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from kyodo.centers.models import Center
from kyodo.events import actions
from kyodo.events.forms import EventFilterForm, RegistrationForm
from kyodo.events.models import Event, EventSession
from kyodo.events.views.public import (
    CalendarSession,
    as_calendar_sessions,
    calendar_rows,
    sessions_between,
    venue_label,
)

router = Router(tags=["events"])

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
MAX_RANGE_DAYS = 366


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class OccurrenceOut(Schema):
    event_id: int
    session_id: int
    title: str
    session_title: str
    date: datetime.date
    start_time: str | None
    end_time: str | None
    center_id: int
    center_name: str
    kind: str
    status: str
    fee_yen: int | None = Field(description="0 when free; null when the fee is not stated.")
    online: bool
    url: str


class OccurrencePage(Schema):
    count: int = Field(description="How many occurrences match, on every page.")
    next_cursor: str | None = Field(
        None, description="Pass as ``cursor`` for the occurrences that follow; null at the end."
    )
    results: list[OccurrenceOut]


class SessionOut(Schema):
    id: int
    date: datetime.date
    start_time: str | None
    end_time: str | None
    title: str


class QuestionOut(Schema):
    id: int
    label: str
    kind: str
    choices: list[str]
    required: bool


class EventOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    status: str
    summary: str
    description: str
    center_id: int
    center_name: str
    audiences: list[str]
    topics: list[str]
    venue: str
    venue_address: str
    online_url: str
    schedule_text: str
    schedule_reading: str
    rrule: str
    gif_code: str
    fee_yen: int | None = Field(description="0 when free; null when the fee is not stated.")
    capacity: int | None
    registration_unit: str
    accepts_registrations: bool
    application_closes_at: datetime.datetime | None
    accessibility_notes: str
    sessions: list[SessionOut]
    questions: list[QuestionOut]
    url: str


class EventFilters(Schema):
    from_: datetime.date | None = Field(
        None, alias="from", description="First day (default today)."
    )
    to: datetime.date | None = Field(None, description="Last day (default 31 days on).")
    center: str = Field(
        "", description="A center id or slug: its events, cross-postings and co-hosted events."
    )
    audience: str = Field("", description="An audience code, e.g. npos.")
    topic: str = Field("", description="A topic id.")
    area: str = Field("", description="A prefecture or municipality.")
    q: str = Field("", description="Words in the title or description.")
    free: bool = Field(False, description="Free events only.")
    online: bool = Field(False, description="Online events only.")
    limit: int = Field(
        PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Occurrences per response (at most 500)."
    )
    cursor: str = Field(
        "", description="The ``next_cursor`` of the previous response, for the next ones."
    )
    page: int = Field(
        1, ge=1, description="Page number of ``limit`` occurrences (ignored with ``cursor``)."
    )


class RegistrationIn(Schema):
    name: str
    email: str
    name_kana: str = ""
    phone: str = ""
    session: int | None = Field(None, description="The session id, for per-session events.")
    answers: dict[str, Any] = Field(
        default_factory=dict, description="Answers by question id (see the event's questions)."
    )
    consent_to_history: bool = False


class RegistrationOut(Schema):
    id: int
    status: str
    position: int | None
    session: int | None


def _time(value: datetime.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def _errors(form: Any) -> ValidationError:
    return ValidationError(
        [
            {
                "loc": ["query" if isinstance(form, EventFilterForm) else "body", field],
                "msg": str(m),
            }
            for field, messages in form.errors.items()
            for m in messages
        ]
    )


@router.get(
    "",
    response={200: OccurrencePage, 422: ValidationErrorOut},
    summary="Occurrences of public events within a date range",
)
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> dict[str, Any]:
    data = filters.dict(exclude={"page", "from_", "to"})
    if data["center"].isdigit():
        center = Center.objects.filter(pk=int(data["center"])).first()
        data["center"] = center.slug if center else data["center"]
    data["free"] = data["free"] or ""
    data["online"] = data["online"] or ""
    form = EventFilterForm({k: v for k, v in data.items() if v not in ("", None)})
    if not form.is_valid():
        raise _errors(form)
    start = filters.from_ or timezone.localdate()
    end = filters.to or start + datetime.timedelta(days=31)
    if end < start:
        raise ValidationError(
            [{"loc": ["query", "to"], "msg": _("The end date is before the start date.")}]
        )
    if (end - start).days > MAX_RANGE_DAYS:
        raise ValidationError(
            [{"loc": ["query", "to"], "msg": _("Ask for at most one year at a time.")}]
        )
    sessions = sessions_between(form, start, end)
    count = sessions.count()
    ordered = calendar_rows(sessions)
    if filters.cursor:
        ordered = ordered.filter(_after(_read_cursor(filters.cursor)))
        offset = 0
    else:
        offset = (filters.page - 1) * filters.limit
    rows = as_calendar_sessions(
        ordered[offset : offset + filters.limit + 1] if offset < count else []
    )
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    results = [
        {
            "event_id": s.event_id,
            "session_id": s.pk,
            "title": s.event.title,
            "session_title": s.title,
            "date": s.date,
            "start_time": _time(s.start_time),
            "end_time": _time(s.end_time),
            "center_id": s.event.center_id,
            "center_name": s.event.center_name,
            "kind": s.event.kind,
            "status": s.event.status,
            "fee_yen": s.event.fee_yen,
            "online": bool(s.event.online_url),
            "url": request.build_absolute_uri(s.event.get_absolute_url()),
        }
        for s in rows
    ]
    return {
        "count": count,
        "next_cursor": _cursor(rows[-1]) if more else None,
        "results": results,
    }


# A cursor is the calendar position of the last occurrence sent: day, start time, id.


def _cursor(session: CalendarSession) -> str:
    time = session.start_time.isoformat() if session.start_time else ""
    text = f"{session.date.isoformat()}|{time}|{session.pk}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[datetime.date, datetime.time | None, int]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        day, time, pk = text.split("|")
        return (
            datetime.date.fromisoformat(day),
            datetime.time.fromisoformat(time) if time else None,
            int(pk),
        )
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise ValidationError(
            [{"loc": ["query", "cursor"], "msg": _("This cursor is not one we gave.")}]
        ) from error


def _after(position: tuple[datetime.date, datetime.time | None, int]) -> Q:
    """The occurrences after ``position`` in calendar order (all-day ones, without a start
    time, come first in a day)."""
    day, time, pk = position
    if time is None:
        later = Q(start_time__isnull=False)
        same = Q(start_time__isnull=True)
    else:
        later = Q(start_time__gt=time)
        same = Q(start_time=time)
    return Q(date__gte=day) & (Q(date__gt=day) | later | (same & Q(pk__gt=pk)))


def _event_or_404(event_id: int) -> Event:
    event = (
        Event.objects.published()
        .select_related("center", "venue_room__center", "venue_center")
        .prefetch_related("topics", "audiences", "questions")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        raise HttpError(404, _("There is no public event with this id."))
    return event


@router.get(
    "/{event_id}",
    response={200: EventOut, 404: ErrorOut},
    summary="One public event with its sessions and registration questions",
)
def get_event(request: HttpRequest, event_id: int) -> dict[str, Any]:
    event = _event_or_404(event_id)
    sessions: list[EventSession] = list(event.sessions.filter(is_cancelled=False))
    return {
        "id": event.pk,
        "title": event.title,
        "kind": event.kind,
        "kind_label": str(event.get_kind_display()),
        "status": event.status,
        "summary": event.summary,
        "description": event.description,
        "center_id": event.center_id,
        "center_name": event.center.name,
        "audiences": event.audience_codes,
        "topics": [t.name for t in event.topics.all()],
        "venue": venue_label(event),
        "venue_address": event.venue_address,
        "online_url": event.online_url,
        "schedule_text": event.schedule_text,
        "schedule_reading": event.schedule_reading,
        "rrule": event.schedule_rrule,
        "gif_code": event.schedule_gif_code,
        "fee_yen": event.fee_yen,
        "capacity": event.capacity,
        "registration_unit": event.registration_unit,
        "accepts_registrations": event.accepts_registrations,
        "application_closes_at": event.application_closes_at,
        "accessibility_notes": event.accessibility_notes,
        "sessions": [
            {
                "id": s.pk,
                "date": s.date,
                "start_time": _time(s.start_time),
                "end_time": _time(s.end_time),
                "title": s.title,
            }
            for s in sessions
        ],
        "questions": [
            {
                "id": q.pk,
                "label": q.label,
                "kind": q.kind,
                "choices": q.choice_list,
                "required": q.required,
            }
            for q in event.questions.all()
        ],
        "url": request.build_absolute_uri(event.get_absolute_url()),
    }


@router.post(
    "/{event_id}/registrations",
    response={201: RegistrationOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut},
    summary="Register for a public event (confirmed, or on the waiting list when full)",
)
def create_registration(
    request: HttpRequest, event_id: int, payload: RegistrationIn
) -> Status[dict[str, Any]]:
    event = _event_or_404(event_id)
    data: dict[str, Any] = {
        "name": payload.name,
        "email": payload.email,
        "name_kana": payload.name_kana,
        "phone": payload.phone,
        "session": payload.session or "",
    }
    if payload.consent_to_history:
        data["consent_to_history"] = "on"
    for key, value in payload.answers.items():
        if value is True:
            value = "on"
        elif value is False or value is None:
            continue
        data[f"q_{key}"] = value
    form = RegistrationForm(data, event=event)
    if not form.is_valid():
        raise _errors(form)
    try:
        registration = actions.register_for_event(
            event=event,
            session=form.cleaned_data.get("session"),
            name=form.cleaned_data["name"],
            name_kana=form.cleaned_data["name_kana"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            answers=form.answers(),
            consent_to_history=form.cleaned_data["consent_to_history"],
            user=request.user,
        )
    except DjangoValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from error
    return Status(
        201,
        {
            "id": registration.pk,
            "status": registration.status,
            "position": registration.position,
            "session": registration.session_id,
        },
    )
