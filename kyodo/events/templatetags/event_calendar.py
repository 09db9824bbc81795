"""``{% session_link session %}``: one session on the calendar pages (month, week, list).

The month of the whole network draws hundreds of these, so the line is built in Python
rather than from a dozen template lookups and filters per session, and the event pages'
address is reversed once for the page rather than once a session."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kyodo.events.models import EventSession, EventStatus

register = template.Library()

_MARKER = 987654321


def event_url(context: Any, event_id: int) -> str:
    """``Event.get_absolute_url()``, from the address of one event reversed once a page."""
    parts = context.render_context.get("event_calendar.url")
    if parts is None:
        parts = reverse("events:detail", kwargs={"pk": _MARKER}).split(str(_MARKER))
        context.render_context["event_calendar.url"] = parts
    return f"{parts[0]}{event_id}{parts[1]}"


@register.simple_tag(takes_context=True)
def session_link(context: Any, session: EventSession) -> SafeString:
    """The event's title (and the session's) linking to the event page, the times, and a
    badge when the event is cancelled or postponed."""
    event = session.event
    times: SafeString | str = ""
    if session.start_time:
        text = session.start_time.strftime("%H:%M")
        if session.end_time:
            text += "〜" + session.end_time.strftime("%H:%M")
        times = format_html(" <span>{}</span>", text)
    badge: SafeString | str = ""
    if event.status == EventStatus.CANCELLED:
        badge = format_html(' <span class="badge badge--danger">{}</span>', _("Cancelled"))
    elif event.status == EventStatus.POSTPONED:
        badge = format_html(' <span class="badge badge--warning">{}</span>', _("Postponed"))
    return format_html(
        '<a href="{}">{}</a>{}{}',
        event_url(context, session.event_id),
        f"{event.title} {session.title}" if session.title else event.title,
        times,
        badge,
    )
