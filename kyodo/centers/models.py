"""The network of centers (市民活動支援センター): centers, partner pairs, sharing rules and staff.

Each center owns its records. Partner centers (連携施設) may see some kinds of each
other's records, as the owning center's ``SharingRule`` rows allow. Who may do what is
decided in ``kyodo/centers/access.py`` only; the QuerySets here answer "which rows".
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.japanese import kana

if TYPE_CHECKING:
    from kyodo.accounts.models import User


class CenterKind(models.TextChoices):
    PREFECTURAL = "prefectural", _("Prefectural center")
    CITY = "city", _("City center")
    WARD = "ward", _("Ward center")
    TOWN = "town", _("Town center")
    PARTNER_FACILITY = "partner_facility", _("Partner facility")
    PRIVATE_HUB = "private_hub", _("Private hub")


class Service(models.TextChoices):
    """Services a center offers (主な支援内容), a shared vocabulary for filtering."""

    CONSULTATION = "consultation", _("Consultation")
    TRAINING = "training", _("Trainings and courses")
    INFORMATION = "information", _("Information and publications")
    MEETING_ROOMS = "meeting_rooms", _("Meeting rooms")
    MEETING_SPACE = "meeting_space", _("Meeting and exchange space")
    OFFICE_BOOTHS = "office_booths", _("Office booths")
    LIBRARY = "library", _("Library corner")
    EVENTS = "events", _("Events")
    NETWORKING = "networking", _("Networking between groups")
    NPO_SUPPORT = "npo_support", _("NPO incorporation and management support")
    VOLUNTEERING = "volunteering", _("Volunteer matching")
    COLLABORATION = "collaboration", _("Collaboration coordination")
    INTERMEDIARY_SUPPORT = "intermediary_support", _("Support for intermediary organisations")
    GENDER_EQUALITY = "gender_equality", _("Gender equality programmes")
    CONSUMER_AFFAIRS = "consumer_affairs", _("Consumer affairs")
    BUSINESS_SUPPORT = "business_support", _("Business and vocational support")


KATAKANA_READING = RegexValidator(
    r"^[ァ-ヶー・　 ]*$",
    _("Write the reading in katakana, e.g. サッポロシシミンカツドウサポートセンター."),
)


class CenterQuerySet(models.QuerySet["Center"]):
    def active(self) -> CenterQuerySet:
        return self.filter(is_active=True)

    def offering(self, service: str) -> CenterQuerySet:
        # A subquery rather than a join, so the rows stay distinct without DISTINCT.
        return self.filter(pk__in=CenterService.objects.filter(service=service).values("center_id"))

    def sharing_with(self, center: Center | int, kind: str) -> CenterQuerySet:
        """The centers that share their records of ``kind`` with ``center`` (their
        ``SharingRule`` names ``center`` as the partner), e.g. the centers that offer
        their rooms to ``center`` for referral (相互あっせん)."""
        return self.filter(
            pk__in=SharingRule.objects.filter(partner_id=_pk(center), kind=kind).values("owner_id")
        )

    def in_area(self, area: str) -> CenterQuerySet:
        return self.filter(Q(prefecture=area) | Q(municipality=area))

    def of_kind(self, kind: str) -> CenterQuerySet:
        return self.filter(kind=kind)

    def matching(self, text: str) -> CenterQuerySet:
        """Centers whose name, reading, area or services mention ``text``."""
        query = Q()
        for word in text.split():
            query &= (
                Q(name__icontains=word)
                | Q(name_kana__icontains=word)
                | Q(area_served__icontains=word)
                | Q(municipality__icontains=word)
                | Q(services_description__icontains=word)
            )
        return self.filter(query)

    def for_listing(self) -> CenterQuerySet:
        """What a list of centers shows: the parent's name and the services."""
        return self.select_related("parent").prefetch_related("services")

    def areas(self) -> list[tuple[str, list[str]]]:
        """[(prefecture, [municipality, ...]), ...] that these centers are in, for the
        area filter. Prefectures and municipalities are in code-point order: the data
        holds no municipality codes or readings to sort them by."""
        found: dict[str, set[str]] = {}
        rows = self.order_by().values_list("prefecture", "municipality").distinct()
        for prefecture, municipality in rows:
            places = found.setdefault(prefecture, set())
            if municipality:
                places.add(municipality)
        return [(pref, sorted(found[pref])) for pref in sorted(found)]


class Center(models.Model):
    """A civic-activity support center or a partner facility of the network."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("center name"), max_length=200)
    name_kana = models.CharField(
        _("center name (kana)"),
        max_length=200,
        blank=True,
        validators=[KATAKANA_READING],
        help_text=_("The reading in katakana; lists are sorted by it (50音順)."),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=CenterKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    operator = models.CharField(
        _("operator"),
        max_length=200,
        blank=True,
        help_text=_("Who runs the center, e.g. the municipality or a designated NPO."),
    )
    prefecture = models.CharField(_("prefecture"), max_length=10)
    municipality = models.CharField(_("municipality"), max_length=40, blank=True)
    area_served = models.CharField(
        _("area served"), max_length=100, help_text=_("As the center writes it, e.g. 江別市内.")
    )
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    fax = models.CharField(_("fax"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    services_description = models.CharField(
        _("main services"),
        max_length=300,
        blank=True,
        help_text=_("As the center describes them (主な支援内容)."),
    )
    opening_hours = models.TextField(
        _("opening hours"),
        blank=True,
        help_text=_(
            "As staff write them, e.g. 月曜日～土曜日 9:00～21:00 日曜日・祝日 9:00～17:00."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    established_on = models.DateField(
        _("established on"),
        null=True,
        blank=True,
        help_text=_("Pages show the year and month; when only those are known, use the 1st."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CenterQuerySet.as_manager()

    class Meta:
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        ordering = ["name_kana", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="center_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("centers:detail", kwargs={"slug": self.slug})

    @property
    def service_codes(self) -> list[str]:
        return [s.service for s in self.services.all()]

    @property
    def service_labels(self) -> list[str]:
        """Labels of the services, in the order of the ``Service`` vocabulary."""
        codes = set(self.service_codes)
        return [str(label) for code, label in Service.choices if code in codes]

    @property
    def kana_row(self) -> str:
        """The 50音 row the center is listed under (あ行, か行, …, or "Other")."""
        return kana.row_label(kana.gojuon_row(self.name_kana))

    @property
    def sort_key(self) -> tuple[object, ...]:
        """50音順 of the reading (JIS X 4061), then the name."""
        return (kana.sort_key_for_reading(self.name_kana), self.name)

    def partners(self) -> CenterQuerySet:
        return Center.objects.filter(
            Q(partnerships_as_first__second=self) | Q(partnerships_as_second__first=self)
        )

    def is_partner_of(self, other: Center) -> bool:
        return Partnership.objects.between(self, other).exists()

    def set_services(self, codes: list[str] | set[str]) -> bool:
        """Make the center offer exactly ``codes``; returns whether anything changed."""
        wanted = set(codes)
        current = set(self.services.values_list("service", flat=True))
        if wanted == current:
            return False
        self.services.exclude(service__in=wanted).delete()
        CenterService.objects.bulk_create(
            [CenterService(center=self, service=code) for code in sorted(wanted - current)]
        )
        return True


class CenterService(models.Model):
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("service"), max_length=32, choices=Service.choices)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(fields=["center", "service"], name="center_service_once")
        ]

    def __str__(self) -> str:
        return self.get_service_display()


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def between(self, a: Center | int, b: Center | int) -> PartnershipQuerySet:
        first, second = sorted([_pk(a), _pk(b)])
        return self.filter(first_id=first, second_id=second)

    def involving(self, center: Center | int) -> PartnershipQuerySet:
        return self.filter(Q(first_id=_pk(center)) | Q(second_id=_pk(center)))


def _pk(center: Center | int) -> int:
    return center if isinstance(center, int) else center.pk


class Partnership(models.Model):
    """Two centers that work as a pair (連携施設), e.g. 道立女性プラザ ↔ 札幌市男女共同参画センター.

    The pair is unordered; it is stored with the smaller id first.
    """

    first = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="partnerships_as_first"
    )
    second = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="partnerships_as_second"
    )
    description = models.CharField(_("what they do together"), max_length=300, blank=True)
    since_on = models.DateField(_("since"), null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="partnership_once"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="partnership_ordered_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} ↔ {self.second}"

    def other(self, center: Center) -> Center:
        return self.second if center.pk == self.first_id else self.first


class RecordKind(models.TextChoices):
    """Kinds of records a center may share with a partner."""

    CONSULTATION_LISTS = "consultation_lists", _("Anonymised consultation lists")
    ALERTS = "alerts", _("Consumer alerts")
    ROOMS_FOR_REFERRAL = "rooms_for_referral", _("Rooms for referral")
    EVENTS = "events", _("Events")


class SharingRuleQuerySet(models.QuerySet["SharingRule"]):
    def from_center(self, owner: Center | int) -> SharingRuleQuerySet:
        return self.filter(owner_id=_pk(owner))

    def to_center(self, partner: Center | int) -> SharingRuleQuerySet:
        return self.filter(partner_id=_pk(partner))

    def kinds(self) -> set[str]:
        return set(self.values_list("kind", flat=True))


class SharingRule(models.Model):
    """``owner`` shares its records of ``kind`` with its partner ``partner``."""

    owner = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="sharing_rules")
    partner = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="shared_with_me")
    kind = models.CharField(_("kind of records"), max_length=32, choices=RecordKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SharingRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("sharing rule")
        verbose_name_plural = _("sharing rules")
        constraints = [
            models.UniqueConstraint(fields=["owner", "partner", "kind"], name="sharing_rule_once"),
            models.CheckConstraint(
                condition=~Q(owner=models.F("partner")), name="sharing_rule_not_with_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} → {self.partner}: {self.get_kind_display()}"


class Role(models.TextChoices):
    """Roles of a person at a center. Municipal officers (行政職員) are attached to the
    centers their municipality oversees."""

    RECEPTION = "reception", _("Reception")
    COORDINATOR = "coordinator", _("Coordinator")
    CHIEF_COORDINATOR = "chief_coordinator", _("Chief coordinator")
    SPECIALIST = "specialist", _("Specialist adviser")
    CENTER_ADMIN = "center_admin", _("Center administrator")
    MUNICIPAL_OFFICER = "municipal_officer", _("Municipal officer")


class StaffMembershipQuerySet(models.QuerySet["StaffMembership"]):
    def current(self) -> StaffMembershipQuerySet:
        """Memberships in force today: started, not yet ended, of an active person.

        ``ended_on`` is the first day without the role, so ending a membership today
        takes effect at once."""
        today = timezone.localdate()
        return self.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today),
            started_on__lte=today,
            user__is_active=True,
        )

    def of(self, user: User) -> StaffMembershipQuerySet:
        return self.filter(user=user)


class StaffMembership(models.Model):
    """A person's role at one center. A person may hold roles at several centers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    department = models.CharField(
        _("department"),
        max_length=120,
        blank=True,
        help_text=_("For municipal officers: the department, e.g. 市民文化局市民自治推進室."),
    )
    started_on = models.DateField(_("from"), default=timezone.localdate)
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("The first day without the role."),
    )

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        ordering = ["center__name_kana", "role"]
        constraints = [
            # Once ended, the same role may be given again as a new row: history stays.
            models.UniqueConstraint(
                fields=["user", "center", "role"],
                condition=Q(ended_on__isnull=True),
                name="membership_role_once_per_center",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.center} ({self.get_role_display()})"

    def is_current_on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)

    @property
    def is_current(self) -> bool:
        return self.is_current_on(timezone.localdate())
