"""What an event asks on registration, who registered (with the waiting list) and the
participants who consented to a history (参加者データベース)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .events import Event, EventSession
from .vocabularies import QuestionKind, RegistrationStatus

# --- Registrations -----------------------------------------------------------------------


class EventQuestion(models.Model):
    """A question the event asks on registration (所属団体名, 託児の希望…)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind of answer"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.TextField(_("choices"), blank=True, help_text=_("One choice per line."))
    required = models.BooleanField(_("required"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def field_name(self) -> str:
        return f"q_{self.pk}"


def new_cancel_token() -> str:
    return secrets.token_urlsafe(24)


class Participant(models.Model):
    """A person across events (参加者データベース), kept only with their consent."""

    email_key = models.CharField(_("e-mail address (normalised)"), max_length=254, unique=True)
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    consented_at = models.DateTimeField(_("consented at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["name_kana", "name"]

    def __str__(self) -> str:
        return self.name


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def holding_a_seat(self) -> RegistrationQuerySet:
        return self.filter(status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED])

    def active(self) -> RegistrationQuerySet:
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def waitlisted(self) -> RegistrationQuerySet:
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("position", "pk")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    session = models.ForeignKey(
        EventSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registrations",
        help_text=_("Set when one registration books one session."),
    )
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"))
    email_key = models.CharField(max_length=254, db_index=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    position = models.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)
    cancel_token = models.CharField(max_length=64, unique=True, default=new_cancel_token)
    consent_to_history = models.BooleanField(_("keep my participation history"), default=False)
    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved off the waiting list at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"

    def get_cancel_url(self) -> str:
        return reverse("events:cancel_registration", kwargs={"token": self.cancel_token})
