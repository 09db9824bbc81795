"""E-mail about reservations: confirmations, decisions, cancellations and reminders."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kyodo.rooms.models import (
    Reservation,
    ReservationStatus,
)
from kyodo.rooms.venues import events_held_in

logger = logging.getLogger(__name__)


def send_reminders(*, on: datetime.date) -> int:
    """Send a reminder for each confirmed reservation starting on ``on`` that has not had
    one; returns how many were sent. Safe to run twice (cron)."""
    sent = 0
    due = (
        Reservation.objects.filter(
            status=ReservationStatus.CONFIRMED, starts_at__date=on, reminder_sent_at__isnull=True
        )
        .select_related("room__center", "organization", "booked_by")
        .order_by("starts_at")
    )
    for reservation in due:
        with transaction.atomic():
            updated = Reservation.objects.filter(
                pk=reservation.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=timezone.now())
            if updated:
                _notify_after_commit(reservation, "reminder")
                sent += 1
    return sent


# --- E-mail ---------------------------------------------------------------------------------

SUBJECTS: dict[str, Callable[[], str]] = {
    "confirmed": lambda: _("Your room reservation is confirmed"),
    "requested": lambda: _("We have received your room reservation request"),
    "approved": lambda: _("Your room reservation has been approved"),
    "denied": lambda: _("Your room reservation request could not be accepted"),
    "cancelled": lambda: _("Your room reservation has been cancelled"),
    "reminder": lambda: _("Reminder: your room reservation tomorrow"),
}


def _send_notice(reservation_id: int, kind: str, events: tuple[str, ...] | None = None) -> None:
    """Send the notice ``kind``; it names the published events held in the reservation
    (``events``, when they were read before a cancellation unlinked them)."""
    reservation = (
        Reservation.objects.select_related("room__center", "organization", "booked_by")
        .filter(pk=reservation_id)
        .first()
    )
    if reservation is None or not reservation.notice_email:
        return
    if events is None:
        events = tuple(e.title for e in events_held_in([reservation.pk], published_only=True))
    language = getattr(reservation.booked_by, "preferred_language", "") or settings.LANGUAGE_CODE
    context = {
        "reservation": reservation,
        "kind": kind,
        "site_url": settings.SITE_URL,
        "starts_at": timezone.localtime(reservation.starts_at),
        "ends_at": timezone.localtime(reservation.ends_at),
        "events": "、".join(f"「{title}」" for title in events),
    }
    with translation.override(language):
        subject = SUBJECTS[kind]()
        body = render_to_string("emails/rooms/notice.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [reservation.notice_email])
    try:
        message.send()
    except Exception:
        logger.exception("Could not send the %s notice of reservation %s", kind, reservation_id)


def _notify_after_commit(
    reservation: Reservation, kind: str, events: tuple[str, ...] | None = None
) -> None:
    transaction.on_commit(partial(_send_notice, reservation.pk, kind, events))
