"""iCalendar feeds (network, per center, per organization, per search) and the Atom feed.

Each session of a public event is one VEVENT (UID ``session-<id>@<host>``), so that a
recurring consultation day shows its real days, holidays and exceptions included, in
every calendar client. Cancelled events are sent with STATUS:CANCELLED.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kyodo.events.forms import EventFilterForm
from kyodo.events.models import Event, EventSession, EventStatus
from kyodo.events.views.public import center_or_404, venue_label

FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 365


def _host() -> str:
    return urlparse(settings.SITE_URL).hostname or "kyodo"


def build_calendar(name: str, sessions: Any) -> bytes:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Kyodo//Events//JA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    host = _host()
    for session in sessions:
        event = session.event
        item = icalendar.Event()
        item.add("uid", f"session-{session.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("summary", f"{event.title} {session.title}" if session.title else event.title)
        if session.start_time:
            item.add("dtstart", session.starts_at)
            item.add("dtend", session.ends_at or session.starts_at + datetime.timedelta(hours=1))
        else:
            item.add("dtstart", session.date)
            item.add("dtend", session.date + datetime.timedelta(days=1))
        item.add("url", settings.SITE_URL + event.get_absolute_url())
        description = event.summary or event.description
        if description:
            item.add("description", description[:2000])
        location = venue_label(event) or event.venue_address or event.online_url
        if location:
            item.add("location", location)
        item.add(
            "organizer",
            f"mailto:{event.contact_email or 'no-reply@' + host}",
            parameters={"cn": event.center.name},
        )
        if event.status == EventStatus.CANCELLED:
            item.add("status", "CANCELLED")
        else:
            item.add("status", "CONFIRMED")
        item.add("last-modified", event.updated_at)
        cal.add_component(item)
    return bytes(cal.to_ical())


def _window() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return (
        today - datetime.timedelta(days=FEED_PAST_DAYS),
        today + datetime.timedelta(days=FEED_FUTURE_DAYS),
    )


def _sessions(events: Any) -> Any:
    start, end = _window()
    return (
        EventSession.objects.between(start, end)
        .filter(event__in=events, is_cancelled=False)
        .select_related(
            "event", "event__center", "event__venue_room__center", "event__venue_center"
        )
        .order_by("date", "start_time")
    )


def _ics_response(name: str, sessions: Any, filename: str) -> HttpResponse:
    response = HttpResponse(
        build_calendar(name, sessions), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def network_ics(request: HttpRequest) -> HttpResponse:
    """The network's calendar, or a search (the calendar filters as query parameters)."""
    form = EventFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    events = form.filter_events(Event.objects.published())
    data = form.data_or_empty
    sessions = _sessions(events)
    if data.get("date_from"):
        sessions = sessions.filter(date__gte=data["date_from"])
    if data.get("date_to"):
        sessions = sessions.filter(date__lte=data["date_to"])
    name = _("Kyodo events") if not form.is_filtered else _("Kyodo events (search)")
    return _ics_response(name, sessions, "kyodo-events.ics")


@require_GET
def center_ics(request: HttpRequest, slug: str) -> HttpResponse:
    center = center_or_404(slug)
    events = Event.objects.published().on_calendar_of(center)
    return _ics_response(center.name, _sessions(events), f"{center.slug}.ics")


@require_GET
def organization_ics(request: HttpRequest, pk: int) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    from kyodo.organizations.models import Organization

    organization = get_object_or_404(Organization, pk=pk)
    events = Event.objects.published().hosted_by_organization(organization.pk)
    return _ics_response(organization.name, _sessions(events), f"organization-{pk}.ics")


class LatestEventsFeed(Feed):
    """Atom: the latest published events of the network."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Kyodo: events and courses")

    def link(self) -> str:
        from django.urls import reverse

        return reverse("events:list")

    def subtitle(self) -> str:
        return _("New events and courses of the civic-activity support centers.")

    def items(self) -> Any:
        return (
            Event.objects.published()
            .filter(ends_on__gte=timezone.localdate())
            .select_related("center")
            .order_by("-published_at", "-pk")[:50]
        )

    def item_title(self, item: Event) -> str:
        return item.title

    def item_description(self, item: Event) -> str:
        return item.summary or item.description[:500]

    def item_pubdate(self, item: Event) -> datetime.datetime:
        return item.published_at or item.created_at

    def item_updateddate(self, item: Event) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Event) -> str:
        return item.center.name
