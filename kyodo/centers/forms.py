"""Input of the centers pages and API: filters, staff roles, sharing rules, the profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kyodo.accounts.models import User
from kyodo.centers.actions import PROFILE_FIELDS
from kyodo.centers.models import Center, CenterKind, RecordKind, Role, Service, StaffMembership

AreaChoices = list[tuple[str, Any]]


def area_choices(areas: list[tuple[str, list[str]]]) -> AreaChoices:
    """Grouped choices for the area filter: each prefecture as a whole, then its
    municipalities."""
    choices: AreaChoices = [("", _("All areas"))]
    for prefecture, municipalities in areas:
        whole = _("All of %(prefecture)s") % {"prefecture": prefecture}
        choices.append((prefecture, [(prefecture, whole), *[(m, m) for m in municipalities]]))
    return choices


class CenterFilterForm(forms.Form):
    """Filters of the public list of centers and of ``GET /api/v1/centers``.

    Every field is optional; a value that is not one of the choices is reported on its
    field and that filter is left out."""

    q = forms.CharField(
        label=_("Keyword"),
        required=False,
        max_length=100,
        help_text=_("Part of a name, a reading or an area, e.g. 江別."),
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    service = forms.ChoiceField(
        label=_("Service"),
        required=False,
        choices=[("", _("All services")), *Service.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind of center"),
        required=False,
        choices=[("", _("All kinds")), *CenterKind.choices],
    )

    def __init__(self, *args: Any, areas: list[tuple[str, list[str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices(areas)  # type: ignore[attr-defined]

    def filter(self, centers: Any) -> Any:
        """Apply the valid filters to a ``CenterQuerySet``."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if data.get("area"):
            centers = centers.in_area(data["area"])
        if data.get("service"):
            centers = centers.offering(data["service"])
        if data.get("kind"):
            centers = centers.of_kind(data["kind"])
        if data.get("q", "").strip():
            centers = centers.matching(data["q"])
        return centers

    @property
    def is_filtered(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return any(data.get(name) for name in ("area", "service", "kind", "q"))


class StaffMembershipForm(forms.Form):
    """Give an existing person a role at a center, found by e-mail address."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person must already have a Kyodo sign-in with a verified address."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])
    department = forms.CharField(
        label=_("Department"),
        required=False,
        max_length=120,
        help_text=_("For municipal officers, e.g. 市民文化局市民自治推進室."),
    )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No one has a Kyodo sign-in with this e-mail address."), code="unknown"
            )
        if not user.has_verified_email:
            raise forms.ValidationError(
                _("This person has not verified their e-mail address yet."),
                code="unverified",
            )
        return user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.MUNICIPAL_OFFICER and not data.get("department"):
            self.add_error("department", _("Enter the department of the municipal officer."))
        return data


class EndMembershipForm(forms.Form):
    membership = forms.ModelChoiceField(
        label=_("Role to end"),
        queryset=StaffMembership.objects.none(),
        error_messages={"invalid_choice": _("This role is not held at this center now.")},
    )

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (  # type: ignore[attr-defined]
            StaffMembership.objects.current()
            .filter(center=center, ended_on__isnull=True)
            .select_related("user", "center")
        )


class SharingForm(forms.Form):
    """Which kinds of records a center shares with one partner."""

    kinds = forms.MultipleChoiceField(
        label=_("Records shared with this partner"),
        required=False,
        choices=RecordKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class CenterProfileForm(forms.ModelForm):
    """The public profile of a center, as its administrator keeps it."""

    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        required=False,
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Center
        fields = PROFILE_FIELDS
        widgets = {
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["services"] = self.instance.service_codes
