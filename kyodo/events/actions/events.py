"""Saving, publishing and cancelling events; cross-posting; co-hosts and the questions an
event asks on registration."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers.models import Center
from kyodo.events import coordination
from kyodo.events.models import (
    CoordinationWarning,
    CrossPosting,
    Event,
    EventStatus,
)

from ._base import _require
from .coordination import find_warnings
from .schedules import (
    SessionTimes,
    refresh_event_dates,
    replace_explicit_sessions,
    store_schedule,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User


# --- Events ------------------------------------------------------------------------------


@transaction.atomic
def save_event(
    *,
    by: User,
    event: Event,
    sessions: Sequence[SessionTimes] = (),
    audiences: Iterable[str] = (),
    topics: Iterable[Any] = (),
    request: HttpRequest | None = None,
) -> list[CoordinationWarning]:
    """Create or update ``event`` (a form's unsaved instance) with its explicit sessions or
    its recurring schedule, audiences and topics; returns the coordination warnings."""
    _require(by, event.center)
    if event.schedule_text and sessions:
        raise ValidationError(_("Give either dates and times or a recurring schedule, not both."))
    creating = event.pk is None
    if creating:
        event.created_by = by
    event.save()
    replace_explicit_sessions(event, sessions)
    store_schedule(event)
    event.save(
        update_fields=[
            "schedule_reading",
            "schedule_rrule",
            "schedule_gif_code",
            "schedule_unparsed",
        ]
    )
    refresh_event_dates(event)
    event.set_audiences(list(audiences))
    event.topics.set(list(topics))
    record_event(
        actor=by,
        action=Action.CREATE if creating else Action.UPDATE,
        target=event,
        center=event.center,
        request=request,
    )
    return find_warnings(event)


@transaction.atomic
def publish_event(*, by: User, event: Event, request: HttpRequest | None = None) -> None:
    """Publish a draft. Every coordination warning must have a decision first."""
    _require(by, event.center)
    if not event.sessions.filter(is_cancelled=False).exists():
        raise ValidationError(_("Add at least one date before publishing."))
    if event.schedule_unparsed and not event.schedule_confirmed:
        raise ValidationError(
            _("Correct the parts of the schedule the system did not understand first.")
        )
    if event.warnings.filter(decision="").exists():
        raise ValidationError(_("Look at the possible clashes and decide on each first."))
    event.status = EventStatus.PUBLISHED
    event.published_at = event.published_at or timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    record_event(
        actor=by,
        action=Action.UPDATE,
        target=event,
        center=event.center,
        request=request,
        details={"status": EventStatus.PUBLISHED},
    )


@transaction.atomic
def change_event_status(
    *, by: User, event: Event, status: str, note: str = "", request: HttpRequest | None = None
) -> None:
    """Cancel or postpone a published event (or take it back to draft)."""
    _require(by, event.center)
    if status not in EventStatus.values:
        raise ValidationError(_("Choose a status."))
    event.status = status
    event.status_note = note
    event.save(update_fields=["status", "status_note", "updated_at"])
    # A cancelled event clashes with nothing; one taken back from cancelled clashes again.
    coordination.refresh_clashes(event)
    record_event(
        actor=by,
        action=Action.UPDATE,
        target=event,
        center=event.center,
        request=request,
        details={"status": status},
    )


# --- Cross-posting ------------------------------------------------------------------------


@transaction.atomic
def cross_post_event(*, by: User, event: Event, center: Center) -> CrossPosting:
    """Show another center's published event on ``center``'s calendar (相互掲載)."""
    _require(by, center)
    if event.center_id == center.pk:
        raise ValidationError(_("This is already one of your center's events."))
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Only published events can be posted on another calendar."))
    posting, _created = CrossPosting.objects.get_or_create(
        event=event, center=center, defaults={"posted_by": by}
    )
    return posting


@transaction.atomic
def remove_cross_posting(*, by: User, event: Event, center: Center) -> None:
    _require(by, center)
    CrossPosting.objects.filter(event=event, center=center).delete()
