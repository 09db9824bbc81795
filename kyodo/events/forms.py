"""Input of the events pages and API: calendar filters, registration, the staff event form."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kyodo.centers.forms import area_choices
from kyodo.centers.models import Center
from kyodo.events.actions import SessionTimes, read_schedule
from kyodo.events.models import (
    Audience,
    CoHostRole,
    Decision,
    Event,
    EventQuestion,
    EventSession,
    EventStatus,
    QuestionKind,
    RegistrationUnit,
    Topic,
)
from kyodo.japanese.text import normalize_width


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.datetime):
            from django.utils import timezone

            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return super().format_value(value)


# --- Calendar filters -------------------------------------------------------------------


class EventFilterForm(forms.Form):
    """Filters of the calendar pages, the feeds and ``GET /api/v1/events``. Every field is
    optional; an invalid value is reported on its field and that filter is left out."""

    q = forms.CharField(
        label=_("Keyword"),
        required=False,
        max_length=100,
        help_text=_("Part of a title or a description, e.g. 会計."),
    )
    center = forms.ModelChoiceField(
        label=_("Center"),
        required=False,
        queryset=Center.objects.none(),
        to_field_name="slug",
        empty_label=_("All centers"),
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    audience = forms.ChoiceField(
        label=_("For whom"),
        required=False,
        choices=[("", _("Everyone")), *Audience.choices],
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), required=False, queryset=Topic.objects.all(), empty_label=_("All topics")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    free = forms.BooleanField(label=_("Free of charge only"), required=False)
    online = forms.BooleanField(label=_("Online only"), required=False)

    FILTERS = ("q", "center", "area", "audience", "topic", "date_from", "date_to", "free", "online")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = Center.objects.active()
        self.fields["center"].queryset = active  # type: ignore[attr-defined]
        self.fields["area"].choices = area_choices(active.areas())  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
            data.pop("date_to", None)
        return data

    @property
    def data_or_empty(self) -> dict[str, Any]:
        return self.cleaned_data if hasattr(self, "cleaned_data") else {}

    def filter_events(self, events: Any) -> Any:
        """Apply the valid filters (except dates) to an ``EventQuerySet``."""
        data = self.data_or_empty
        if data.get("center"):
            events = events.on_calendar_of(data["center"])
        if data.get("area"):
            events = events.filter(center__in=Center.objects.in_area(data["area"]))
        if data.get("audience"):
            events = events.with_audience(data["audience"])
        if data.get("topic"):
            events = events.with_topic(data["topic"])
        if data.get("free"):
            events = events.filter(fee_yen=0)
        if data.get("online"):
            events = events.exclude(online_url="")
        if data.get("q", "").strip():
            events = events.matching(data["q"])
        return events

    @property
    def is_filtered(self) -> bool:
        return any(self.data_or_empty.get(name) for name in self.FILTERS)

    def query_string(self) -> str:
        """The valid filters as a query string (for feed links)."""
        from urllib.parse import urlencode

        data = self.data_or_empty
        pairs: list[tuple[str, str]] = []
        for name in self.FILTERS:
            value = data.get(name)
            if value in (None, "", False):
                continue
            if name == "center":
                value = value.slug
            elif name == "topic":
                value = value.pk
            elif value is True:
                value = "on"
            pairs.append((name, str(value)))
        return urlencode(pairs)


# --- Registration -----------------------------------------------------------------------


class RegistrationForm(forms.Form):
    """What a person gives to register; the event's own questions are added as fields."""

    session = forms.ModelChoiceField(
        label=_("Date"), queryset=EventSession.objects.none(), empty_label=_("Choose a date")
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    name_kana = forms.CharField(
        label=_("Name (kana)"),
        max_length=200,
        required=False,
        help_text=_("In katakana, e.g. サッポロ ハナコ."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send the confirmation and a cancellation link to this address."),
    )
    phone = forms.CharField(label=_("Telephone"), max_length=30, required=False)
    consent_to_history = forms.BooleanField(
        label=_("Keep a record of the events I take part in"),
        required=False,
        help_text=_(
            "Optional. With your consent the centers keep your participation history to "
            "tell you about related events; without it your details are used for this "
            "event only."
        ),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        if event.registration_unit == RegistrationUnit.SESSION:
            from django.utils import timezone

            self.fields["session"].queryset = event.sessions.filter(  # type: ignore[attr-defined]
                is_cancelled=False, date__gte=timezone.localdate()
            )
            self.fields["session"].label_from_instance = _session_label  # type: ignore[attr-defined]
        else:
            del self.fields["session"]
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[question.field_name] = _question_field(question)
        # The consent checkbox comes last.
        self.order_fields([name for name in self.fields if name != "consent_to_history"])

    def answers(self) -> dict[str, Any]:
        return {q.label: self.cleaned_data.get(q.field_name) for q in self.questions}


def _session_label(session: EventSession) -> str:
    from django.utils.formats import date_format

    label = date_format(session.date, "Y年n月j日(D)")
    if session.start_time:
        label += " " + session.start_time.strftime("%H:%M")
        if session.end_time:
            label += "〜" + session.end_time.strftime("%H:%M")
    return label


def _question_field(question: EventQuestion) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.label,
        "required": question.required,
        "help_text": question.help_text,
    }
    if question.kind == QuestionKind.TEXTAREA:
        return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common)
    if question.kind == QuestionKind.CHOICE:
        choices = [(c, c) for c in question.choice_list]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == QuestionKind.CHECKBOX:
        return forms.BooleanField(**common)
    return forms.CharField(max_length=300, **common)


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
        from kyodo.rooms.models import Room

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


class CoHostForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CoHostRole.choices)
