"""The staff screens around an event: co-hosts, registration questions, the topics
vocabulary, the room of a session, and importing an イベント一覧 file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kyodo.centers.models import Center
from kyodo.events.models import (
    CoHostRole,
    Event,
    EventQuestion,
    QuestionKind,
    Topic,
)
from kyodo.organizations.models import Organization
from kyodo.rooms.models import Reservation, Room

# --- Co-hosts, questions, topics -----------------------------------------------------------


class CoHostForm(forms.Form):
    """Add a co-host: a center chosen from the list, or an organization found by search
    (sent as a hidden id)."""

    center = forms.ModelChoiceField(
        label=_("Center"),
        required=False,
        queryset=Center.objects.none(),
        empty_label=_("Choose a center"),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        required=False,
        queryset=Organization.objects.none(),
        widget=forms.HiddenInput,
    )
    role = forms.ChoiceField(label=_("Role"), choices=CoHostRole.choices)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = (  # type: ignore[attr-defined]
            Center.objects.active().exclude(pk=event.center_id).order_by("name_kana", "name")
        )
        self.fields["organization"].queryset = Organization.objects.current()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        valid = not self.has_error("center") and not self.has_error("organization")
        if valid and bool(data.get("center")) == bool(data.get("organization")):
            self.add_error("center", _("Choose a center, or find an organization below."))
        return data


class OrganizationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find an organization"),
        max_length=100,
        required=False,
        help_text=_("Part of its name or reading, e.g. 子ども食堂."),
    )


class QuestionForm(forms.ModelForm):
    """A question the event asks on registration."""

    class Meta:
        model = EventQuestion
        fields = ["label", "help_text", "kind", "choices", "required"]
        widgets = {
            "kind": forms.RadioSelect,
            "choices": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "label": _("E.g. 所属団体名, 託児を希望しますか."),
            "choices": _("Only for “One of several choices”: one choice per line."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == QuestionKind.CHOICE:
            lines = [line.strip() for line in (data.get("choices") or "").splitlines()]
            choices = [line for line in lines if line]
            if len(choices) < 2:
                self.add_error("choices", _("Give at least two choices, one per line."))
            elif len(set(choices)) < len(choices):
                self.add_error("choices", _("Each choice must be different."))
        return data


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "name_kana"]
        help_texts = {
            "name": _("A short word people search for, e.g. 防災 or NPO会計."),
            "name_kana": _("In katakana, for sorting, e.g. ボウサイ."),
        }
        error_messages = {
            "name": {"unique": _("This topic is already in the vocabulary.")},
        }


# --- The venue of a session ------------------------------------------------------------------


class LinkReservationForm(forms.Form):
    """Hold a session in one of the reservations of the center on its day."""

    reservation = forms.ModelChoiceField(
        label=_("Reservation"),
        queryset=Reservation.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reservation.")},
    )

    def __init__(self, *args: Any, reservations: QuerySet[Reservation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reservation"]
        field.queryset = reservations  # type: ignore[attr-defined]
        field.label_from_instance = reservation_label  # type: ignore[attr-defined]


def reservation_label(reservation: Reservation) -> str:
    from django.utils import timezone

    start = timezone.localtime(reservation.starts_at)
    end = timezone.localtime(reservation.ends_at)
    return (
        f"{reservation.room.name} {start:%H:%M}〜{end:%H:%M} {reservation.purpose}"
        f"（{reservation.holder_name}・{reservation.get_status_display()}）"
    )


class BookRoomForm(forms.Form):
    """Book one of the center's rooms for a session, on the center's behalf."""

    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), empty_label=_("Choose a room")
    )
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    people = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        help_text=_("How many people the room is booked for."),
    )

    def __init__(self, *args: Any, rooms: QuerySet[Room], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time is not after the start time."))
        return data


# --- Importing an イベント一覧 file ------------------------------------------------------------


class EventImportForm(forms.Form):
    center = forms.ModelChoiceField(
        label=_("Center"),
        queryset=Center.objects.none(),
        empty_label=None,
        help_text=_("The events are imported as this center's events."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "An イベント一覧 file in the layout of the 自治体標準オープンデータセット: CSV in "
            "UTF-8 (with or without BOM) or Shift_JIS (CP932), or an Excel .xlsx sheet."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        from kyodo.events.opendata.reader import MAX_FILE_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 2**20}
            )
        return upload
