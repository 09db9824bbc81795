"""The public calendar: list, month and week views, the event page, registration, feeds."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.centers.models import Center
from kyodo.events import actions
from kyodo.events.expressions import IsOneOf
from kyodo.events.forms import EventFilterForm, RegistrationForm
from kyodo.events.models import (
    Event,
    EventKind,
    EventSession,
    EventSessionQuerySet,
    EventStatus,
    Registration,
    RegistrationStatus,
    RegistrationUnit,
)

LIST_DAYS = 60
# A day of the whole network can hold hundreds of sessions: the month shows this many a
# day and the week this many, each day linking to its full list.
MONTH_PER_DAY = 6
WEEK_PER_DAY = 20
PER_PAGE = 50


def _filters(request: HttpRequest) -> EventFilterForm:
    form = EventFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # invalid filters are shown on their fields and left out
    return form


# The filters that choose events (the dates choose sessions).
EVENT_FILTERS = ("q", "center", "area", "audience", "topic", "free", "online")


def has_event_filters(form: EventFilterForm) -> bool:
    """Whether the filters narrow the events (a center, an audience, a keyword…)."""
    data = form.data_or_empty
    return any(data.get(name) for name in EVENT_FILTERS)


def sessions_between(
    form: EventFilterForm, start: datetime.date, end: datetime.date
) -> EventSessionQuerySet:
    """The public sessions from ``start`` to ``end`` that match the filters (unordered:
    ``calendar_rows`` reads them in order)."""
    sessions = EventSession.objects.between(start, end).public()
    if has_event_filters(form):
        sessions = sessions.filter(
            event__in=form.filter_events(Event.objects.all()).order_by().values("pk")
        )
    return sessions


@dataclass(frozen=True)
class CalendarEvent:
    """What the calendar pages and the API show of an event."""

    pk: int
    title: str
    kind: str
    status: str
    fee_yen: int | None
    online_url: str
    center_id: int
    center_name: str

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"pk": self.pk})

    def get_kind_display(self) -> str:
        return str(dict(EventKind.choices).get(self.kind, self.kind))

    @property
    def is_free(self) -> bool:
        return self.fee_yen == 0


@dataclass(frozen=True)
class CalendarSession:
    """A session on the calendar pages and in the API: read as plain values, since a page
    of the network's month holds hundreds and model instances cost more than the query."""

    pk: int
    event_id: int
    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    title: str
    event: CalendarEvent


CALENDAR_VALUES = (
    "pk",
    "event_id",
    "date",
    "start_time",
    "end_time",
    "title",
    "event__title",
    "event__kind",
    "event__status",
    "event__fee_yen",
    "event__online_url",
    "event__center_id",
    "event__center__name",
)


def calendar_rows(sessions: EventSessionQuerySet) -> Any:
    """``sessions`` in calendar order as rows of ``CALENDAR_VALUES`` (sliceable, for a
    page); ``as_calendar_sessions`` turns the rows read into ``CalendarSession``."""
    return sessions.in_calendar_order().values_list(*CALENDAR_VALUES)


class CountedRows:
    """``calendar_rows`` for the paginator, counted on the sessions alone (the rows' joins
    to the events would make the count read every event of the range)."""

    def __init__(self, rows: Any, sessions: EventSessionQuerySet) -> None:
        self.rows, self.sessions = rows, sessions

    def count(self) -> int:
        return self.sessions.count()

    def __getitem__(self, key: Any) -> Any:
        return self.rows[key]


def as_calendar_sessions(rows: Iterable[tuple[Any, ...]]) -> list[CalendarSession]:
    return [
        CalendarSession(pk, event_id, day, start, end, title, CalendarEvent(event_id, *event))
        for pk, event_id, day, start, end, title, *event in rows
    ]


def first_sessions_by_day(
    sessions: EventSessionQuerySet, per_day: int, *, narrowed: bool
) -> tuple[dict[datetime.date, list[CalendarSession]], dict[datetime.date, int]]:
    """The first ``per_day`` sessions of each day in calendar order, and how many each day
    has, in three queries; only the sessions shown are read with their events.

    The whole network's sessions (``narrowed`` False: a few hundred a day) are counted on
    the ``session_calendar`` index and the first of each day are read down it, one
    ``LIMIT`` per day joined by ``UNION ALL``: ranking a month of them with a window
    function reads and sorts every one. Sessions narrowed by a filter (a center, an
    audience…) are fewer: their ids and days are read in calendar order and counted here,
    which also keeps PostgreSQL from running the filter's subquery once per day."""
    by_day: dict[datetime.date, list[CalendarSession]] = {}
    totals: dict[datetime.date, int] = {}
    shown_ids: list[int] = []
    if narrowed:
        for pk, day in sessions.in_calendar_order().values_list("pk", "date"):
            totals[day] = totals.get(day, 0) + 1
            if totals[day] <= per_day:
                shown_ids.append(pk)
    else:
        totals = dict(
            sessions.order_by()
            .values("date")
            .annotate(total=Count("pk"))
            .values_list("date", "total")
        )
        shown_ids = _first_of_each_day(sessions, sorted(totals), per_day)
    if shown_ids:
        # The ids travel through Python: as a subquery, PostgreSQL expects thousands.
        shown = EventSession.objects.filter(IsOneOf("pk", shown_ids))
        for session in as_calendar_sessions(calendar_rows(shown)):
            by_day.setdefault(session.date, []).append(session)
    return by_day, totals


# A date no session has: it marks where a day goes in the statement compiled once.
_DAY_MARK = datetime.date(1, 1, 1)


def _first_of_each_day(
    sessions: EventSessionQuerySet, days: list[datetime.date], per_day: int
) -> list[int]:
    """The ids of the first ``per_day`` sessions of each of ``days``, in one statement.
    One day's query is compiled once (compiling 35 of them cost more than running them)
    and repeated with each day's date in place of ``_DAY_MARK``."""
    if not days:
        return []
    one_day = sessions.filter(date=_DAY_MARK).in_calendar_order().values_list("pk")[:per_day]
    sql, one_day_params = one_day.query.sql_with_params()
    adapt = connection.ops.adapt_datefield_value
    marks = [i for i, value in enumerate(one_day_params) if value == adapt(_DAY_MARK)]
    pieces = sql.split("%s")
    if (
        connection.vendor == "postgresql"
        and len(marks) == 1
        and "%%" not in sql
        and len(pieces) == len(one_day_params) + 1
    ):
        # One statement planned once: the day's query joined laterally to the list of days.
        pieces[marks[0]] += "days.day"
        day_sql = "%s".join(pieces[: marks[0] + 1]) + "%s".join(pieces[marks[0] + 1 :])
        lateral_params = [*one_day_params[: marks[0]], *one_day_params[marks[0] + 1 :]]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT first.pk FROM unnest(%s::date[]) AS days(day) "  # noqa: S608
                f"CROSS JOIN LATERAL ({day_sql}) first",
                [list(days), *lateral_params],
            )
            return [pk for (pk,) in cursor.fetchall()]
    parts: list[str] = []
    params: list[Any] = []
    for number, day in enumerate(days):
        if len(marks) == 1:
            day_params = list(one_day_params)
            day_params[marks[0]] = adapt(day)
        else:  # the date did not come out as one parameter: compile this day's query
            first = sessions.filter(date=day).in_calendar_order().values_list("pk")[:per_day]
            sql, compiled = first.query.sql_with_params()
            day_params = list(compiled)
        parts.append(f"SELECT * FROM ({sql}) day{number}")  # noqa: S608 (Django's own SQL)
        params.extend(day_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [pk for (pk,) in cursor.fetchall()]


def _base_context(request: HttpRequest, form: EventFilterForm, view: str) -> dict[str, Any]:
    query = form.query_string()
    return {
        "form": form,
        "view": view,
        "query": query,
        # The filters without their dates, for the links to one day's list.
        "day_query": urlencode(
            [(k, v) for k, v in parse_qsl(query) if k not in ("date_from", "date_to")]
        ),
        "feed_url": reverse("events:feed_ics") + (f"?{query}" if query else ""),
        "list_url": reverse("events:list"),
    }


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    if getattr(request, "htmx", False):
        template += "#results"
    return TemplateResponse(request, template, context)


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming sessions (the next 60 days unless dates are given), by day."""
    form = _filters(request)
    data = form.data_or_empty
    start = data.get("date_from") or timezone.localdate()
    end = data.get("date_to") or start + datetime.timedelta(days=LIST_DAYS)
    sessions = sessions_between(form, start, end)
    rows: Any = CountedRows(calendar_rows(sessions), sessions)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = _base_context(request, form, "list")
    context.update(
        {
            "page_obj": page,
            "sessions": as_calendar_sessions(page.object_list),
            "start": start,
            "end": end,
        }
    )
    return _render(request, "events/event_list.html", context)


def _month_param(request: HttpRequest) -> datetime.date:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


@require_GET
def event_month(request: HttpRequest) -> HttpResponse:
    """A month as a table, weeks from Sunday, each day's sessions as links."""
    form = _filters(request)
    first = _month_param(request)
    cal = calendar.Calendar(firstweekday=6)
    weeks_dates = cal.monthdatescalendar(first.year, first.month)
    start, end = weeks_dates[0][0], weeks_dates[-1][-1]
    by_day, totals = first_sessions_by_day(
        sessions_between(form, start, end), MONTH_PER_DAY, narrowed=has_event_filters(form)
    )
    weeks = [
        [
            (
                day,
                day.month == first.month,
                by_day.get(day, []),
                totals.get(day, 0) - len(by_day.get(day, [])),
            )
            for day in week
        ]
        for week in weeks_dates
    ]
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    context = _base_context(request, form, "month")
    context.update(
        {
            "month": first,
            "weeks": weeks,
            "today": timezone.localdate(),
            "previous": previous,
            "following": following,
            "weekday_names": _weekday_names(),
            "count": sum(n for d, n in totals.items() if d.month == first.month),
            "keep": [("year", first.year), ("month", first.month)],
        }
    )
    return _render(request, "events/event_month.html", context)


def _weekday_names() -> list[tuple[str, str]]:
    """(short, full) names from Sunday."""
    return [
        (_("Sun"), _("Sunday")),
        (_("Mon"), _("Monday")),
        (_("Tue"), _("Tuesday")),
        (_("Wed"), _("Wednesday")),
        (_("Thu"), _("Thursday")),
        (_("Fri"), _("Friday")),
        (_("Sat"), _("Saturday")),
    ]


@require_GET
def event_week(request: HttpRequest) -> HttpResponse:
    """Seven days from Sunday, each day a heading with its sessions."""
    form = _filters(request)
    try:
        anchor = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = timezone.localdate()
    start = anchor - datetime.timedelta(days=(anchor.weekday() + 1) % 7)
    end = start + datetime.timedelta(days=6)
    by_day, totals = first_sessions_by_day(
        sessions_between(form, start, end), WEEK_PER_DAY, narrowed=has_event_filters(form)
    )
    days = []
    for offset in range(7):
        day = start + datetime.timedelta(days=offset)
        shown = by_day.get(day, [])
        days.append((day, shown, totals.get(day, 0) - len(shown)))
    context = _base_context(request, form, "week")
    context.update(
        {
            "days": days,
            "start": start,
            "end": end,
            "previous": start - datetime.timedelta(days=7),
            "following": start + datetime.timedelta(days=7),
            "today": timezone.localdate(),
            "keep": [("date", start.isoformat())],
        }
    )
    return _render(request, "events/event_week.html", context)


def _public_event(pk: int) -> Event:
    return get_object_or_404(
        Event.objects.published()
        .select_related("center", "venue_room", "venue_room__center", "venue_center")
        .prefetch_related("topics", "audiences", "cohosts__center", "cohosts__organization"),
        pk=pk,
    )


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _public_event(pk)
    sessions = list(event.sessions.filter(is_cancelled=False).select_related("reservation__room"))
    today = timezone.localdate()
    upcoming = [s for s in sessions if s.date >= today]
    context = {
        "event": event,
        "sessions": sessions if not event.is_recurring else upcoming[:20],
        "upcoming": upcoming,
        "registration": _registration_state(event),
        "json_ld": event_json_ld(event, sessions),
        "cross_post": _cross_post_choices(request, event),
        "breadcrumbs": [(_("Events and courses"), reverse("events:list")), (event.title, None)],
    }
    return TemplateResponse(request, "events/event_detail.html", context)


def _cross_post_choices(request: HttpRequest, event: Event) -> list[tuple[Center, bool]]:
    """Centers where the person manages events and could show this one (相互掲載), with
    whether it is already on their calendar. Empty for the public."""
    if event.status != EventStatus.PUBLISHED or not access.is_staff_user(request.user):
        return []
    centers = access.centers_where(request.user, Permission.MANAGE_EVENTS).exclude(
        pk=event.center_id
    )
    posted = set(event.cross_postings.values_list("center_id", flat=True))
    return [(center, center.pk in posted) for center in centers.order_by("name_kana")[:20]]


def _registration_state(event: Event) -> dict[str, Any]:
    """Whether the page offers the registration form, and why not."""
    now = timezone.now()
    state: dict[str, Any] = {"open": False, "reason": "", "full": False}
    if not event.accepts_registrations:
        return state
    if event.status != EventStatus.PUBLISHED:
        state["reason"] = _("This event does not take registrations.")
    elif event.application_opens_at and now < event.application_opens_at:
        state["reason"] = _("Applications are not open yet.")
    elif event.application_closes_at and now > event.application_closes_at:
        state["reason"] = _("Applications for this event have closed.")
    elif event.ends_on and event.ends_on < timezone.localdate():
        state["reason"] = _("This event has ended.")
    else:
        state["open"] = True
        if event.capacity is not None and event.registration_unit == RegistrationUnit.EVENT:
            taken = actions.seats_taken(event, None)
            state["seats_left"] = max(event.capacity - taken, 0)
            state["full"] = taken >= event.capacity
    return state


def event_json_ld(event: Event, sessions: list[EventSession]) -> dict[str, Any]:
    """The schema.org Event of the event page."""
    status = {
        EventStatus.CANCELLED: "https://schema.org/EventCancelled",
        EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    }.get(EventStatus(event.status), "https://schema.org/EventScheduled")
    url = settings.SITE_URL + event.get_absolute_url()
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary or event.description[:500],
        "url": url,
        "eventStatus": status,
        "organizer": {
            "@type": "Organization",
            "name": event.center.name,
            "url": settings.SITE_URL + event.center.get_absolute_url(),
        },
        "inLanguage": "ja",
    }
    if sessions:
        first, last = sessions[0], sessions[-1]
        data["startDate"] = (
            first.starts_at.isoformat() if first.start_time else first.date.isoformat()
        )
        end = last.ends_at
        data["endDate"] = end.isoformat() if end else last.date.isoformat()
    if len(sessions) > 1:
        data["subEvent"] = [
            {
                "@type": "Event",
                "name": s.title or event.title,
                "startDate": s.starts_at.isoformat() if s.start_time else s.date.isoformat(),
                **({"endDate": s.ends_at.isoformat()} if s.ends_at else {}),
            }
            for s in sessions[:50]
        ]
    places: list[dict[str, Any]] = []
    venue = venue_label(event)
    if venue or event.venue_address:
        places.append(
            {
                "@type": "Place",
                "name": venue or event.venue_address,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": venue_address(event),
                    "addressCountry": "JP",
                },
            }
        )
    if event.online_url:
        places.append({"@type": "VirtualLocation", "url": event.online_url})
    if places:
        data["location"] = places[0] if len(places) == 1 else places
        data["eventAttendanceMode"] = (
            "https://schema.org/MixedEventAttendanceMode"
            if len(places) == 2
            else "https://schema.org/OnlineEventAttendanceMode"
            if event.online_url
            else "https://schema.org/OfflineEventAttendanceMode"
        )
    if event.fee_is_known:  # an unknown fee (None) is left out rather than said to be 0
        data["isAccessibleForFree"] = event.is_free
        data["offers"] = {
            "@type": "Offer",
            "price": event.fee_yen,
            "priceCurrency": "JPY",
            "url": url,
        }
    if event.capacity:
        data["maximumAttendeeCapacity"] = event.capacity
    return data


def venue_label(event: Event) -> str:
    if event.venue_room_id and event.venue_room is not None:
        return f"{event.venue_room.center.name} {event.venue_room.name}"
    parts = [event.venue_center.name if event.venue_center else "", event.venue_name]
    return " ".join(p for p in parts if p)


def venue_address(event: Event) -> str:
    if event.venue_address:
        return event.venue_address
    center = event.venue_room.center if event.venue_room else event.venue_center
    return center.address if center else ""


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _public_event(pk)
    state = _registration_state(event)
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and state["open"] and form.is_valid():
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
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if registration.status == RegistrationStatus.WAITLISTED:
                messages.info(
                    request,
                    _("The event is full. You are number %(position)s on the waiting list.")
                    % {"position": registration.position},
                )
            else:
                messages.success(request, _("You are registered. We have sent you an e-mail."))
            return redirect(event)
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and not state["open"]:
        status = 409
    context = {
        "event": event,
        "form": form,
        "registration": state,
        "breadcrumbs": [
            (_("Events and courses"), reverse("events:list")),
            (event.title, event.get_absolute_url()),
            (_("Register"), None),
        ],
    }
    return TemplateResponse(request, "events/register.html", context, status=status)


@require_http_methods(["GET", "POST"])
def cancel_registration(request: HttpRequest, token: str) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("event", "event__center", "session"),
        cancel_token=token,
    )
    if request.method == "POST":
        actions.cancel_registration(registration=registration)
        messages.success(request, _("Your registration is cancelled."))
        return redirect("events:cancel_registration", token=token)
    return TemplateResponse(
        request, "events/cancel_registration.html", {"registration": registration}
    )


def center_or_404(slug: str) -> Center:
    center = Center.objects.active().filter(slug=slug).first()
    if center is None:
        raise Http404
    return center


@require_GET
def event_list_csv(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The published events of the network, or of one center, as open data in the
    自治体標準オープンデータセット「イベント一覧」 layout (UTF-8 with BOM)."""
    from kyodo.events.opendata.exporter import events_for_export, export_events

    center = get_object_or_404(Center.objects.active(), slug=slug) if slug else None
    response = HttpResponse(
        export_events(events_for_export(center)), content_type="text/csv; charset=utf-8"
    )
    name = f"event_list_{center.slug}.csv" if center else "event_list.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
