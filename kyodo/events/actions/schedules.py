"""Dates of events: explicit sessions, and recurring schedules expanded into sessions."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from kyodo.events.models import Event, EventSession
from kyodo.japanese.schedule import Schedule, parse_schedule

# A recurring schedule without an end is expanded for this long.
DEFAULT_SERIES_DAYS = 365
# At most this many sessions come from one phrase (毎日 for years would be absurd).
MAX_SCHEDULE_SESSIONS = 400


@dataclass(frozen=True)
class SessionTimes:
    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    title: str = ""


def series_window(
    starts_on: datetime.date | None, ends_on: datetime.date | None, *, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    start = starts_on or today
    end = ends_on or start + datetime.timedelta(days=DEFAULT_SERIES_DAYS)
    return start, end


def read_schedule(
    text: str, starts_on: datetime.date | None, ends_on: datetime.date | None
) -> tuple[Schedule, datetime.date, datetime.date]:
    start, end = series_window(starts_on, ends_on, today=timezone.localdate())
    return parse_schedule(text, reference=start), start, end


def store_schedule(event: Event) -> None:
    """Read ``event.schedule_text`` and replace its schedule sessions by its occurrences."""
    event.sessions.filter(from_schedule=True).delete()
    if not event.schedule_text:
        event.schedule_reading = event.schedule_rrule = event.schedule_gif_code = ""
        event.schedule_unparsed = []
        return
    schedule, start, end = read_schedule(
        event.schedule_text, event.series_starts_on, event.series_ends_on
    )
    event.schedule_reading = schedule.reading[:500]
    event.schedule_rrule = schedule.rrule_between(start, end) or ""
    event.schedule_gif_code = schedule.gif_code or ""
    event.schedule_unparsed = list(schedule.unparsed)
    occurrences = schedule.occurrences(start, end)[:MAX_SCHEDULE_SESSIONS]
    EventSession.objects.bulk_create(
        [
            EventSession(
                event=event,
                date=item.date,
                start_time=item.start_time,
                end_time=item.end_time,
                from_schedule=True,
            )
            for item in occurrences
        ]
    )


def refresh_event_dates(event: Event) -> None:
    """Set ``starts_on`` / ``ends_on`` from the sessions (call after changing them)."""
    dates = list(
        event.sessions.filter(is_cancelled=False).order_by("date").values_list("date", flat=True)
    )
    event.starts_on = dates[0] if dates else None
    event.ends_on = dates[-1] if dates else None
    Event.objects.filter(pk=event.pk).update(starts_on=event.starts_on, ends_on=event.ends_on)


def replace_explicit_sessions(event: Event, sessions: Sequence[SessionTimes]) -> None:
    wanted = {(s.date, s.start_time, s.end_time): s for s in sessions}
    for session in event.sessions.filter(from_schedule=False):
        key = (session.date, session.start_time, session.end_time)
        if key in wanted:
            given = wanted.pop(key)
            if session.title != given.title:
                session.title = given.title
                session.save(update_fields=["title"])
        elif not session.registrations.exists():
            session.delete()
        else:
            session.is_cancelled = True
            session.save(update_fields=["is_cancelled"])
    EventSession.objects.bulk_create(
        [
            EventSession(
                event=event,
                date=s.date,
                start_time=s.start_time,
                end_time=s.end_time,
                title=s.title,
            )
            for s in wanted.values()
        ]
    )
