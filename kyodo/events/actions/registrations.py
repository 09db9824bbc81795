"""Registrations: taking them, the waiting list, cancelling, attendance, their e-mails, and
the participant database kept with consent (参加者データベース)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers.models import Center
from kyodo.events.models import (
    Event,
    EventSession,
    EventStatus,
    Participant,
    Registration,
    RegistrationStatus,
    RegistrationUnit,
)

from ._base import _require, normalise_email

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from kyodo.accounts.models import User


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
        "withdraw_url": (
            settings.SITE_URL + withdraw_consent_url(registration.email_key)
            if registration.participant_id
            else ""
        ),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(_SUBJECTS[kind], context)
        body = render_to_string(f"emails/events/{kind}.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [registration.email])


def participant_history(
    *, by: User, participant: Participant, center: Center, request: HttpRequest | None = None
) -> list[Registration]:
    """A participant's registrations at the events of ``center`` (personal data: audited).

    Staff see the history only at centers where they manage events, and only of people
    who took part in one of that center's events (``PermissionDenied`` otherwise)."""
    _require(by, center)
    if not participant.registrations.filter(event__center=center).exists():
        raise PermissionDenied
    record_event(actor=by, action=Action.READ, target=participant, center=center, request=request)
    return list(
        participant.registrations.filter(event__center=center)
        .select_related("event", "session")
        .order_by("-created_at")
    )


# --- Consent to the participant database ------------------------------------------------

_CONSENT_SALT = "kyodo.events.withdraw-consent"


def withdraw_consent_token(email_key: str) -> str:
    """A signed token naming the person (their normalised e-mail address), for the link in
    their e-mails that withdraws their consent. It does not expire: consent can be
    withdrawn at any time."""
    return signing.dumps(email_key, salt=_CONSENT_SALT, compress=True)


def withdraw_consent_url(email_key: str) -> str:
    return reverse("events:withdraw_consent", kwargs={"token": withdraw_consent_token(email_key)})


def email_key_of_token(token: str) -> str | None:
    """The e-mail address a withdrawal token names, or None when it was not made here."""
    try:
        value = signing.loads(token, salt=_CONSENT_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None


def participant_of(user: User | AnonymousUser | None) -> Participant | None:
    """The participant record of a signed-in person, found by their account's e-mail
    address once it is verified (an unverified address may be someone else's)."""
    if user is None or not user.is_authenticated or not getattr(user, "email_verified_at", None):
        return None
    return Participant.objects.filter(email_key=normalise_email(user.email)).first()


@transaction.atomic
def withdraw_consent(
    *,
    participant: Participant,
    by: User | AnonymousUser | None = None,
    request: HttpRequest | None = None,
) -> int:
    """The person withdraws their consent: their participation history is removed from the
    participant database. Each registration keeps only what the event itself needs (the
    name, contact and answers given for it) and is no longer linked to the others.
    Returns the number of registrations unlinked."""
    unlinked = Registration.objects.filter(participant=participant).update(
        participant=None, consent_to_history=False
    )
    Registration.objects.filter(email_key=participant.email_key, consent_to_history=True).update(
        consent_to_history=False
    )
    pk = participant.pk
    participant.delete()
    record_event(
        actor=by if by is not None and by.is_authenticated else None,
        action=Action.DELETE,
        object_type="events.participant",
        object_id=pk,
        object_repr=f"#{pk}",
        request=request,
        details={"what": "consent_withdrawn", "registrations": unlinked},
    )
    return unlinked
