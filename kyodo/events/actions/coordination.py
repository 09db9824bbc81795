"""Coordination between centers: comparing events and keeping the warnings staff decide on."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.events import coordination
from kyodo.events.models import (
    CoordinationWarning,
    Decision,
    Event,
    EventAudience,
    EventSession,
    EventStatus,
)

from ._base import _require

if TYPE_CHECKING:
    from kyodo.accounts.models import User


def features_of(events: Iterable[Event]) -> list[coordination.Features]:
    """Comparison features of events, in three queries (audiences, topics, dates)."""
    items = list(events)
    ids = [e.pk for e in items]
    audiences: dict[int, set[str]] = {}
    for event_id, code in EventAudience.objects.filter(event_id__in=ids).values_list(
        "event_id", "audience"
    ):
        audiences.setdefault(event_id, set()).add(code)
    topics: dict[int, set[str]] = {}
    through = Event.topics.through
    for event_id, name in through.objects.filter(event_id__in=ids).values_list(
        "event_id", "topic__name"
    ):
        topics.setdefault(event_id, set()).add(name)
    dates: dict[int, set[datetime.date]] = {}
    for event_id, day in EventSession.objects.filter(
        event_id__in=ids, is_cancelled=False
    ).values_list("event_id", "date"):
        dates.setdefault(event_id, set()).add(day)
    return [
        coordination.Features.build(
            key=e.pk,
            title=e.title,
            audiences=audiences.get(e.pk, ()),
            topics=topics.get(e.pk, ()),
            dates=dates.get(e.pk, ()),
            center=e.center_id,
            kind=e.kind,
        )
        for e in items
    ]


def _candidates(event: Event) -> list[Event]:
    if event.starts_on is None or event.ends_on is None:
        return []
    window = datetime.timedelta(days=coordination.WINDOW_DAYS)
    candidates = (
        Event.objects.exclude(pk=event.pk)
        .exclude(status=EventStatus.CANCELLED)
        .filter(starts_on__lte=event.ends_on + window, ends_on__gte=event.starts_on - window)
    )
    audiences = list(event.audiences.values_list("audience", flat=True))
    if audiences:
        # Events for other audiences cannot clash (see coordination); events without any
        # audience are compared on content and dates alone.
        candidates = candidates.exclude(
            Q(audiences__isnull=False)
            & ~Q(pk__in=EventAudience.objects.filter(audience__in=audiences).values("event_id"))
        )
    return list(candidates.distinct().only("pk", "title", "center_id", "kind"))


@transaction.atomic
def find_warnings(event: Event) -> list[CoordinationWarning]:
    """Compare ``event`` with the other events near its dates and keep a warning per clash.

    Warnings already decided keep their decision; those that no longer apply and were
    never decided are removed."""
    others = _candidates(event)
    found: dict[int, coordination.Match] = {}
    if others:
        mine, *theirs = features_of([event, *others])
        found = {int(o.key): m for o, m in coordination.clashes_with(mine, theirs)}
    event.warnings.exclude(other_event_id__in=found).filter(decision="").delete()
    existing = {w.other_event_id: w for w in event.warnings.all()}
    for other_id, match in found.items():
        warning = existing.get(other_id)
        if warning is None:
            CoordinationWarning.objects.create(
                event=event, other_event_id=other_id, score=match.score, reasons=match.reasons()
            )
        else:
            warning.score, warning.reasons = match.score, match.reasons()
            warning.save(update_fields=["score", "reasons"])
    return list(
        event.warnings.filter(other_event_id__in=found)
        .select_related("other_event", "other_event__center")
        .order_by("-score")
    )


@transaction.atomic
def mark_warnings_seen(*, by: User, event: Event) -> None:
    _require(by, event.center)
    event.warnings.filter(seen_at__isnull=True).update(seen_by=by, seen_at=timezone.now())


@transaction.atomic
def decide_warning(
    *, by: User, warning: CoordinationWarning, decision: str, note: str = ""
) -> None:
    _require(by, warning.event.center)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose what you decided.")})
    now = timezone.now()
    warning.decision, warning.note = decision, note
    warning.decided_by, warning.decided_at = by, now
    if warning.seen_at is None:
        warning.seen_by, warning.seen_at = by, now
    warning.save()
