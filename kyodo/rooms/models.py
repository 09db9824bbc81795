"""Rooms and spaces of the centers (貸室) and their reservations (予約).

- ``Room``: a bookable room or space of a center, with its opening hours and closed days
  written as staff write them (read by ``kyodo.japanese.schedule``), its booking window,
  who may book it, its parts when it combines smaller rooms (集会室A・B, ホール全面), and
  its fees (``FeeRule`` rows: by 区分, by the hour or by コマ).
- ``Reservation``: one booking of a room, possibly one occurrence of a
  ``ReservationSeries`` (毎月第2火曜日 13:00～16:00). Never two active reservations of a
  room, or of a room and one of its parts or wholes, at overlapping times: every booking
  goes through ``actions.book_room``, which serialises bookings of the rooms involved (see
  that module).
- ``Referral`` (相互あっせん): a group sent to a partner center's room when the wanted
  room was taken.
- ``CenterRoomSettings``: per center, the basis of the occupancy rate (稼働率).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from kyodo.centers.models import Center
    from kyodo.organizations.models import Organization


class Equipment(models.TextChoices):
    """Equipment a room offers, a shared vocabulary for search and referral."""

    PROJECTOR = "projector", _("Projector")
    SCREEN = "screen", _("Screen")
    WHITEBOARD = "whiteboard", _("Whiteboard")
    MICROPHONE = "microphone", _("Microphone and speakers")
    WIFI = "wifi", _("Wi-Fi")
    KITCHEN = "kitchen", _("Kitchen")
    PIANO = "piano", _("Piano")
    PRINTER = "printer", _("Printer and copier")
    TATAMI = "tatami", _("Tatami floor")
    ACCESSIBLE = "accessible", _("Step-free access")


class Eligibility(models.TextChoices):
    """Who may book a room."""

    REGISTERED_GROUPS = "registered_groups", _("Groups registered at this center")
    ANY_GROUP = "any_group", _("Any group")
    CITIZENS = "citizens", _("Anyone, including individual citizens")


class FeeUnit(models.TextChoices):
    DIVISION = "division", _("Per time division (午前・午後・夜間・全日)")
    HOUR = "hour", _("Per hour")
    KOMA = "koma", _("Per slot (コマ)")


class OccupancyBasis(models.TextChoices):
    """What the occupancy rate (稼働率) divides by."""

    DIVISIONS = "divisions", _("Bookable time divisions")
    HOURS = "hours", _("Hours open")


class RoomQuerySet(models.QuerySet["Room"]):
    def active(self) -> RoomQuerySet:
        return self.filter(is_active=True, center__is_active=True)

    def at(self, center: Center | int) -> RoomQuerySet:
        return self.filter(center=center)

    def seating(self, people: int) -> RoomQuerySet:
        """Rooms for at least ``people`` (rooms whose capacity is not known included)."""
        return self.filter(Q(capacity__gte=people) | Q(capacity__isnull=True))

    def offered_for_referral_to(self, center: Center | int) -> RoomQuerySet:
        """Active rooms of the centers that offer their rooms to ``center`` for referral
        (相互あっせん), as their ``SharingRule`` rows say."""
        from kyodo.centers.models import Center, RecordKind

        partners = Center.objects.sharing_with(center, RecordKind.ROOMS_FOR_REFERRAL)
        return self.active().filter(center__in=partners)

    def free_between(self, start: datetime.datetime, end: datetime.datetime) -> RoomQuerySet:
        """Rooms with no active reservation of their own, of a part or of a whole
        overlapping ``start``–``end`` (the rule of ``blocking_room_ids``). Opening hours
        are checked by the caller.

        The busy rooms are read first (one indexed query on the start, plus one per level
        of combination), so the rooms query excludes a list of ids rather than running
        the reservations subquery for every room."""
        busy = set(
            Reservation.objects.active()
            .overlapping(start, end)
            .order_by()
            .values_list("room_id", flat=True)
        )
        blocked = {pk for ids in blocking_room_ids(busy).values() for pk in ids}
        return self.exclude(pk__in=sorted(blocked))


class Room(models.Model):
    """A room or space of a center that can be booked."""

    center = models.ForeignKey(
        "centers.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="rooms"
    )
    name = models.CharField(_("room name"), max_length=100)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Number of people; empty if unknown.")
    )
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    equipment = models.JSONField(_("equipment"), default=list, blank=True)
    equipment_note = models.CharField(
        _("other equipment"),
        max_length=300,
        blank=True,
        help_text=_("As the center writes it, e.g. 水屋・床の間有."),
    )
    fee_unit = models.CharField(
        _("fees are charged"), max_length=12, choices=FeeUnit.choices, default=FeeUnit.DIVISION
    )
    fee_note = models.CharField(
        _("fees as published"),
        max_length=300,
        blank=True,
        help_text=_("The fee table as the center publishes it, shown to the public."),
    )
    opening_hours = models.TextField(
        _("opening hours"),
        blank=True,
        help_text=_(
            "As staff write them, e.g. 月曜日～土曜日 9:00～21:00 日曜日・祝日 9:00～17:00."
        ),
    )
    closed_days = models.TextField(
        _("closed days"),
        blank=True,
        help_text=_("As staff write them, e.g. 年末年始、第3木曜日 点検日."),
    )
    booking_opens_months = models.PositiveSmallIntegerField(
        _("booking opens (months before)"),
        default=2,
        help_text=_("Bookings open on the same day this many months before, e.g. 2; 3 for halls."),
    )
    booking_closes_hours = models.PositiveSmallIntegerField(
        _("booking closes (hours before)"),
        default=1,
        help_text=_("Bookings close this many hours before the start."),
    )
    eligibility = models.CharField(
        _("who may book"),
        max_length=20,
        choices=Eligibility.choices,
        default=Eligibility.REGISTERED_GROUPS,
    )
    parts = models.ManyToManyField(
        "self",
        verbose_name=_("made of"),
        symmetrical=False,
        blank=True,
        related_name="wholes",
        help_text=_("For a combined room (集会室A・B, ホール全面): the rooms it is made of."),
    )
    purpose_restrictions = models.TextField(_("purpose restrictions"), blank=True)
    requires_approval = models.BooleanField(_("bookings need approval"), default=False)
    is_active = models.BooleanField(_("bookable"), default=True)
    source_url = models.URLField(_("source"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["center_id", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="room_name_once_per_center"),
        ]

    def __str__(self) -> str:
        return f"{self.center.name} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("rooms:room", kwargs={"room_id": self.pk})

    @property
    def equipment_labels(self) -> list[str]:
        codes = set(self.equipment or [])
        return [str(label) for code, label in Equipment.choices if code in codes]

    def booking_problems(
        self,
        *,
        starts_at: datetime.datetime | None,
        ends_at: datetime.datetime | None,
        people: int | None,
        organization: Organization | None,
    ) -> dict[str, str]:
        """What is wrong with booking this room for ``people`` from ``starts_at`` to
        ``ends_at`` for ``organization`` (None: a person, or the center itself): capacity,
        opening hours and closed days, the booking window, who may use the room. By field
        (``people``, ``starts_at``, ``ends_at``, ``organization``); empty when nothing.

        The one check of the room's rules, the same for a person booking online and for
        staff booking on behalf (staff are exempt from none of them); a value that is None
        (not given or invalid) is not checked. It does not say whether the slot is free:
        ``actions.book_room`` decides that."""
        from kyodo.rooms.rules import eligibility_problems, slot_problems, window_problems

        problems: dict[str, str] = {}
        if people and self.capacity and people > self.capacity:
            problems["people"] = gettext("The room seats at most %(capacity)s people.") % {
                "capacity": self.capacity
            }
        if starts_at and ends_at:
            problems.update(slot_problems(self, starts_at, ends_at))
            if "starts_at" not in problems:
                problems.update(window_problems(self, starts_at))
        problems.update(eligibility_problems(self, organization))
        return problems

    def related_room_ids(self) -> list[int]:
        """This room, the rooms it is made of and the rooms it is part of (each
        transitively, but not a part's siblings): the rooms whose bookings block this
        room's. Sorted, for locking in order."""
        return blocking_room_ids([self.pk])[self.pk]


def blocking_room_ids(room_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each room of ``room_ids``: the sorted ids of the rooms whose bookings block it
    — itself, the rooms it is made of and the rooms it is part of, each transitively, but
    not a part's siblings (スペースA blocks スペースA・B, not スペースB).

    The one rule of combined rooms, used by booking (``Room.related_room_ids``) and by
    the grids. A query per level of combination, whatever the number of rooms."""
    wanted = set(room_ids)
    link = Room.parts.through
    wholes_of: dict[int, set[int]] = {}  # part -> the rooms it is part of
    parts_of: dict[int, set[int]] = {}  # whole -> the rooms it is made of
    known, frontier = set(wanted), set(wanted)
    while frontier:
        rows = link.objects.filter(
            Q(from_room_id__in=frontier) | Q(to_room_id__in=frontier)
        ).values_list("from_room_id", "to_room_id")
        found: set[int] = set()
        for whole, part in rows:
            parts_of.setdefault(whole, set()).add(part)
            wholes_of.setdefault(part, set()).add(whole)
            found.update((whole, part))
        frontier = found - known
        known |= frontier

    def reach(start: int, edges: dict[int, set[int]]) -> set[int]:
        seen, todo = {start}, [start]
        while todo:
            for other in edges.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen

    return {pk: sorted(reach(pk, parts_of) | reach(pk, wholes_of)) for pk in wanted}


class FeeRule(models.Model):
    """One line of a room's fee table: 午前 9:00–12:00 1,200円; 1時間 260円; 1コマ3時間 930円."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="fee_rules")
    label = models.CharField(_("label"), max_length=40, help_text=_("e.g. 午前, 全日, 1コマ."))
    unit = models.CharField(_("unit"), max_length=12, choices=FeeUnit.choices)
    starts_at_time = models.TimeField(_("from"), null=True, blank=True)
    ends_at_time = models.TimeField(_("until"), null=True, blank=True)
    minutes = models.PositiveIntegerField(
        _("length in minutes"), null=True, blank=True, help_text=_("For a コマ: its length.")
    )
    fee_yen = models.PositiveIntegerField(_("fee (yen)"))

    class Meta:
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")
        ordering = ["room_id", "starts_at_time", "label"]

    def __str__(self) -> str:
        return f"{self.label} {self.fee_yen:,}円"


class ReservationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    DENIED = "denied", _("Denied")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


# No reservation is longer (they start and end on the same day).
LONGEST_RESERVATION = datetime.timedelta(days=1)

# Reservations that hold their slot.
BLOCKING_STATUSES = (
    ReservationStatus.REQUESTED,
    ReservationStatus.CONFIRMED,
    ReservationStatus.NO_SHOW,
)


class ReservationQuerySet(models.QuerySet["Reservation"]):
    def active(self) -> ReservationQuerySet:
        """Reservations that hold their slot (requested, confirmed, no-show)."""
        return self.filter(status__in=BLOCKING_STATUSES)

    def overlapping(self, start: datetime.datetime, end: datetime.datetime) -> ReservationQuerySet:
        """Reservations sharing some time with ``start``–``end``. A reservation lasts at
        most ``LONGEST_RESERVATION`` (``book_room`` refuses longer ones), which bounds the
        start from below so the index on ``starts_at`` serves the search."""
        return self.filter(
            starts_at__lt=end, starts_at__gt=start - LONGEST_RESERVATION, ends_at__gt=start
        )

    def of_rooms(self, room_ids: list[int]) -> ReservationQuerySet:
        return self.filter(room_id__in=room_ids)

    def at(self, center: Center | int) -> ReservationQuerySet:
        return self.filter(room__center=center)

    def upcoming(self) -> ReservationQuerySet:
        return self.filter(ends_at__gt=timezone.now())

    def held_by(self, user: Any) -> ReservationQuerySet:
        """A person's own reservations: those they booked and those of the groups they
        act for (``access.organizations_acted_for``)."""
        from kyodo.centers import access

        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            Q(booked_by=user) | Q(organization__in=access.organizations_acted_for(user))
        )

    def cancellable_by(self, user: Any) -> ReservationQuerySet:
        """The reservations a person may cancel from the public pages or the API: those
        they booked for themselves or their group (not those staff took for someone
        else), and those of the groups they act for. The state is checked by
        ``actions.cancel_reservation``."""
        from kyodo.centers import access

        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            Q(booked_by=user, on_behalf_of_name="")
            | Q(organization__in=access.organizations_acted_for(user))
        )


class ReservationSeries(models.Model):
    """Recurring bookings (定期予約) written in Japanese, e.g. 毎月第2火曜日 13:00～16:00."""

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="series"
    )
    recurrence = models.CharField(_("recurrence"), max_length=200)
    starts_on = models.DateField(_("first day"))
    until_on = models.DateField(_("last day"))
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of_name = models.CharField(_("booked for (name)"), max_length=100, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200)
    people = models.PositiveIntegerField(_("number of people"))
    is_cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reservation series")
        verbose_name_plural = _("reservation series")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.room.name} {self.recurrence}"


class Reservation(models.Model):
    """One booking of a room, from ``starts_at`` to ``ends_at``."""

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="reservations"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="room_reservations",
    )
    on_behalf_of_name = models.CharField(
        _("booked for (name)"),
        max_length=100,
        blank=True,
        help_text=_("For a booking taken by phone or at the counter."),
    )
    on_behalf_of_phone = models.CharField(_("telephone of the person"), max_length=30, blank=True)
    contact_email = models.EmailField(
        _("e-mail for notices"),
        blank=True,
        help_text=_("Confirmations and reminders go here."),
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    people = models.PositiveIntegerField(_("number of people"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReservationStatus.choices,
        default=ReservationStatus.CONFIRMED,
    )
    fee_yen = models.PositiveIntegerField(_("fee (yen)"), default=0)
    series = models.ForeignKey(
        ReservationSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reservations",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note to the person"), max_length=300, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["starts_at", "room_id"]
        indexes = [
            models.Index(fields=["room", "starts_at", "ends_at"], name="reservation_slot"),
            models.Index(fields=["starts_at", "status"], name="reservation_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="reservation_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(people__gte=1), name="reservation_has_people"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.room.name} {local:%Y-%m-%d %H:%M}"

    @property
    def holder_name(self) -> str:
        """Who the room is booked for: the group, the person named at the counter, or the
        person who booked."""
        if self.organization_id:
            return str(self.organization.name)  # type: ignore[union-attr]
        if self.on_behalf_of_name:
            return self.on_behalf_of_name
        if self.booked_by is not None:
            return str(self.booked_by.display_name or self.booked_by.email)
        return ""

    @property
    def notice_email(self) -> str:
        if self.contact_email:
            return self.contact_email
        if self.booked_by is not None and not self.on_behalf_of_name:
            return str(self.booked_by.email)
        return ""

    @property
    def is_active(self) -> bool:
        return self.status in BLOCKING_STATUSES


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    BOOKED = "booked", _("Booked at the partner")
    DECLINED = "declined", _("Declined")


class Referral(models.Model):
    """A group referred to a partner center's room (相互あっせん) because the room it
    wanted was taken."""

    from_center = models.ForeignKey(
        "centers.Center", on_delete=models.PROTECT, related_name="referrals_made"
    )
    to_center = models.ForeignKey(
        "centers.Center", on_delete=models.PROTECT, related_name="referrals_received"
    )
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="referrals"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_name = models.CharField(_("name of the person"), max_length=100, blank=True)
    people = models.PositiveIntegerField(_("number of people"), default=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        choices=ReferralOutcome.choices,
        default=ReferralOutcome.PENDING,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="referral_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_center} → {self.room}"


class CenterRoomSettings(models.Model):
    """How a center counts the occupancy rate of its rooms."""

    center = models.OneToOneField(
        "centers.Center", on_delete=models.CASCADE, related_name="room_settings"
    )
    occupancy_basis = models.CharField(
        _("occupancy is counted by"),
        max_length=12,
        choices=OccupancyBasis.choices,
        default=OccupancyBasis.DIVISIONS,
    )

    class Meta:
        verbose_name = _("room settings of a center")
        verbose_name_plural = _("room settings of centers")

    def __str__(self) -> str:
        return str(self.center)
