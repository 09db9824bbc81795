"""Operations on events, registrations and coordination warnings.

Each operation checks the acting person's permission through ``kyodo.centers.access``
(``PermissionDenied``), validates (``ValidationError`` with a message for the person),
works in one transaction and sends e-mail in ``transaction.on_commit``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.centers.models import Center
from kyodo.events import coordination
from kyodo.events.models import (
    CoordinationWarning,
    CrossPosting,
    Decision,
    Event,
    EventSession,
    EventStatus,
    Participant,
    Registration,
    RegistrationStatus,
    RegistrationUnit,
)
from kyodo.japanese.schedule import Schedule, parse_schedule

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from kyodo.accounts.models import User

# A recurring schedule without an end is expanded for this long.
DEFAULT_SERIES_DAYS = 365
# At most this many sessions come from one phrase (毎日 for years would be absurd).
MAX_SCHEDULE_SESSIONS = 400


def _require(by: User | AnonymousUser | None, center: Center | int) -> None:
    if not access.can(by, Permission.MANAGE_EVENTS, center):
        raise PermissionDenied


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- Schedules and sessions ----------------------------------------------------------------


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


# --- Coordination -------------------------------------------------------------------------


def features_of(events: Iterable[Event]) -> list[coordination.Features]:
    """Comparison features of events, in three queries (audiences, topics, dates)."""
    from kyodo.events.models import EventAudience

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
    from kyodo.events.models import EventAudience

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


# --- Registrations ------------------------------------------------------------------------


class RegistrationRefused(ValidationError):
    """A registration that cannot be taken (closed, full, twice)."""


def seats_taken(event: Event, session: EventSession | None) -> int:
    return Registration.objects.filter(event=event, session=session).holding_a_seat().count()


@transaction.atomic
def register_for_event(
    *,
    event: Event,
    session: EventSession | None,
    name: str,
    email: str,
    name_kana: str = "",
    phone: str = "",
    answers: dict[str, Any] | None = None,
    consent_to_history: bool = False,
    user: User | AnonymousUser | None = None,
) -> Registration:
    """Register a person. The event row is locked for the length of the transaction so that
    two people cannot both take the last seat (on SQLite the IMMEDIATE transaction already
    serialises writers)."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    now = timezone.now()
    if locked.status != EventStatus.PUBLISHED or not locked.accepts_registrations:
        raise RegistrationRefused(_("This event does not take registrations."), code="closed")
    if not locked.applications_open_at(now):
        if locked.application_opens_at and now < locked.application_opens_at:
            raise RegistrationRefused(_("Applications are not open yet."), code="not_open")
        raise RegistrationRefused(_("Applications for this event have closed."), code="closed")
    if locked.registration_unit == RegistrationUnit.SESSION:
        if session is None or session.event_id != locked.pk or session.is_cancelled:
            raise RegistrationRefused(_("Choose one of the dates."), code="session")
        if session.date < timezone.localdate():
            raise RegistrationRefused(_("This date has passed."), code="closed")
    else:
        session = None
        if locked.ends_on and locked.ends_on < timezone.localdate():
            raise RegistrationRefused(_("This event has ended."), code="closed")
    key = normalise_email(email)
    if Registration.objects.filter(event=locked, session=session, email_key=key).active().exists():
        raise RegistrationRefused(
            _("This e-mail address is already registered for this event."), code="twice"
        )
    status = RegistrationStatus.CONFIRMED
    position = None
    if locked.capacity is not None and seats_taken(locked, session) >= locked.capacity:
        if not locked.has_waiting_list:
            raise RegistrationRefused(_("This event is full."), code="full")
        status = RegistrationStatus.WAITLISTED
        last = Registration.objects.filter(event=locked, session=session).aggregate(
            last=Max("position")
        )["last"]
        position = (last or 0) + 1
    participant = None
    if consent_to_history:
        participant, _created = Participant.objects.update_or_create(
            email_key=key,
            defaults={"email": email.strip(), "name": name, "name_kana": name_kana, "phone": phone},
        )
    registration = Registration.objects.create(
        event=locked,
        session=session,
        name=name,
        name_kana=name_kana,
        email=email.strip(),
        email_key=key,
        phone=phone,
        answers=answers or {},
        status=status,
        position=position,
        consent_to_history=consent_to_history,
        participant=participant,
        user=user if user is not None and user.is_authenticated else None,
        created_at=now,
    )
    transaction.on_commit(partial(_send_registration_mail, registration.pk, "registered"))
    return registration


@transaction.atomic
def cancel_registration(
    *, registration: Registration, by: User | None = None, request: HttpRequest | None = None
) -> Registration | None:
    """Cancel a registration (by its holder through the link, or by staff). When it held a
    seat, the first person on the waiting list takes it and is told by e-mail; returns
    that registration."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    if by is not None:
        _require(by, event.center)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return None
    held_a_seat = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.position = None
    registration.save(update_fields=["status", "cancelled_at", "position"])
    if by is not None:
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=registration,
            center=event.center,
            request=request,
            details={"status": RegistrationStatus.CANCELLED},
        )
    transaction.on_commit(partial(_send_registration_mail, registration.pk, "cancelled"))
    if not held_a_seat:
        return None
    return _promote_first(event, registration.session)


def _promote_first(event: Event, session: EventSession | None) -> Registration | None:
    if event.capacity is not None and seats_taken(event, session) >= event.capacity:
        return None
    first = Registration.objects.filter(event=event, session=session).waitlisted().first()
    if first is None:
        return None
    first.status = RegistrationStatus.CONFIRMED
    first.position = None
    first.promoted_at = timezone.now()
    first.save(update_fields=["status", "position", "promoted_at"])
    transaction.on_commit(partial(_send_registration_mail, first.pk, "promoted"))
    return first


@transaction.atomic
def mark_attendance(
    *, by: User, registration: Registration, attended: bool, request: HttpRequest | None = None
) -> None:
    _require(by, registration.event.center)
    if registration.status not in (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED):
        raise ValidationError(_("Only confirmed registrations can be marked as attended."))
    registration.status = RegistrationStatus.ATTENDED if attended else RegistrationStatus.CONFIRMED
    registration.save(update_fields=["status"])
    record_event(
        actor=by,
        action=Action.UPDATE,
        target=registration,
        center=registration.event.center,
        request=request,
        details={"status": registration.status},
    )


_SUBJECTS = {
    "registered": "emails/events/registered_subject.txt",
    "cancelled": "emails/events/cancelled_subject.txt",
    "promoted": "emails/events/promoted_subject.txt",
}


def _send_registration_mail(registration_id: int, kind: str) -> None:
    registration = (
        Registration.objects.select_related("event", "event__center", "session")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return
    context = {
        "registration": registration,
        "event": registration.event,
        "site_url": settings.SITE_URL,
        "cancel_url": settings.SITE_URL + registration.get_cancel_url(),
        "event_url": settings.SITE_URL + registration.event.get_absolute_url(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(_SUBJECTS[kind], context)
        body = render_to_string(f"emails/events/{kind}.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [registration.email])


def participant_history(
    *, by: User, participant: Participant, center: Center, request: HttpRequest | None = None
) -> list[Registration]:
    """A participant's registrations at the events of ``center`` (personal data: audited).

    Staff see the history only at centers where they manage events."""
    _require(by, center)
    record_event(actor=by, action=Action.READ, target=participant, center=center, request=request)
    return list(
        participant.registrations.filter(event__center=center)
        .select_related("event", "session")
        .order_by("-created_at")
    )
