"""Coordination warnings: a possible clash between two events and what staff decided."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .events import Event
from .vocabularies import Decision

# --- Coordination -------------------------------------------------------------------------


class CoordinationWarning(models.Model):
    """``other_event`` may clash with ``event`` (same audience, similar content, close
    dates). Found when ``event`` is saved; staff of ``event``'s center see it and decide."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="warnings")
    other_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("coordination warning")
        verbose_name_plural = _("coordination warnings")
        ordering = ["-score"]
        # The decided warnings, which are few: the network report shows their decisions.
        indexes = [models.Index(fields=["decision", "event"], name="warning_decided")]
        constraints = [
            models.UniqueConstraint(fields=["event", "other_event"], name="warning_once"),
            models.CheckConstraint(
                condition=~Q(event=models.F("other_event")), name="warning_not_with_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} ↔ {self.other_event}"


class EventClash(models.Model):
    """A clashing pair of events, stored once (the lower id first) with its score.

    ``kyodo.events.coordination.refresh_clashes`` stores an event's pairs again whenever
    it is saved or changes status (``actions.find_warnings``, ``change_event_status``),
    and ``rebuild_clashes`` stores every pair after a bulk load that did not go through
    the actions. The network report counts and ranks these rows instead of comparing a
    fiscal year's events with each other again. A cancelled event has no pairs."""

    first = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    # The later of the two events' first days and the earlier of their last days, written
    # with the pair: both events run in a period when these fall in it, which the network
    # report of a fiscal year counts from the index ``clash_period`` alone.
    latest_start = models.DateField(_("later first day"), null=True)
    earliest_end = models.DateField(_("earlier last day"), null=True)

    class Meta:
        verbose_name = _("clashing pair of events")
        verbose_name_plural = _("clashing pairs of events")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="clash_once"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="clash_lower_id_first"
            ),
        ]
        indexes = [
            models.Index(fields=["second"], name="clash_second"),
            models.Index(fields=["-score", "first", "second"], name="clash_best_first"),
            models.Index(fields=["latest_start", "earliest_end"], name="clash_period"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ↔ {self.second_id} ({self.score})"
