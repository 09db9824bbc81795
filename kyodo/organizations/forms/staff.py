"""Staff screens: the search of every record, the edit of a master record, registrations
at a center, merges and the decisions of the review queues."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext_lazy as _

from kyodo.centers.models import Center
from kyodo.japanese.text import to_halfwidth_digits
from kyodo.organizations.models import (
    MIN_SEARCH_LENGTH,
    LegalForm,
    Organization,
    OrganizationQuerySet,
    RegistrationStatus,
    Status,
)

from ._record import _CorporateNumberMixin, _ListFieldsMixin, list_initial
from ._widgets import DateInput
from .directory import MAX_QUERY_LENGTH


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
