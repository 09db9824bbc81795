"""Input of the public pages and the API: calendar filters and registration."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kyodo.centers.forms import area_choices
from kyodo.centers.models import Center
from kyodo.events.models import (
    Audience,
    Event,
    EventQuestion,
    EventSession,
    QuestionKind,
    RegistrationUnit,
    Topic,
)
from kyodo.ui.widgets import LongSelect

from ._widgets import DateInput

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
        widget=LongSelect,
    )
    area = forms.ChoiceField(label=_("Area"), required=False, widget=LongSelect)
    audience = forms.ChoiceField(
        label=_("For whom"),
        required=False,
        choices=[("", _("Everyone")), *Audience.choices],
        widget=LongSelect,
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.all(),
        empty_label=_("All topics"),
        widget=LongSelect,
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
            "event only. You can withdraw your consent at any time with the link in the "
            "confirmation e-mail."
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
