"""Events, their audiences, co-hosts (共催・後援・協力), dated sessions and cross-postings
(相互掲載); ``EventQuerySet.on_calendar_of`` is the one rule of a center's calendar."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.events.coordination import bigram_text
from kyodo.japanese.fiscal_year import fiscal_year_of

from .vocabularies import Audience, CoHostRole, EventKind, EventStatus, RegistrationUnit, Topic

if TYPE_CHECKING:
    from kyodo.centers.models import Center


# --- Events --------------------------------------------------------------------------------


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> EventQuerySet:
        """Events the public sees: published, cancelled and postponed ones (a cancelled
        event stays on the calendar, marked, so that people who planned to come know)."""
        return self.exclude(status=EventStatus.DRAFT).filter(center__is_active=True)

    def hidden_ids(self) -> models.QuerySet[Event, dict[str, Any]]:
        """The ids of the events the public does not see: drafts and the events of inactive
        centers (the complement of ``published()``). A union of two indexed lookups, small
        enough to leave out of a range of sessions ("not one of these")."""
        drafts = self.filter(status=EventStatus.DRAFT).order_by().values("pk")
        # By the ids of the inactive centers (usually none) rather than a join, which would
        # read every event to look at its center.
        from kyodo.centers.models import Center

        inactive = Center.objects.filter(is_active=False).values("pk")
        closed = self.filter(center_id__in=inactive).order_by().values("pk")
        return drafts.union(closed)

    def on_calendar_of(self, center: Center | int) -> EventQuerySet:
        """Events a center shows: its own, those it cross-posts (相互掲載) and those it
        co-hosts as a center (共催・後援・協力). The one rule of a center's calendar: the
        calendar pages, the per-center feed and the API's ``center`` filter all use it."""
        center_id = center if isinstance(center, int) else center.pk
        # A union of three indexed lookups (an OR of them would read every event).
        own = Event.objects.filter(center_id=center_id).order_by().values("pk")
        posted = CrossPosting.objects.filter(center_id=center_id).order_by().values("event_id")
        cohosted = EventCoHost.objects.filter(center_id=center_id).order_by().values("event_id")
        return self.filter(pk__in=own.union(posted, cohosted))

    def with_audience(self, audience: str) -> EventQuerySet:
        return self.filter(
            pk__in=EventAudience.objects.filter(audience=audience).values("event_id")
        )

    def with_topic(self, topic: Topic | int) -> EventQuerySet:
        return self.filter(topics=topic)

    def matching(self, text: str) -> EventQuerySet:
        query = Q()
        for word in text.split():
            query &= (
                Q(title__icontains=word)
                | Q(title_kana__icontains=word)
                | Q(description__icontains=word)
                | Q(venue_name__icontains=word)
            )
        return self.filter(query)

    def hosted_by_organization(self, organization_id: int) -> EventQuerySet:
        return self.filter(
            pk__in=EventCoHost.objects.filter(organization_id=organization_id).values("event_id")
        )


class Event(models.Model):
    center = models.ForeignKey(
        "centers.Center",
        verbose_name=_("organising center"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.TRAINING
    )
    title = models.CharField(_("title"), max_length=200)
    title_kana = models.CharField(_("title (kana)"), max_length=300, blank=True)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two sentences.")
    )
    description = models.TextField(_("description"), blank=True)
    audience_note = models.CharField(
        _("who it is for"),
        max_length=300,
        blank=True,
        help_text=_("As written in the announcement, e.g. 市内で活動するNPO法人の会計担当者."),
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)

    # Venue: a room of a center, or a center and/or an address; and/or online.
    venue_room = models.ForeignKey(
        "rooms.Room",
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    venue_center = models.ForeignKey(
        "centers.Center",
        verbose_name=_("venue center"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_events",
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    access_info = models.TextField(_("how to get there"), blank=True)
    online_url = models.URLField(_("online URL"), blank=True)
    url = models.URLField(_("web page"), blank=True)
    image_url = models.URLField(_("image URL"), blank=True)

    # Schedule: explicit sessions, or a recurring phrase expanded within a window.
    schedule_text = models.CharField(
        _("recurring schedule"),
        max_length=300,
        blank=True,
        help_text=_("In Japanese, e.g. 毎月第2、第4水曜日 13:15～15:45."),
    )
    schedule_reading = models.CharField(_("reading of the schedule"), max_length=500, blank=True)
    schedule_rrule = models.TextField(_("RRULE"), blank=True)
    schedule_gif_code = models.CharField(_("GIF date code"), max_length=40, blank=True)
    schedule_unparsed = models.JSONField(_("parts not understood"), default=list, blank=True)
    schedule_confirmed = models.BooleanField(
        _("the reading was checked"),
        default=False,
        help_text=_(
            "Staff confirmed the reading although parts of the phrase were not understood."
        ),
    )
    series_starts_on = models.DateField(_("series from"), null=True, blank=True)
    series_ends_on = models.DateField(_("series until"), null=True, blank=True)
    schedule_note = models.CharField(
        _("note on dates and times"),
        max_length=300,
        blank=True,
        help_text=_("E.g. 受付は開始30分前から."),
    )
    # Denormalised from the sessions, for range queries and the coordination check.
    starts_on = models.DateField(_("first day"), null=True, blank=True, db_index=True)
    ends_on = models.DateField(_("last day"), null=True, blank=True, db_index=True)
    # Denormalised from the title by ``save()``: the words the coordination check compares
    # (``coordination.bigram_text``), read with the event instead of computed again.
    title_bigrams = models.TextField(_("title bigrams"), blank=True, editable=False)
    # Denormalised by ``coordination.refresh_clashes`` whenever the event's pairs are stored:
    # its title bigrams, topics, audiences and the months of its sessions as one list of
    # terms (``coordination.clash_terms``), indexed for the clash check (migration 0007).
    clash_terms = models.TextField(_("clash terms"), blank=True, editable=False)

    # Registration
    accepts_registrations = models.BooleanField(_("takes registrations"), default=True)
    registration_unit = models.CharField(
        _("one registration books"),
        max_length=10,
        choices=RegistrationUnit.choices,
        default=RegistrationUnit.EVENT,
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty when there is no limit.")
    )
    has_waiting_list = models.BooleanField(_("waiting list when full"), default=True)
    fee_yen = models.PositiveIntegerField(
        _("fee (yen)"),
        null=True,
        blank=True,
        default=0,
        help_text=_("0 means free of charge; leave empty when the fee is not known."),
    )
    fee_details = models.CharField(_("fee details"), max_length=300, blank=True)
    application_opens_at = models.DateTimeField(_("applications open"), null=True, blank=True)
    application_closes_at = models.DateTimeField(_("applications close"), null=True, blank=True)
    how_to_apply = models.TextField(_("how to apply"), blank=True)

    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    accessibility_notes = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("E.g. 手話通訳あり, 車いすで入れます, 託児あり (要予約)."),
    )

    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    status_note = models.CharField(
        _("note on the status"),
        max_length=300,
        blank=True,
        help_text=_("Why it was cancelled or postponed, and the new date if known."),
    )
    # Where the record came from when imported (open data), to update it on re-import.
    source = models.CharField(_("source"), max_length=60, blank=True)
    external_id = models.CharField(_("identifier at the source"), max_length=100, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(series_ends_on__isnull=True)
                | Q(series_starts_on__isnull=True)
                | Q(series_ends_on__gte=models.F("series_starts_on")),
                name="event_series_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(application_closes_at__isnull=True)
                | Q(application_opens_at__isnull=True)
                | Q(application_closes_at__gte=models.F("application_opens_at")),
                name="event_applications_close_after_open",
            ),
        ]
        indexes = [
            models.Index(fields=["source", "external_id"]),
            # Drafts to leave out of the public calendar; a center's events by status.
            models.Index(fields=["status", "center"], name="event_status_center"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title_bigrams = bigram_text(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_bigrams"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"pk": self.pk})

    @property
    def is_free(self) -> bool:
        return self.fee_yen == 0

    @property
    def fee_is_known(self) -> bool:
        return self.fee_yen is not None

    @property
    def is_recurring(self) -> bool:
        return bool(self.schedule_text)

    @property
    def is_public(self) -> bool:
        return self.status != EventStatus.DRAFT

    @property
    def fiscal_year(self) -> int | None:
        return fiscal_year_of(self.starts_on) if self.starts_on else None

    @property
    def audience_codes(self) -> list[str]:
        return [a.audience for a in self.audiences.all()]

    @property
    def audience_labels(self) -> list[str]:
        codes = set(self.audience_codes)
        return [str(label) for code, label in Audience.choices if code in codes]

    def set_audiences(self, codes: list[str] | set[str]) -> None:
        wanted = set(codes)
        current = set(self.audiences.values_list("audience", flat=True))
        self.audiences.exclude(audience__in=wanted).delete()
        EventAudience.objects.bulk_create(
            [EventAudience(event=self, audience=code) for code in sorted(wanted - current)]
        )

    def applications_open_at(self, moment: datetime.datetime) -> bool:
        if self.application_opens_at and moment < self.application_opens_at:
            return False
        return not (self.application_closes_at and moment > self.application_closes_at)


class EventAudience(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="audiences")
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        constraints = [
            models.UniqueConstraint(fields=["event", "audience"], name="event_audience_once")
        ]
        indexes = [models.Index(fields=["audience", "event"], name="event_audience_lookup")]

    def __str__(self) -> str:
        return self.get_audience_display()


class EventCoHost(models.Model):
    """A center or an organization that co-organises, supports or cooperates."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="cohosts")
    center = models.ForeignKey(
        "centers.Center",
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cohosted_events",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cohosted_events",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=CoHostRole.choices, default=CoHostRole.CO_ORGANIZER
    )

    class Meta:
        verbose_name = _("co-host")
        verbose_name_plural = _("co-hosts")
        constraints = [
            models.CheckConstraint(
                condition=(Q(center__isnull=False) & Q(organization__isnull=True))
                | (Q(center__isnull=True) & Q(organization__isnull=False)),
                name="cohost_is_center_or_organization",
            ),
            models.UniqueConstraint(fields=["event", "center"], name="cohost_center_once"),
            models.UniqueConstraint(
                fields=["event", "organization"], name="cohost_organization_once"
            ),
        ]

    def __str__(self) -> str:
        host = self.center or self.organization
        return f"{host} ({self.get_role_display()})"


class EventSessionQuerySet(models.QuerySet["EventSession"]):
    def between(self, start: datetime.date, end: datetime.date) -> EventSessionQuerySet:
        """Sessions that start from ``start`` to ``end`` (both included, local dates)."""
        return self.filter(date__gte=start, date__lte=end)

    def public(self) -> EventSessionQuerySet:
        """Sessions the public calendar shows: not cancelled, of a published (or cancelled or
        postponed) event of an active center.

        Written as "not one of the hidden events" so that a range of dates is read from the
        ``session_calendar`` index alone, without reading each session's event."""
        return self.filter(is_cancelled=False).exclude(event__in=Event.objects.hidden_ids())

    def in_calendar_order(self) -> EventSessionQuerySet:
        """By day, all-day sessions first, then by start time (the ``session_calendar``
        index order, so that a page of the calendar stops reading early)."""
        return self.order_by("date", models.F("start_time").asc(nulls_first=True), "pk")


class EventSession(models.Model):
    """One dated occurrence of an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    title = models.CharField(
        _("session title"), max_length=200, blank=True, help_text=_("E.g. 第1回 事業計画.")
    )
    from_schedule = models.BooleanField(_("from the recurring schedule"), default=False)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    # The room reservation this session takes place in (a reservation as an event's venue).
    reservation = models.ForeignKey(
        "rooms.Reservation",
        verbose_name=_("room reservation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_sessions",
    )

    objects = EventSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "date"]),
            # The calendar: a range of days in display order, covering what the month page,
            # the API and the coordination check need to pick sessions without reading rows.
            models.Index(
                fields=["date", "start_time", "id", "event", "is_cancelled"],
                name="session_calendar",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.title} {self.date.isoformat()}"

    @property
    def starts_at(self) -> datetime.datetime:
        tz = timezone.get_current_timezone()
        return datetime.datetime.combine(self.date, self.start_time or datetime.time(0), tz)

    @property
    def ends_at(self) -> datetime.datetime | None:
        if self.end_time is None:
            return None
        tz = timezone.get_current_timezone()
        return datetime.datetime.combine(self.date, self.end_time, tz)

    @property
    def is_all_day(self) -> bool:
        return self.start_time is None


class CrossPosting(models.Model):
    """``center`` shows ``event`` (of another center) on its calendar (相互掲載)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="cross_postings")
    center = models.ForeignKey(
        "centers.Center", on_delete=models.CASCADE, related_name="cross_postings"
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("cross-posting")
        verbose_name_plural = _("cross-postings")
        constraints = [
            models.UniqueConstraint(fields=["event", "center"], name="cross_posting_once")
        ]

    def __str__(self) -> str:
        return f"{self.event} @ {self.center}"
