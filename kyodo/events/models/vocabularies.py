"""The fixed vocabularies of events (kinds, audiences, statuses…) and the shared
vocabulary of topics (``Topic``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kyodo.centers.models import KATAKANA_READING

# --- Vocabularies ------------------------------------------------------------------------


class EventKind(models.TextChoices):
    TRAINING = "training", _("Training or course")
    SEMINAR = "seminar", _("Seminar")
    EVENT = "event", _("Event")
    CONSULTATION = "consultation", _("Consultation day")
    NETWORKING = "networking", _("Networking meeting")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    CITIZENS = "citizens", _("Citizens")
    NPOS = "npos", _("NPO corporations and civic groups")
    INTERMEDIARIES = "intermediaries", _("Intermediary support organisations")
    COMPANIES = "companies", _("Companies")
    GOVERNMENT = "government", _("Local government")
    CHILDREN = "children", _("Children")
    PARENTS = "parents", _("Parents and carers")
    SENIORS = "seniors", _("Seniors")
    WOMEN = "women", _("Women")
    STUDENTS = "students", _("Students")


class CoHostRole(models.TextChoices):
    CO_ORGANIZER = "co_organizer", _("Co-organiser (共催)")
    SUPPORTER = "supporter", _("Supporter (後援)")
    COOPERATOR = "cooperator", _("Cooperation (協力)")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


class RegistrationUnit(models.TextChoices):
    """What one registration books: the whole event (a course) or one session (a
    consultation day)."""

    EVENT = "event", _("The whole event (all sessions)")
    SESSION = "session", _("One session")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Short answer")
    TEXTAREA = "textarea", _("Long answer")
    CHOICE = "choice", _("One of several choices")
    CHECKBOX = "checkbox", _("Yes / no")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")


class Decision(models.TextChoices):
    ADJUSTED = "adjusted", _("We adjusted the date or content")
    KEPT = "kept", _("We keep both as they are")
    NOT_A_CLASH = "not_a_clash", _("Not a clash")


# --- Topics --------------------------------------------------------------------------------


class Topic(models.Model):
    """A topic of the shared vocabulary (NPO会計, 子育て, 防災…)."""

    name = models.CharField(_("topic"), max_length=60, unique=True)
    name_kana = models.CharField(
        _("topic (kana)"), max_length=120, blank=True, validators=[KATAKANA_READING]
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name_kana", "name"]

    def __str__(self) -> str:
        return self.name
