"""Input of a room's description and rules, its fee table, the center's occupancy basis
and the first day of a week grid."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyodo.rooms.fees import FULL_DAY_LABELS
from kyodo.rooms.hours import UnreadableSchedule, read_closed_days, read_opening_hours
from kyodo.rooms.models import (
    Equipment,
    FeeRule,
    FeeUnit,
    OccupancyBasis,
    Room,
)

from ._widgets import DATE_INPUT, TIME_INPUT


class RoomForm(forms.ModelForm):
    """A room's description and rules, edited by the center's staff. Opening hours and
    closed days are read by the schedule parser; text it cannot read fully is refused."""

    equipment = forms.MultipleChoiceField(
        label=gettext_lazy("Equipment"),
        choices=Equipment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Room
        fields = [
            "name",
            "capacity",
            "floor_area_m2",
            "equipment",
            "equipment_note",
            "fee_unit",
            "fee_note",
            "opening_hours",
            "closed_days",
            "booking_opens_months",
            "booking_closes_hours",
            "eligibility",
            "parts",
            "purpose_restrictions",
            "requires_approval",
            "is_active",
        ]
        widgets = {
            "opening_hours": forms.Textarea(attrs={"rows": 2}),
            "closed_days": forms.Textarea(attrs={"rows": 2}),
            "purpose_restrictions": forms.Textarea(attrs={"rows": 3}),
            "parts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, center: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.center = center
        others = Room.objects.filter(center=center)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["parts"].queryset = others  # type: ignore[attr-defined]

    def clean_opening_hours(self) -> str:
        text: str = self.cleaned_data.get("opening_hours", "").strip()
        try:
            read_opening_hours(text)
        except UnreadableSchedule as error:
            raise forms.ValidationError(
                _(
                    "This part could not be read: 「%(part)s」. Write the days and times, e.g. "
                    "月曜日～土曜日 9:00～21:00 日曜日・祝日 9:00～17:00."
                )
                % {"part": "、".join(error.parts)}
            ) from None
        return text

    def clean_closed_days(self) -> str:
        text: str = self.cleaned_data.get("closed_days", "").strip()
        try:
            read_closed_days(text)
        except UnreadableSchedule as error:
            raise forms.ValidationError(
                _(
                    "This part could not be read: 「%(part)s」. "
                    "Write the days, e.g. 年末年始、第3木曜日 点検日."
                )
                % {"part": "、".join(error.parts)}
            ) from None
        return text

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = Room.objects.filter(center=self.center, name=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This center already has a room with this name."))
        return name


class WeekForm(forms.Form):
    """The first day of a grid (``?from=2025-06-09``); today when absent or invalid."""

    start = forms.DateField(label=gettext_lazy("Week from"), required=False, widget=DATE_INPUT)

    def first_day(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data.get("start"):
            day: datetime.date = self.cleaned_data["start"]
            return day
        return timezone.localdate()


class FeeRuleForm(forms.ModelForm):
    """One line of a room's fee table."""

    fee_yen = forms.IntegerField(
        label=gettext_lazy("fee (yen)"),
        min_value=1,
        max_value=10_000_000,
        error_messages={"min_value": gettext_lazy("Write the fee in yen, 1 or more.")},
    )

    class Meta:
        model = FeeRule
        fields = ["label", "unit", "starts_at_time", "ends_at_time", "minutes", "fee_yen"]
        widgets = {"starts_at_time": TIME_INPUT, "ends_at_time": TIME_INPUT}

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        unit = data.get("unit")
        start, end = data.get("starts_at_time"), data.get("ends_at_time")
        if unit == FeeUnit.DIVISION:
            if start is None:
                self.add_error("starts_at_time", _("A time division needs its start time."))
            if end is None:
                self.add_error("ends_at_time", _("A time division needs its end time."))
        if start is not None and end is not None and end <= start:
            self.add_error("ends_at_time", _("The end must be after the start."))
        if unit == FeeUnit.KOMA and not data.get("minutes"):
            self.add_error("minutes", _("Write how many minutes one slot (コマ) lasts."))
        return data


class BaseFeeRuleFormSet(forms.BaseInlineFormSet):
    """The fee table of a room: time divisions (区分) must not overlap, except 全日,
    which covers the others by definition."""

    def clean(self) -> None:
        super().clean()
        spans: list[tuple[datetime.time, datetime.time, str]] = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and form.cleaned_data.get("DELETE"):
                continue
            data = form.cleaned_data
            start, end = data.get("starts_at_time"), data.get("ends_at_time")
            if (
                data.get("unit") != FeeUnit.DIVISION
                or start is None
                or end is None
                or end <= start
                or data.get("label") in FULL_DAY_LABELS
            ):
                continue
            for other_start, other_end, other_label in spans:
                if start < other_end and end > other_start:
                    form.add_error(
                        "starts_at_time",
                        _("%(label)s overlaps %(other)s; time divisions must not overlap.")
                        % {"label": data.get("label", ""), "other": other_label},
                    )
                    break
            spans.append((start, end, data.get("label", "")))


FeeRuleFormSet = forms.inlineformset_factory(
    Room,
    FeeRule,
    form=FeeRuleForm,
    formset=BaseFeeRuleFormSet,
    extra=1,
    can_delete=True,
)


class OccupancyBasisForm(forms.Form):
    """What the center's occupancy rate (稼働率) divides by."""

    occupancy_basis = forms.ChoiceField(
        label=gettext_lazy("Count occupancy by"),
        choices=OccupancyBasis.choices,
        widget=forms.RadioSelect,
    )
