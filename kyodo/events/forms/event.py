"""The staff event form, with its dates or recurring schedule and the schedule preview;
the status and coordination decision forms."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kyodo.centers.models import Center
from kyodo.events.actions import SessionTimes, read_schedule
from kyodo.events.models import (
    Audience,
    Decision,
    Event,
    EventSession,
    EventStatus,
    Topic,
)
from kyodo.japanese.text import normalize_width
from kyodo.rooms.models import Room

from ._widgets import DateInput, DateTimeInput

# --- Staff event form -------------------------------------------------------------------

_DATE_LINE = re.compile(
    r"^(?P<y>\d{4})[-/年](?P<m>\d{1,2})[-/月](?P<d>\d{1,2})日?"
    r"(?:\s*(?P<sh>\d{1,2})[:時](?P<sm>\d{2})?分?\s*(?:[-~〜～]|から)\s*"
    r"(?P<eh>\d{1,2})[:時](?P<em>\d{2})?分?(?:まで)?)?"
    r"(?:\s+(?P<title>.+))?$"
)


def parse_session_lines(text: str) -> tuple[list[SessionTimes], list[str]]:
    """Read one session per line (``2026-12-05 13:00-15:00 第1回 事業計画``); returns the
    sessions and the error messages (each naming its line)."""
    sessions: list[SessionTimes] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = normalize_width(raw).strip()
        if not line:
            continue
        match = _DATE_LINE.match(line)
        if match is None:
            errors.append(
                str(_("Line %(number)s is not a date and time like 2026-12-05 13:00-15:00."))
                % {"number": number}
            )
            continue
        try:
            day = datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            errors.append(str(_("Line %(number)s: there is no such date.")) % {"number": number})
            continue
        start = end = None
        if match["sh"]:
            try:
                start = datetime.time(int(match["sh"]), int(match["sm"] or 0))
                end = datetime.time(int(match["eh"]), int(match["em"] or 0))
            except ValueError:
                errors.append(
                    str(_("Line %(number)s: there is no such time.")) % {"number": number}
                )
                continue
            if end <= start:
                errors.append(
                    str(_("Line %(number)s: the end time is not after the start time."))
                    % {"number": number}
                )
                continue
        sessions.append(SessionTimes(day, start, end, (match["title"] or "").strip()[:200]))
    return sessions, errors


def _formfield(field: Any, **kwargs: Any) -> Any:
    from django.db import models

    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


FEE_FREE, FEE_PAID, FEE_UNKNOWN = "free", "paid", "unknown"
FEE_KINDS = [
    (FEE_FREE, _("Free of charge")),
    (FEE_PAID, _("Paid (give the amount)")),
    (FEE_UNKNOWN, _("Not decided or not stated")),
]


def fee_kind_of(fee_yen: int | None) -> str:
    if fee_yen is None:
        return FEE_UNKNOWN
    return FEE_FREE if fee_yen == 0 else FEE_PAID


class EventForm(forms.ModelForm):
    """The staff form for an event. Dates are either explicit sessions (one per line) or a
    recurring schedule phrase; a phrase with parts the system did not understand must be
    corrected or its reading confirmed."""

    audiences = forms.MultipleChoiceField(
        label=_("For whom"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fee_kind = forms.ChoiceField(
        label=_("Fee"),
        choices=FEE_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the event is free, paid or not decided.")},
    )
    dates = forms.CharField(
        label=_("Dates and times"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One session per line, e.g. 2026-12-05 13:00-15:00 第1回 事業計画. "
            "Leave empty when you write a recurring schedule."
        ),
    )

    class Meta:
        model = Event
        formfield_callback = _formfield
        fields = [
            "center",
            "kind",
            "title",
            "title_kana",
            "summary",
            "description",
            "audiences",
            "audience_note",
            "topics",
            "dates",
            "schedule_text",
            "series_starts_on",
            "series_ends_on",
            "schedule_confirmed",
            "schedule_note",
            "venue_room",
            "venue_center",
            "venue_name",
            "venue_address",
            "online_url",
            "url",
            "accepts_registrations",
            "registration_unit",
            "capacity",
            "has_waiting_list",
            "fee_kind",
            "fee_yen",
            "fee_details",
            "application_opens_at",
            "application_closes_at",
            "how_to_apply",
            "contact_name",
            "contact_phone",
            "contact_email",
            "accessibility_notes",
        ]
        widgets = {
            "series_starts_on": DateInput(),
            "series_ends_on": DateInput(),
            "application_opens_at": DateTimeInput(),
            "application_closes_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers  # type: ignore[attr-defined]
        self.fields["center"].empty_label = None  # type: ignore[attr-defined]
        self.fields["venue_center"].queryset = Center.objects.active()  # type: ignore[attr-defined]

        self.fields["venue_room"].queryset = Room.objects.filter(  # type: ignore[attr-defined]
            center__in=centers
        ).select_related("center")
        from django.urls import reverse

        self.fields["schedule_text"].widget.attrs.update(
            {
                "hx-get": reverse("events_staff:schedule_preview"),
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#schedule-preview",
                "hx-swap": "outerHTML",
                "hx-include": "[name=series_starts_on], [name=series_ends_on]",
                "aria-controls": "schedule-preview",
            }
        )
        fee = self.fields["fee_yen"]
        fee.required = False
        fee.label = _("Amount (yen)")
        fee.help_text = _("For a paid event: the fee in yen, e.g. 500.")
        fee.min_value = 0  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial.setdefault("fee_kind", fee_kind_of(self.instance.fee_yen))
        capacity = self.fields["capacity"]
        capacity.min_value = 1  # type: ignore[attr-defined]
        capacity.validators.append(_capacity_validator)
        self.sessions: list[SessionTimes] = []
        self.schedule_preview: Any = None
        if self.instance.pk:
            self.initial.setdefault("audiences", self.instance.audience_codes)
            explicit = self.instance.sessions.filter(from_schedule=False, is_cancelled=False)
            self.initial.setdefault("dates", "\n".join(_session_line(s) for s in explicit))

    def clean_dates(self) -> str:
        text: str = self.cleaned_data.get("dates", "")
        self.sessions, errors = parse_session_lines(text)
        if errors:
            raise forms.ValidationError(errors)
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        phrase = (data.get("schedule_text") or "").strip()
        start, end = data.get("series_starts_on"), data.get("series_ends_on")
        if start and end and end < start:
            self.add_error("series_ends_on", _("The end date is before the start date."))
        opens, closes = data.get("application_opens_at"), data.get("application_closes_at")
        if opens and closes and closes < opens:
            self.add_error(
                "application_closes_at", _("Applications cannot close before they open.")
            )
        self._clean_fee(data)
        if phrase and self.sessions:
            self.add_error(
                "schedule_text",
                _("Give either dates and times or a recurring schedule, not both."),
            )
        elif not phrase and not self.sessions and not self.has_error("dates"):
            self.add_error("dates", _("Give the dates and times or a recurring schedule."))
        if phrase and not self.has_error("series_ends_on"):
            schedule, first, last = read_schedule(phrase, start, end)
            self.schedule_preview = preview(schedule, first, last)
            if not schedule.is_complete and not data.get("schedule_confirmed"):
                self.add_error(
                    "schedule_text",
                    _(
                        "The system did not understand all of the phrase: %(parts)s. "
                        "Correct it, or tick “The reading was checked” if the reading "
                        "below is right."
                    )
                    % {"parts": "、".join(f"「{p}」" for p in schedule.unparsed)},
                )
            elif not schedule.occurrences(first, last):
                self.add_error("schedule_text", _("The schedule has no date in the period."))
        return data

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        # The amount input may be left out of the data (a disabled input): the fee still
        # follows the choice rather than the model's default.
        if "fee_kind" in self.cleaned_data and not self.has_error("fee_yen"):
            self.instance.fee_yen = self.cleaned_data.get("fee_yen")

    def _clean_fee(self, data: dict[str, Any]) -> None:
        """``fee_yen``: 0 when free, the amount when paid, None when not decided."""
        kind, amount = data.get("fee_kind"), data.get("fee_yen")
        if kind is None or self.has_error("fee_yen"):
            return
        if kind == FEE_PAID:
            if not amount:
                self.add_error("fee_yen", _("Give the fee in yen for a paid event."))
        elif amount:
            self.add_error(
                "fee_yen",
                _("Leave the amount empty, or choose “Paid” for an event with a fee."),
            )
        else:
            data["fee_yen"] = 0 if kind == FEE_FREE else None


def _capacity_validator(value: int | None) -> None:
    if value is not None and value < 1:
        raise forms.ValidationError(
            _("The capacity must be at least 1. Leave it empty for no limit.")
        )


def _session_line(session: EventSession) -> str:
    line = session.date.isoformat()
    if session.start_time:
        line += " " + session.start_time.strftime("%H:%M")
        if session.end_time:
            line += "-" + session.end_time.strftime("%H:%M")
    if session.title:
        line += " " + session.title
    return line


def preview(schedule: Any, first: datetime.date, last: datetime.date) -> dict[str, Any]:
    """What the staff form shows of a schedule phrase: the reading, the next ten
    occurrences, the RRULE and GIF code, and the phrase with the parts not understood."""
    text: str = schedule.text
    pieces: list[tuple[str, bool]] = []
    rest = text
    for part in schedule.unparsed:
        index = rest.find(part)
        if index < 0:
            continue
        if index:
            pieces.append((rest[:index], False))
        pieces.append((part, True))
        rest = rest[index + len(part) :]
    if rest:
        pieces.append((rest, False))
    return {
        "phrase": text,
        "pieces": pieces,
        "reading": schedule.reading,
        "gif_code": schedule.gif_code,
        "rrule": schedule.rrule_between(first, last),
        "occurrences": schedule.occurrences(first, last)[:10],
        "unparsed": list(schedule.unparsed),
        "first": first,
        "last": last,
    }


class SchedulePreviewForm(forms.Form):
    schedule_text = forms.CharField(required=False, max_length=300)
    series_starts_on = forms.DateField(required=False)
    series_ends_on = forms.DateField(required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (EventStatus.CANCELLED, EventStatus.CANCELLED.label),
            (EventStatus.POSTPONED, EventStatus.POSTPONED.label),
            (EventStatus.DRAFT, _("Back to draft")),
        ],
    )
    note = forms.CharField(
        label=_("Note for the public"),
        max_length=300,
        required=False,
        help_text=_("Why, and the new date if known."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("What did you decide?"), choices=Decision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. 道センターと相談し、内容を実務編に変更."),
    )
