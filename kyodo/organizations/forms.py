"""Input of the organization pages and API: directory filters, staff edits and searches,
imports and their column mapping, and what groups send (claims, profile, news)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from kyodo.centers.models import Center
from kyodo.japanese import kana
from kyodo.japanese.corporate_number import CorporateNumberError, normalize_corporate_number
from kyodo.japanese.text import to_halfwidth_digits
from kyodo.organizations.models import (
    MIN_SEARCH_LENGTH,
    ActivityArea,
    ActivityField,
    CertificationKind,
    LegalForm,
    LinkKind,
    Organization,
    OrganizationQuerySet,
    RegistrationStatus,
    Status,
    search_terms,
)

ANY_CERTIFICATION = "any"
ALL_STATUSES = "all"
SORT_READING = "reading"
SORT_NEWEST = "newest"
INDEX_ROWS: tuple[str, ...] = (*kana.GOJUON_ROWS, kana.OTHER)
MAX_QUERY_LENGTH = 100

# Hosts of the social networks, to tell the kind of a link from its address.
LINK_HOSTS: dict[str, str] = {
    "x.com": LinkKind.X,
    "twitter.com": LinkKind.X,
    "facebook.com": LinkKind.FACEBOOK,
    "fb.com": LinkKind.FACEBOOK,
    "instagram.com": LinkKind.INSTAGRAM,
    "youtube.com": LinkKind.YOUTUBE,
    "youtu.be": LinkKind.YOUTUBE,
    "line.me": LinkKind.LINE,
    "lin.ee": LinkKind.LINE,
    "note.com": LinkKind.NOTE,
    "ameblo.jp": LinkKind.BLOG,
    "hatenablog.com": LinkKind.BLOG,
    "blog.goo.ne.jp": LinkKind.BLOG,
}
MAX_LINKS = 10


AREAS_CACHE_KEY = "organizations:directory-areas"


def directory_areas() -> list[tuple[str, list[str]]]:
    """[(group label, [area, …]), …] offered by the area filter: the prefectures and
    municipalities of the public directory, and the areas groups name (全道, 札幌市内,
    中央区 …).

    Reading them scans the registry, so the list is kept in the cache for
    ``KYODO_ORGANIZATION_AREAS_CACHE_SECONDS`` (5 minutes; 0 turns the cache off): a new
    area shows in the list a few minutes late, and filtering by it works at once.
    """
    seconds = int(getattr(settings, "KYODO_ORGANIZATION_AREAS_CACHE_SECONDS", 300))
    if seconds:
        cached = cache.get(AREAS_CACHE_KEY)
        if cached is not None:
            return list(cached)
    prefectures: set[str] = set()
    municipalities: set[str] = set()
    places = (
        Organization.objects.public().order_by().values_list("prefecture", "municipality")
    ).distinct()
    for prefecture, municipality in places:
        if prefecture:
            prefectures.add(prefecture)
        if municipality:
            municipalities.add(municipality)
    # Area names are common words (全道, 中央区); reading them for every record is cheap.
    named = set(ActivityArea.objects.order_by().values_list("name", flat=True).distinct())
    areas = [
        (str(_("Prefecture")), sorted(prefectures)),
        (str(_("Municipality")), sorted(municipalities)),
        (str(_("Area of activity")), sorted(named - prefectures - municipalities)),
    ]
    if seconds:
        cache.set(AREAS_CACHE_KEY, areas, seconds)
    return areas


class LongSelect(forms.Select):
    """A select of hundreds of options (the areas), rendered without a template per
    option; the attributes (id, aria-describedby, aria-invalid) are those of any widget."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        final.pop("maxlength", None)  # from the CharField; not an attribute of a select
        chosen = {str(v) for v in self.format_value(value)}

        def option(option_value: Any, label: Any) -> SafeString:
            selected = " selected" if str(option_value) in chosen else ""
            return format_html('<option value="{}"{}>{}</option>', option_value, selected, label)

        parts = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                options = format_html_join("", "{}", ((option(*pair),) for pair in group_label))
                parts.append(
                    format_html('<optgroup label="{}">{}</optgroup>', group_value, options)
                )
            else:
                parts.append(option(group_value, group_label))
        body = format_html_join("", "{}", ((part,) for part in parts))
        return format_html("<select{}>{}</select>", flatatt(final), body)


def _area_choices(areas: list[tuple[str, list[str]]]) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("All areas"))]
    for label, names in areas:
        if names:
            choices.append((label, [(name, name) for name in names]))
    return choices


class DirectoryFilterForm(forms.Form):
    """Filters of the public directory, its exports and ``GET /api/v1/organizations``.

    Every field is optional; a value that is not one of the choices is reported on its
    field and that filter is left out (the API answers 422 instead)."""

    q = forms.CharField(
        label=_("Keyword"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "Two characters or more of a name, a reading or an area, e.g. 子育 or さっぽろ."
        ),
    )
    field = forms.TypedChoiceField(
        label=_("Field of activity"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All fields")), *ActivityField.choices],
    )
    area = forms.CharField(label=_("Area"), required=False, max_length=60, widget=LongSelect)
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        required=False,
        choices=[("", _("All legal forms")), *LegalForm.choices],
    )
    center = forms.ModelChoiceField(
        label=_("Registered at"),
        required=False,
        queryset=Center.objects.none(),
        empty_label=_("Any center"),
    )
    certification = forms.ChoiceField(
        label=_("Certification"),
        required=False,
        choices=[
            ("", _("With or without")),
            (ANY_CERTIFICATION, _("Any certification in force")),
            *CertificationKind.choices,
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (Status.ACTIVE.value, _("Active")),
            (Status.DISSOLVED.value, _("Dissolved")),
            (ALL_STATUSES, _("Active and dissolved")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[(SORT_READING, _("By reading (50音順)")), (SORT_NEWEST, _("Newest first"))],
    )
    row = forms.ChoiceField(
        label=_("Index row"),
        required=False,
        choices=[("", "")] + [(row, row) for row in INDEX_ROWS],
        widget=forms.HiddenInput,
    )

    FILTERS = ("q", "field", "area", "legal_form", "center", "certification", "row")

    def __init__(
        self,
        *args: Any,
        areas: list[tuple[str, list[str]]] | None = None,
        centers: QuerySet[Center] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = _area_choices(areas or [])
        chosen = str(self.data.get(self.add_prefix("area"), "")).strip() if self.is_bound else ""
        offered = {value for _group, options in choices[1:] for value, _label in options}
        if chosen and chosen not in offered and len(chosen) <= 60:
            choices.append((chosen, chosen))  # an area the list does not offer (yet)
        self.fields["area"].widget.choices = choices
        self.fields["center"].queryset = (  # type: ignore[attr-defined]
            centers if centers is not None else Center.objects.active().order_by("name_kana")
        )

    def clean_status(self) -> str:
        return str(self.cleaned_data.get("status") or Status.ACTIVE.value)

    def clean_sort(self) -> str:
        return str(self.cleaned_data.get("sort") or SORT_READING)

    @property
    def data_or_defaults(self) -> dict[str, Any]:
        data = dict(self.cleaned_data) if hasattr(self, "cleaned_data") else {}
        data.setdefault("status", Status.ACTIVE.value)
        data.setdefault("sort", SORT_READING)
        return data

    @property
    def query(self) -> str:
        return str(self.data_or_defaults.get("q") or "").strip()

    @property
    def query_too_short(self) -> bool:
        """A keyword was given but every word of it is shorter than two characters."""
        return bool(self.query) and not search_terms(self.query)

    @property
    def is_filtered(self) -> bool:
        data = self.data_or_defaults
        return any(data.get(name) for name in self.FILTERS) or (
            data["status"] != Status.ACTIVE.value
        )

    @property
    def current_row(self) -> str:
        return str(self.data_or_defaults.get("row") or "")

    def filter(self, organizations: OrganizationQuerySet) -> OrganizationQuerySet:
        """Apply the valid filters and the order to an ``OrganizationQuerySet``."""
        data = self.data_or_defaults
        if data["status"] == Status.ACTIVE.value:
            organizations = organizations.active()
        elif data["status"] == Status.DISSOLVED.value:
            organizations = organizations.dissolved()
        if data.get("field") is not None:
            organizations = organizations.with_activity_field(data["field"])
        if data.get("area"):
            organizations = organizations.in_area(data["area"])
        if data.get("legal_form"):
            organizations = organizations.of_legal_form(data["legal_form"])
        if data.get("center"):
            organizations = organizations.registered_at(data["center"])
        if data.get("certification") == ANY_CERTIFICATION:
            organizations = organizations.certified()
        elif data.get("certification"):
            organizations = organizations.certified(data["certification"])
        if data.get("row"):
            organizations = organizations.filter(name_reading_row=data["row"])
        if self.query:
            organizations = organizations.search(self.query)
        if data["sort"] == SORT_NEWEST:
            return organizations.newest()
        return organizations.by_reading()


# --- Staff ---------------------------------------------------------------------------------


class StaffSearchForm(forms.Form):
    """The staff search of every record, hidden and dissolved ones too."""

    ALL = ""

    q = forms.CharField(
        label=_("Name, reading, corporate number, telephone or e-mail"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Active and dissolved")),
            (Status.ACTIVE.value, _("Active")),
            (Status.DISSOLVED.value, _("Dissolved")),
            (Status.MERGED.value, _("Merged into another record")),
        ],
    )
    listed = forms.ChoiceField(
        label=_("Public directory"),
        required=False,
        choices=[
            ("", _("Listed or not")),
            ("yes", _("Listed")),
            ("no", _("Not listed")),
        ],
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        required=False,
        choices=[("", _("All legal forms")), *LegalForm.choices],
    )
    center = forms.ModelChoiceField(
        label=_("Registered at"),
        required=False,
        queryset=Center.objects.order_by("name_kana", "name"),
        empty_label=_("Any center"),
    )

    def filter(self, organizations: OrganizationQuerySet) -> OrganizationQuerySet:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        status = data.get("status")
        if status:
            organizations = organizations.filter(status=status)
        else:
            organizations = organizations.exclude(status=Status.MERGED)
        if data.get("listed"):
            organizations = organizations.filter(is_public=data["listed"] == "yes")
        if data.get("legal_form"):
            organizations = organizations.of_legal_form(data["legal_form"])
        if data.get("center"):
            organizations = organizations.registered_at(data["center"])
        query = str(data.get("q") or "").strip()
        if query:
            organizations = organizations.annotate(
                phone_digits=_digits_of("phone"), fax_digits=_digits_of("fax")
            ).filter(_staff_query(query))
        return organizations.by_reading()


def _staff_query(text: str) -> Q:
    """Names and readings (as the public search), and the fields only staff see: the
    corporate number, telephone and fax (digits compared without dashes), e-mail,
    representative and contact person."""
    word = text.strip()
    query = Q(pk__in=Organization.objects.search(word).values("pk"))
    digits = "".join(c for c in to_halfwidth_digits(word) if c.isdigit())
    if len(digits) >= 4 and not word.replace("-", "").replace(" ", "").strip(digits):
        query |= Q(corporate_number__startswith=digits) | Q(phone_digits__contains=digits)
        query |= Q(fax_digits__contains=digits)
    if len(word) >= MIN_SEARCH_LENGTH:
        query |= (
            Q(email__icontains=word)
            | Q(representative__contains=word)
            | Q(contact_person__contains=word)
        )
    return query


def _digits_of(field: str) -> Replace:
    return Replace(Replace(F(field), Value("-"), Value("")), Value(" "), Value(""))


class LinksField(forms.CharField):
    """Web and SNS addresses, one per line; each link's kind is told by its host."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]
        text = super().to_python(value)
        links: list[dict[str, str]] = []
        validate = URLValidator(schemes=["http", "https"])
        for line in str(text or "").splitlines():
            url = line.strip()
            if not url:
                continue
            try:
                validate(url)
            except ValidationError as error:
                raise ValidationError(
                    _("「%(url)s」 is not a web address; write it as https://…"),
                    code="invalid_url",
                    params={"url": url[:80]},
                ) from error
            if len(url) > 500:
                raise ValidationError(_("A web address may have at most 500 characters."))
            links.append({"kind": link_kind(url), "url": url})
        if len(links) > MAX_LINKS:
            raise ValidationError(
                _("Give at most %(count)s links."), params={"count": MAX_LINKS}, code="too_many"
            )
        return links

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(link["url"]) for link in value)
        return value


def link_kind(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
    for known, kind in LINK_HOSTS.items():
        if host == known or host.endswith("." + known):
            return str(kind)
    return str(LinkKind.OTHER)


class AreasField(forms.CharField):
    """Areas of activity, one per line or separated by 、 or commas."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = str(super().to_python(value) or "")
        for separator in ("、", "，", ",", "・"):
            text = text.replace(separator, "\n")
        areas = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
        if any(len(area) > 60 for area in areas):
            raise ValidationError(_("Write each area in 60 characters or fewer."))
        if len(areas) > 20:
            raise ValidationError(_("Give at most 20 areas."))
        return areas

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(area) for area in value)
        return value


class _ListFieldsMixin(forms.Form):
    """Fields of activity, areas and links of a record, with their initial values."""

    activity_fields = forms.TypedMultipleChoiceField(
        label=_("Fields of activity"),
        required=False,
        coerce=int,
        choices=ActivityField.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    activity_areas = AreasField(
        label=_("Areas of activity"),
        required=False,
        help_text=_("One area per line, e.g. 札幌市内 or 中央区."),
    )
    links = LinksField(
        label=_("Web and SNS links"),
        required=False,
        help_text=_("One address per line, e.g. https://www.instagram.com/… (at most 10)."),
    )


def list_initial(organization: Organization) -> dict[str, Any]:
    return {
        "activity_fields": organization.activity_field_codes(),
        "activity_areas": organization.activity_area_names(),
        "links": [{"kind": link.kind, "url": link.url} for link in organization.links.all()],
    }


STAFF_EDIT_FIELDS = (
    "name",
    "name_kana",
    "legal_form",
    "corporate_number",
    "competent_authority",
    "is_public",
    "postcode",
    "prefecture",
    "municipality",
    "street",
    "address_is_public",
    "established_on",
    "certified_on",
    "representative",
    "representative_kana",
    "representative_is_public",
    "purpose",
    "activities",
    "phone",
    "phone_is_public",
    "fax",
    "fax_is_public",
    "email",
    "email_is_public",
    "contact_person",
    "contact_person_is_public",
    "website",
    "status",
    "dissolved_on",
    "dissolution_reason",
    "dissolution_note",
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _CorporateNumberMixin(forms.ModelForm):
    """The corporate number, normalised, and refused on its field when another record
    has it (rather than as the form-wide error of the database constraint)."""

    taken_message = _("Another record has this corporate number; merge the two instead.")

    def clean_corporate_number(self) -> str:
        number = str(self.cleaned_data.get("corporate_number") or "").strip()
        if not number:
            return ""
        try:
            number = normalize_corporate_number(number)
        except CorporateNumberError as error:
            raise ValidationError(str(error)) from error
        others = Organization.objects.filter(corporate_number=number).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(self.taken_message)
        return number

    def _get_validation_exclusions(self) -> set[str]:
        exclusions: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        exclusions.add("corporate_number")  # checked above, with a message on the field
        return exclusions


class OrganizationEditForm(_ListFieldsMixin, _CorporateNumberMixin):
    """A staff edit of a master record; the view sends only the changed fields to
    ``actions.apply_staff_edit``."""

    website = forms.URLField(
        label=_("Website"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Organization
        fields = STAFF_EDIT_FIELDS
        widgets = {
            "established_on": DateInput(),
            "certified_on": DateInput(),
            "dissolved_on": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "activities": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance: Organization | None = kwargs.get("instance")
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = list_initial(instance)
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (Status.ACTIVE.value, Status.ACTIVE.label),
            (Status.DISSOLVED.value, Status.DISSOLVED.label),
        ]
        self.order_fields([*STAFF_EDIT_FIELDS[:22], "activity_fields", "activity_areas"])

    def clean_postcode(self) -> str:
        digits = "".join(
            c
            for c in to_halfwidth_digits(str(self.cleaned_data.get("postcode", "")))
            if c.isdigit()
        )
        if digits and len(digits) != 7:
            raise ValidationError(_("Write the postcode with 7 digits, e.g. 060-0001."))
        return digits

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Status.DISSOLVED and not data.get("dissolved_on"):
            self.add_error("dissolved_on", _("Give the date of dissolution."))
        return data

    def changes(self) -> dict[str, Any]:
        """The fields the person changed, with their new values."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class RegistrationForm(forms.Form):
    """Register an organization at a center (登録団体), or change that registration."""

    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=RegistrationStatus.choices)
    registered_on = forms.DateField(label=_("Registered on"), required=False, widget=DateInput())
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=DateInput())
    center_group_id = forms.CharField(
        label=_("Group ID at the center"), required=False, max_length=40
    )

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers  # type: ignore[attr-defined]


class OtherRecordForm(forms.Form):
    """Choose the second record of a merge by its number in the registry."""

    other = forms.IntegerField(label=_("Record number"), min_value=1)


class MergeForm(forms.Form):
    keep = forms.ChoiceField(
        label=_("Record to keep"),
        widget=forms.RadioSelect,
        help_text=_("The other record is merged into it; the merge can be undone."),
    )

    def __init__(self, *args: Any, first: Organization, second: Organization, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [  # type: ignore[attr-defined]
            (str(first.pk), f"{first.name}（{first.pk}）"),
            (str(second.pk), f"{second.name}（{second.pk}）"),
        ]


class DecisionForm(forms.Form):
    """Approve or reject (claims, proposed changes), same or separate (matches)."""

    decision = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    @property
    def approved(self) -> bool:
        return bool(self.cleaned_data.get("decision") == "yes")


# --- Groups --------------------------------------------------------------------------------


class ClaimForm(forms.Form):
    """A person asks to manage the page of their group."""

    role = forms.ChoiceField(
        label=_("Your position"),
        choices=[("representative", _("Representative")), ("member", _("Member"))],
        widget=forms.RadioSelect,
        initial="member",
    )
    role_in_group = forms.CharField(
        label=_("Your role in the group"),
        max_length=60,
        help_text=_("e.g. 代表, 事務局長, 会計"),
    )
    phone = forms.CharField(
        label=_("Telephone number"),
        max_length=30,
        help_text=_("Where the center's staff can reach you to confirm. It is not published."),
    )
    message = forms.CharField(
        label=_("Message to the center"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_phone(self) -> str:
        phone = to_halfwidth_digits(str(self.cleaned_data.get("phone", ""))).strip()
        phone = phone.replace("ー", "-").replace("－", "-").replace("‐", "-")
        digits = "".join(c for c in phone if c.isdigit())
        if not 10 <= len(digits) <= 11 or any(c not in "0123456789-() " for c in phone):
            raise ValidationError(_("Write a telephone number with 10 or 11 digits."))
        return phone


GROUP_PROFILE_FIELDS = (
    "name",
    "name_kana",
    "corporate_number",
    "competent_authority",
    "representative",
    "representative_is_public",
    "purpose",
    "activities",
    "phone",
    "phone_is_public",
    "fax",
    "fax_is_public",
    "email",
    "email_is_public",
    "contact_person",
    "contact_person_is_public",
    "address_is_public",
    "website",
)


class GroupProfileForm(_ListFieldsMixin, _CorporateNumberMixin):
    """What a group edits of its own record. A change of the name, corporate number or
    competent authority waits for staff; the rest shows at once."""

    taken_message = _(
        "Another organization has this corporate number. Please check it, or ask the center."
    )

    website = forms.URLField(
        label=_("Website"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Organization
        fields = GROUP_PROFILE_FIELDS
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "activities": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "name": _("A new name shows once the center has confirmed it."),
            "corporate_number": _(
                "The 13-digit number of the National Tax Agency (法人番号); a change shows "
                "once the center has confirmed it."
            ),
            "competent_authority": _("A change shows once the center has confirmed it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance: Organization | None = kwargs.get("instance")
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = list_initial(instance)
        super().__init__(*args, **kwargs)
        self.order_fields([*GROUP_PROFILE_FIELDS[:8], "activity_fields", "activity_areas"])

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class NewsItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    published_at = forms.DateTimeField(
        label=_("Published at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("Leave empty to publish now; a later date publishes the item then."),
    )
    is_published = forms.BooleanField(
        label=_("Publish on the group's page"),
        required=False,
        initial=True,
        help_text=_("Untick to keep the item as a draft."),
    )


# --- Imports -------------------------------------------------------------------------------


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Kind of file"),
        widget=forms.RadioSelect,
        choices=[
            ("nta", _("National Tax Agency corporate-number data (CSV)")),
            ("npo_portal", _("Cabinet Office NPO portal (CSV)")),
            ("center_list", _("A center's list of registered groups (CSV or .xlsx)")),
        ],
    )
    center = forms.ModelChoiceField(
        label=_("Center of the list"),
        required=False,
        queryset=Center.objects.none(),
        help_text=_("Only for a center's list: the center the groups are registered at."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV in UTF-8 or Shift_JIS (CP932), or an Excel .xlsx sheet."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.xlsm"}),
    )
    as_of = forms.DateField(
        label=_("Data as of"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for today (NPO portal files carry their date in the name)."),
    )

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == "center_list" and not data.get("center"):
            self.add_error("center", _("Choose the center whose list this is."))
        return data


class ColumnMapForm(forms.Form):
    """What each column of a center's list holds, when its headers were not recognised."""

    def __init__(
        self,
        *args: Any,
        headers: list[str],
        fields: list[tuple[str, str]],
        initial_map: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.field_labels = dict(fields)
        choices = [("", _("Do not import")), *fields]
        by_header = {header: name for name, header in (initial_map or {}).items()}
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("(column %(number)s without a header)") % {"number": index + 1},
                required=False,
                choices=choices,
                initial=by_header.get(header, ""),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, str] = {}
        for index, header in enumerate(self.headers):
            name = data.get(f"column_{index}")
            if not name:
                continue
            if name in seen:
                self.add_error(
                    f"column_{index}",
                    _("%(field)s is already the column 「%(header)s」.")
                    % {"field": self.field_labels[name], "header": seen[name]},
                )
            elif not header:
                self.add_error(f"column_{index}", _("A column without a header cannot be used."))
            else:
                seen[name] = header
        if "name" not in seen and not self.errors:
            raise ValidationError(_("Choose the column that holds the name of each group."))
        data["column_map"] = {name: header for name, header in seen.items()}
        return data


__all__ = [
    "ClaimForm",
    "ColumnMapForm",
    "DecisionForm",
    "DirectoryFilterForm",
    "GroupProfileForm",
    "ImportForm",
    "MergeForm",
    "NewsItemForm",
    "OrganizationEditForm",
    "OtherRecordForm",
    "RegistrationForm",
    "StaffSearchForm",
    "directory_areas",
]
