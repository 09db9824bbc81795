"""Input of a referral (相互あっせん) and of its outcome."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyodo.organizations.models import Organization
from kyodo.rooms.models import (
    ReferralOutcome,
    Room,
)

from ._widgets import DATETIME_INPUT


class ReferralForm(forms.Form):
    """A referral (相互あっせん) to a free room of a partner center."""

    room = forms.ModelChoiceField(label=gettext_lazy("Partner room"), queryset=Room.objects.none())
    starts_at = forms.DateTimeField(label=gettext_lazy("From"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=gettext_lazy("Until"), widget=DATETIME_INPUT)
    people = forms.IntegerField(
        label=gettext_lazy("Number of people"), min_value=1, max_value=10000
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=Organization.objects.active(), required=False
    )
    person_name = forms.CharField(
        label=gettext_lazy("Name of the person"), max_length=100, required=False
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, partner_rooms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = partner_rooms  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        if not data.get("organization") and not data.get("person_name"):
            self.add_error("person_name", _("Choose the group or write the person's name."))
        return data


class ReferralOutcomeForm(forms.Form):
    """What became of a referral (相互あっせん)."""

    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=ReferralOutcome.choices)
