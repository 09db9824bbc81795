"""Filters of the audit log page and its CSV export."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.audit.models import Action
from kyodo.centers.models import Center


def record_type_choices() -> list[tuple[str, str]]:
    """Every kind of record an event can name: the installed models, by their name."""
    choices = [
        (model._meta.label_lower, str(model._meta.verbose_name).capitalize())
        for model in apps.get_models()
    ]
    return sorted(choices, key=lambda choice: choice[1])


class AuditFilterForm(forms.Form):
    center = forms.ModelChoiceField(
        label=_("Center"),
        queryset=Center.objects.none(),
        required=False,
        empty_label=_("All my centers"),
        error_messages={"invalid_choice": _("Choose one of your centers.")},
    )
    action = forms.ChoiceField(
        label=_("Operation"),
        required=False,
        choices=[("", _("All operations")), *Action.choices],
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    actor = forms.CharField(
        label=_("Operator's e-mail address"),
        required=False,
        max_length=254,
        help_text=_("All or part of the address."),
    )
    record_type = forms.ChoiceField(label=_("Kind of record"), required=False)

    def __init__(self, *args: Any, centers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers  # type: ignore[attr-defined]
        self.fields["record_type"].choices = [  # type: ignore[attr-defined]
            ("", _("All kinds of records")),
            *record_type_choices(),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def filter(self, events: Any) -> Any:
        """Apply the valid filters to an ``AuditEvent`` QuerySet."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if data.get("center"):
            events = events.filter(center=data["center"])
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("date_from"):
            events = events.filter(occurred_at__gte=_start_of(data["date_from"]))
        if data.get("date_to") and "date_to" not in self.errors:
            next_day = data["date_to"] + datetime.timedelta(days=1)
            events = events.filter(occurred_at__lt=_start_of(next_day))
        if data.get("actor", "").strip():
            events = events.filter(actor_label__icontains=data["actor"].strip())
        if data.get("record_type"):
            events = events.filter(object_type=data["record_type"])
        return events

    def as_details(self) -> dict[str, str]:
        """The valid filters, for the audit event of an export."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            name: str(getattr(value, "pk", value))
            for name, value in data.items()
            if value not in (None, "")
        }


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
