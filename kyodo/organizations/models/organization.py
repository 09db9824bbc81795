"""The master record (``Organization``), its QuerySet (visibility, search, filters), the
rows that hang on it (names, fields and areas of activity, links, certifications) and
its registrations at centers."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, Final

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.japanese import kana
from kyodo.japanese.corporate_number import validate_corporate_number
from kyodo.japanese.text import comparison_key, katakana_to_hiragana
from kyodo.organizations.models.listing import Listing
from kyodo.organizations.models.vocabulary import (
    CONTACT_FIELDS,
    KATAKANA_READING,
    PUBLIC_FIELDS,
    STAGE_YEARS,
    ActivityField,
    CertificationKind,
    DissolutionReason,
    LegalForm,
    LinkKind,
    OperatingStage,
    RegistrationStatus,
    SourceKind,
    Status,
)
from kyodo.organizations.search import ContainsText, index_tokens


def _pk(value: Any) -> Any:
    """The id of a record given as itself or its id (or a ``Param`` of a prepared
    statement)."""
    return int(value.pk) if isinstance(value, models.Model) else value


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def current(self) -> OrganizationQuerySet:
        """Every record except those merged into another one (active and dissolved)."""
        return self.exclude(status=Status.MERGED)

    def active(self) -> OrganizationQuerySet:
        return self.filter(status=Status.ACTIVE)

    def dissolved(self) -> OrganizationQuerySet:
        return self.filter(status=Status.DISSOLVED)

    def public(self) -> OrganizationQuerySet:
        """What the public directory lists: listed records, active or dissolved (a
        dissolved organization stays visible, marked as dissolved, with its history)."""
        return self.current().filter(is_public=True)

    def visible_to(self, user: Any) -> OrganizationQuerySet:
        """Staff of any center see every record (all fields, hidden ones too); everyone
        else sees the public directory (and only ``PUBLIC_FIELDS`` of it)."""
        from kyodo.centers import access

        if access.is_staff_user(user):
            return self.current()
        return self.public()

    def search(self, text: str) -> OrganizationQuerySet:
        """Records whose names, readings, former names or areas contain every word of
        ``text`` (words split on spaces; width, case and hiragana/katakana folded).

        Words shorter than ``MIN_SEARCH_LENGTH`` are ignored; when no word is left, an
        empty text gives every record and a text of short words none. The search index
        (``kyodo.organizations.search``) narrows the candidates; the substring test on
        ``search_text`` decides, so the index never changes what is found.
        """
        from kyodo.organizations import search

        terms = search_terms(text)
        if not terms:
            return self if not text.strip() else self.none()
        narrowed = search.candidates(terms, using=self.db)
        tested = [t for t in terms if narrowed is None or not narrowed.answers(t)]
        return self.containing(tested, narrowed)

    def containing(self, terms: Sequence[Any], narrowed: Any = None) -> OrganizationQuerySet:
        """Records whose ``search_text`` contains each of ``terms`` (folded words, or
        ``Param``s of a prepared statement), among the candidates of the index condition
        ``narrowed`` when given (``search.candidates``; the words it answers exactly,
        ``MatchesSearchIndex.answers``, need not be in ``terms``)."""
        conditions = [ContainsText(F("search_text"), term) for term in terms]
        if narrowed is not None:
            conditions.insert(0, narrowed)
        return self.filter(*conditions)

    def with_activity_field(self, code: int | str) -> OrganizationQuerySet:
        return self.filter(
            Exists(OrganizationActivityField.objects.filter(organization=OuterRef("pk"), code=code))
        )

    def in_area(self, area: str) -> OrganizationQuerySet:
        """Records active in ``area`` (as the areas are written, e.g. 札幌市内, 中央区) or
        with their office in that municipality."""
        in_areas = Exists(ActivityArea.objects.filter(organization=OuterRef("pk"), name=area))
        return self.filter(in_areas | Q(municipality=area) | Q(prefecture=area))

    def of_legal_form(self, legal_form: str) -> OrganizationQuerySet:
        return self.filter(legal_form=legal_form)

    def registered_at(self, center: models.Model | int) -> OrganizationQuerySet:
        return self.filter(
            Exists(
                CenterRegistration.objects.filter(
                    organization=OuterRef("pk"),
                    center_id=_pk(center),
                    status=RegistrationStatus.REGISTERED,
                )
            )
        )

    def certified(self, kind: Any = None, *, day: Any = None) -> OrganizationQuerySet:
        """Records holding a certification in force on ``day`` (today unless given), of
        ``kind`` when given."""
        certifications = Certification.objects.in_force(day).filter(organization=OuterRef("pk"))
        if kind:
            certifications = certifications.filter(kind=kind)
        return self.filter(Exists(certifications))

    def in_operating_stage(
        self, stage: str, today: datetime.date | None = None
    ) -> OrganizationQuerySet:
        """Records of that operating stage today (see ``Organization.operating_stage``)."""
        today = today or timezone.localdate()
        for candidate, first, last in STAGE_YEARS:
            if candidate != stage:
                continue
            query = Q(established_on__lte=_years_before(today, first))
            if last is not None:
                query &= Q(established_on__gt=_years_before(today, last + 1))
            return self.filter(query)
        return self.none()

    def by_reading(self) -> OrganizationQuerySet:
        """50音順 of the reading (records without a reading last), then the name."""
        return self.order_by("name_reading_sort", "name", "pk")

    def newest(self) -> OrganizationQuerySet:
        return self.order_by("-created_at", "-pk")

    def for_listing(self) -> OrganizationQuerySet:
        """What a list shows: fields, areas, certifications, links and registrations, in a
        fixed number of queries whatever the length of the list."""
        return self.prefetch_related(
            "activity_fields",
            "activity_areas",
            "certifications",
            "links",
            models.Prefetch(
                "registrations",
                queryset=CenterRegistration.objects.select_related("center"),
            ),
        )


MIN_SEARCH_LENGTH: Final = 2
# What ``Organization.public_data()`` reads: the public fields, and the columns that say
# whether an address, a representative or a contact is public. The API's pages of
# results read only these, not the search text and tokens, sort keys and notes.
LISTING_COLUMNS: Final = (
    *PUBLIC_FIELDS,
    "postcode",
    "street",
    "address_is_public",
    "representative",
    "representative_is_public",
    *CONTACT_FIELDS,
    *(f"{kind}_is_public" for kind in CONTACT_FIELDS),
)


def search_key(text: str) -> str:
    """The folded form used by ``search_text`` and by search words: width, case, spaces
    and dashes folded (``comparison_key``), katakana turned into hiragana."""
    return katakana_to_hiragana(comparison_key(text))


def search_terms(text: str) -> list[str]:
    """The words of a search, folded, without those shorter than ``MIN_SEARCH_LENGTH``."""
    keys = (search_key(word) for word in text.split())
    return [key for key in keys if len(key) >= MIN_SEARCH_LENGTH]


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def reading_sort_key(reading: str) -> str:
    """A text that sorts in 50音順 (JIS X 4061) with a plain ORDER BY in any collation.

    Encodes the levels of ``kana.sort_key_for_reading`` as digits; an empty reading
    gives ``"~"`` so that records without a reading sort last.
    """
    if not reading.strip():
        return "~"
    primary, voicing, size, script, _text = kana.sort_key_for_reading(reading)
    units = "".join(f"{min(p, 0x10FFFF + 0x110000):07d}" for p in primary)
    levels = "".join(str(v) for v in voicing) + "".join(str(s) for s in size)
    return f"{units}|{levels}|{''.join(str(s) for s in script)}"[:500]


class Organization(models.Model):
    """The master record of a civic group (団体): one per group, whatever its sources."""

    name = models.CharField(_("organization name"), max_length=300)
    name_kana = models.CharField(
        _("organization name (kana)"),
        max_length=300,
        blank=True,
        validators=[KATAKANA_READING],
        help_text=_("The reading in katakana, without the legal form; the index uses it."),
    )
    legal_form = models.CharField(
        _("legal form"), max_length=40, choices=LegalForm.choices, default=LegalForm.OTHER
    )
    corporate_number = models.CharField(
        _("corporate number"),
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
        help_text=_("The 13-digit number of the National Tax Agency (法人番号)."),
    )
    competent_authority = models.CharField(
        _("competent authority"),
        max_length=40,
        blank=True,
        help_text=_("The authority that certified the NPO (所轄庁), e.g. 北海道, 札幌市, 内閣府."),
    )
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    prefecture = models.CharField(_("prefecture"), max_length=10, blank=True)
    municipality = models.CharField(_("municipality"), max_length=60, blank=True)
    street = models.CharField(_("street address"), max_length=300, blank=True)
    address_is_public = models.BooleanField(
        _("the street address is public"),
        default=True,
        help_text=_("Off when the main office is someone's home."),
    )
    established_on = models.DateField(_("date of establishment"), null=True, blank=True)
    certified_on = models.DateField(
        _("certified on"),
        null=True,
        blank=True,
        help_text=_("For an NPO corporation, the day its establishment was certified (認証)."),
    )
    representative = models.CharField(_("representative"), max_length=100, blank=True)
    representative_kana = models.CharField(_("representative (kana)"), max_length=100, blank=True)
    representative_is_public = models.BooleanField(_("the representative is public"), default=True)
    purpose = models.TextField(_("aims"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    phone_is_public = models.BooleanField(_("the telephone number is public"), default=False)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    fax_is_public = models.BooleanField(_("the fax number is public"), default=False)
    email = models.EmailField(_("e-mail address"), blank=True)
    email_is_public = models.BooleanField(_("the e-mail address is public"), default=False)
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_person_is_public = models.BooleanField(_("the contact person is public"), default=False)
    website = models.URLField(_("website"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    dissolution_reason = models.CharField(
        _("reason for dissolution"), max_length=40, choices=DissolutionReason.choices, blank=True
    )
    dissolution_note = models.CharField(_("note on the dissolution"), max_length=300, blank=True)
    successor_corporate_number = models.CharField(
        _("corporate number of the successor"), max_length=13, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
    )
    is_public = models.BooleanField(
        _("listed in the public directory"),
        default=True,
        help_text=_("Off hides the record from the public directory, the API and exports."),
    )
    # Derived columns, kept up to date by ``refresh_derived_fields`` (called on save).
    name_key = models.CharField(_("name for matching"), max_length=300, editable=False)
    name_reading_row = models.CharField(
        _("index row"), max_length=8, editable=False, default=kana.OTHER
    )
    name_reading_sort = models.CharField(max_length=500, editable=False, default="~")
    search_text = models.TextField(editable=False, default="")
    # The bigrams of search_text, which the search index reads (see organizations/search.py).
    search_tokens = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name_reading_sort", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["corporate_number"],
                condition=~Q(corporate_number=""),
                name="organization_corporate_number_once",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(status=Status.MERGED),
                name="organization_merged_into_only_when_merged",
            ),
        ]
        indexes = [
            models.Index(fields=["name_key"], name="organization_name_key"),
            models.Index(fields=["postcode"], name="organization_postcode"),
            # The directory's order (by_reading), whole: no sort of the rows that share a
            # reading (records without one share "~"), even deep into the list.
            models.Index(
                fields=["status", "name_reading_sort", "name", "id"],
                name="organization_directory_order",
            ),
            models.Index(fields=["name_reading_row"], name="organization_reading_row"),
            models.Index(fields=["-created_at"], name="organization_newest"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "name_key",
                "name_reading_row",
                "name_reading_sort",
                "search_text",
                "search_tokens",
                "updated_at",
            }
        super().save(*args, **kwargs)

    def refresh_derived_fields(
        self, *, other_names: list[str] | None = None, areas: list[str] | None = None
    ) -> None:
        """Recompute the matching key, the 50音 row and sort key, ``search_text`` and its
        ``search_tokens`` (which the database indexes as they are written).

        ``other_names`` (former names and aliases) and ``areas`` are read from the database
        when not given; bulk imports pass them to save the queries.
        """
        from kyodo.organizations import matching

        self.name_key = matching.name_key(self.name)[:300]
        reading = self.name_kana or (self.name if _is_kana_text(self.name) else "")
        self.name_reading_row = kana.gojuon_row(reading) if reading else kana.OTHER
        self.name_reading_sort = reading_sort_key(reading)
        if other_names is None:
            other_names = (
                list(self.names.values_list("name", flat=True)) if self.pk is not None else []
            )
        if areas is None:
            areas = (
                list(self.activity_areas.values_list("name", flat=True))
                if self.pk is not None
                else []
            )
        self.search_text = build_search_text(
            name=self.name, name_kana=self.name_kana, other_names=other_names, areas=areas
        )
        self.search_tokens = index_tokens(self.search_text)

    # --- derived facts ---------------------------------------------------------------------

    @property
    def is_dissolved(self) -> bool:
        return self.status == Status.DISSOLVED

    @property
    def is_merged(self) -> bool:
        return self.status == Status.MERGED

    def operating_stage_on(self, day: datetime.date) -> OperatingStage | None:
        """The operating stage on ``day``: full years since ``established_on`` (or, when
        unknown, ``certified_on``); None when neither is known or the day is before it."""
        start = self.established_on or self.certified_on
        if start is None or day < start:
            return None
        years = day.year - start.year - ((day.month, day.day) < (start.month, start.day))
        for stage, first, last in STAGE_YEARS:
            if years >= first and (last is None or years <= last):
                return stage
        return None  # pragma: no cover - the table covers every age

    @property
    def operating_stage(self) -> OperatingStage | None:
        return self.operating_stage_on(timezone.localdate())

    @property
    def kana_row_label(self) -> str:
        return kana.row_label(self.name_reading_row)

    @property
    def postcode_display(self) -> str:
        """``064-0809`` from the stored seven digits."""
        code = self.postcode
        return f"{code[:3]}-{code[3:]}" if len(code) == 7 else code

    @property
    def address(self) -> str:
        """Prefecture, municipality and street, as one line."""
        return f"{self.prefecture}{self.municipality}{self.street}"

    # --- the public view of the record -------------------------------------------------------

    def public_address(self) -> str:
        """The address the public may see: the whole address when the group made it
        public, otherwise only prefecture and municipality."""
        if self.address_is_public:
            return self.address
        return f"{self.prefecture}{self.municipality}"

    def public_postcode(self) -> str:
        return self.postcode_display if self.address_is_public else ""

    def public_representative(self) -> str:
        return self.representative if self.representative_is_public else ""

    def public_contacts(self) -> list[tuple[str, str, str]]:
        """``[(kind, label, value), …]`` of the contacts the group made public."""
        contacts = []
        for kind in CONTACT_FIELDS:
            value = getattr(self, kind)
            if value and getattr(self, f"{kind}_is_public"):
                label = str(Organization._meta.get_field(kind).verbose_name)  # type: ignore[union-attr]
                contacts.append((kind, label, value))
        return contacts

    @property
    def listing(self) -> Listing:
        """The child rows a list shows: as ``load_listings`` read them for a page, else
        through the related managers (and their prefetch)."""
        loaded: Listing | None = self.__dict__.get("_listing")
        return loaded if loaded is not None else Listing.read(self)

    def public_data(self, today: datetime.date | None = None) -> dict[str, Any]:
        """Every value the public may see, as plain data (for the API and exports), on
        ``today`` (certifications in force, operating stage; the local date unless given:
        a list reads it once).

        Child rows come from ``load_listings`` or the prefetch of ``for_listing()`` when
        present.
        """
        today = today or timezone.localdate()
        data: dict[str, Any] = {name: getattr(self, name) for name in PUBLIC_FIELDS}
        data["address"] = self.public_address()
        data["postcode"] = self.public_postcode()
        data["representative"] = self.public_representative()
        data["contacts"] = {kind: value for kind, _label, value in self.public_contacts()}
        listing = self.listing
        data["activity_fields"] = list(listing.activity_fields)
        data["activity_areas"] = list(listing.activity_areas)
        data["links"] = [dict(link) for link in listing.links]
        data["certifications"] = [
            {
                "kind": c.kind,
                "authority": c.authority,
                "started_on": c.started_on,
                "expires_on": c.expires_on,
            }
            for c in listing.certifications_in_force(today)
        ]
        data["operating_stage"] = self.operating_stage_on(today)
        return data

    # --- child lists -----------------------------------------------------------------------

    def activity_field_codes(self) -> list[int]:
        return sorted(entry.code for entry in self.activity_fields.all())

    def activity_area_names(self) -> list[str]:
        return [area.name for area in self.activity_areas.all()]

    def set_activity_fields(self, codes: list[int] | set[int]) -> bool:
        """Make the record list exactly ``codes``; returns whether anything changed."""
        wanted, current = set(codes), set(self.activity_fields.values_list("code", flat=True))
        if wanted == current:
            return False
        self.activity_fields.exclude(code__in=wanted).delete()
        OrganizationActivityField.objects.bulk_create(
            [OrganizationActivityField(organization=self, code=code) for code in wanted - current]
        )
        return True

    def set_activity_areas(self, names: list[str]) -> bool:
        """Make the record list exactly ``names`` (in that order); refreshes search_text."""
        wanted = list(dict.fromkeys(name.strip() for name in names if name.strip()))
        current = list(self.activity_areas.order_by("position").values_list("name", flat=True))
        if wanted == current:
            return False
        self.activity_areas.all().delete()
        ActivityArea.objects.bulk_create(
            [
                ActivityArea(organization=self, name=name, position=position)
                for position, name in enumerate(wanted)
            ]
        )
        self.save(update_fields=[])
        return True


def _is_kana_text(text: str) -> bool:
    key = katakana_to_hiragana(comparison_key(text))
    return bool(key) and all("\u3041" <= c <= "\u309f" or c == "ー" for c in key)


def build_search_text(
    *, name: str, name_kana: str, other_names: list[str], areas: list[str]
) -> str:
    """The folded text searched by ``OrganizationQuerySet.search``: one line per name,
    reading and area, so that a word never matches across two of them."""
    from kyodo.organizations import matching

    parts = [name, matching.name_key(name), name_kana, *other_names, *areas]
    lines = dict.fromkeys(search_key(part) for part in parts if part)
    return "\n".join(line for line in lines if line)


class OrganizationName(models.Model):
    """A former name (旧名称, kept on a change of name) or another way a source writes the
    name (別表記, e.g. a center list's ``(特非)ひまわり会``)."""

    class Kind(models.TextChoices):
        FORMER = "former", _("Former name")
        ALIAS = "alias", _("Also written as")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("organization name"), max_length=300)
    name_kana = models.CharField(_("organization name (kana)"), max_length=300, blank=True)
    valid_from = models.DateField(_("used from"), null=True, blank=True)
    valid_to = models.DateField(_("used until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    source_record = models.ForeignKey(
        "SourceRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("name of an organization")
        verbose_name_plural = _("names of organizations")
        ordering = ["organization", "-valid_to", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "name"], name="organization_name_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationActivityField(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="activity_fields"
    )
    code = models.PositiveSmallIntegerField(_("field of activity"), choices=ActivityField.choices)

    class Meta:
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="organization_activity_field_once"
            )
        ]
        indexes = [models.Index(fields=["code", "organization"], name="activity_field_code")]

    def __str__(self) -> str:
        return self.get_code_display()


class ActivityArea(models.Model):
    """An area where the organization is active, as written: 全道, 札幌市内, 中央区 …"""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="activity_areas"
    )
    name = models.CharField(_("area"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("area of activity")
        verbose_name_plural = _("areas of activity")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="activity_area_once")
        ]
        indexes = [models.Index(fields=["name", "organization"], name="activity_area_name")]

    def __str__(self) -> str:
        return self.name


class OrganizationLink(models.Model):
    """A link to the organization's pages on social media (SNS) and elsewhere."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    url = models.URLField(_("address (URL)"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.url


class CertificationQuerySet(models.QuerySet["Certification"]):
    def in_force(self, day: Any = None) -> CertificationQuerySet:
        """In force on ``day``: a date (today unless given) or a ``Param``."""
        day = day if day is not None else timezone.localdate()
        return self.filter(
            Q(started_on__isnull=True) | Q(started_on__lte=day),
            Q(expires_on__isnull=True) | Q(expires_on__gte=day),
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=day),
        )


class Certification(models.Model):
    """認定 / 特例認定 (formerly 仮認定) by the competent authority, or 条例個別指定 by a
    prefecture or municipality, with its dates."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="certifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=CertificationKind.choices)
    authority = models.CharField(
        _("granted by"), max_length=60, blank=True, help_text=_("e.g. 北海道, 札幌市")
    )
    started_on = models.DateField(_("valid from"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-started_on", "kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def is_in_force(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (
            (self.started_on is None or self.started_on <= day)
            and (self.expires_on is None or self.expires_on >= day)
            and (self.revoked_on is None or self.revoked_on > day)
        )

    def as_value(self) -> dict[str, Any]:
        """The certification as plain data (provenance, history and merges store it)."""
        return {
            "kind": self.kind,
            "authority": self.authority,
            "started_on": _iso(self.started_on),
            "expires_on": _iso(self.expires_on),
            "revoked_on": _iso(self.revoked_on),
        }


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


class CenterRegistration(models.Model):
    """The organization's registration at a center (登録団体)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="registrations"
    )
    center = models.ForeignKey(
        "centers.Center", on_delete=models.PROTECT, related_name="organization_registrations"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    center_group_id = models.CharField(_("group ID at the center"), max_length=40, blank=True)
    source_record = models.ForeignKey(
        "SourceRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("registration at a center")
        verbose_name_plural = _("registrations at centers")
        ordering = ["center__name_kana", "center__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "center"], name="registration_once_per_center"
            ),
            models.UniqueConstraint(
                fields=["center", "center_group_id"],
                condition=~Q(center_group_id=""),
                name="registration_group_id_once_per_center",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.center}"
