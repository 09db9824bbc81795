"""Input of a booking (a person's, or staff's on behalf; the API's too), a series
(定期予約), a change of one reservation or of a series, and a denial.

``ReservationForm`` checks a booking with ``Room.booking_problems`` (opening hours, closed
days, booking window, capacity, who may use the room: ``kyodo.rooms.rules``) and the
rules of who is asking; the HTML views and the API both validate with it and then call
``actions.book_room``.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.organizations.models import Organization
from kyodo.rooms.actions import Slot
from kyodo.rooms.models import (
    Eligibility,
    Room,
)
from kyodo.rooms.rules import (
    is_registered,
    slot_problems,
    window_problems,
)

from ._widgets import DATE_INPUT, DATETIME_INPUT, TIME_INPUT

NOT_ONE_OF_YOUR_GROUPS = gettext_lazy(
    "Choose one of your groups. You can book for a group once the center has "
    "approved you as its member."
)


class ReservationForm(forms.Form):
    """A booking of one room, by one of three kinds of people:

    - staff with the rooms permission at the room's center book for a group or a person
      (telephone, counter);
    - a person who acts for one or more groups (``access.organizations_acted_for``: an
      approved member of the group) books for one of them, or for themselves where the
      room is open to citizens;
    - anyone else signed in books rooms open to citizens for themselves.
    """

    room = forms.ModelChoiceField(
        label=gettext_lazy("Room"), queryset=Room.objects.active().select_related("center")
    )
    starts_at = forms.DateTimeField(label=gettext_lazy("From"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=gettext_lazy("Until"), widget=DATETIME_INPUT)
    people = forms.IntegerField(
        label=gettext_lazy("Number of people"), min_value=1, max_value=10000
    )
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"),
        max_length=200,
        help_text=gettext_lazy("e.g. 定例会議, 講座の準備."),
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organization"),
        queryset=Organization.objects.active(),
        required=False,
    )
    on_behalf_of_name = forms.CharField(
        label=gettext_lazy("Booked for (name)"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("For a booking taken by phone or at the counter."),
    )
    on_behalf_of_phone = forms.CharField(
        label=gettext_lazy("Telephone of the person"), max_length=30, required=False
    )
    contact_email = forms.EmailField(label=gettext_lazy("E-mail for notices"), required=False)

    STAFF_FIELDS = ("organization", "on_behalf_of_name", "on_behalf_of_phone", "contact_email")

    def __init__(self, *args: Any, user: Any, room: Room | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fixed_room = room
        if room is not None:
            self.fields["room"].widget = forms.HiddenInput()
            self.fields["room"].initial = room.pk
            self.fields["room"].required = False
        self.is_staff_booking = room is not None and access.can(
            user, Permission.MANAGE_ROOMS, room.center
        )
        # The groups the person may book for (none for staff booking at their center).
        self.groups: list[Organization] = []
        if room is not None and not self.is_staff_booking:
            self.groups = list(access.organizations_acted_for(user).order_by("name_kana", "name"))
            for name in self.STAFF_FIELDS:
                if name != "organization" or not self.groups:
                    del self.fields[name]
            if self.groups:
                self._offer_groups(room)

    def _offer_groups(self, room: Room) -> None:
        """The organization field of a person who acts for groups: only their groups,
        required unless the room is open to citizens."""
        field = cast(forms.ModelChoiceField, self.fields["organization"])
        field.queryset = access.organizations_acted_for(self.user).order_by("name_kana", "name")
        field.required = room.eligibility != Eligibility.CITIZENS
        if field.required:
            if len(self.groups) == 1:
                field.initial = self.groups[0].pk
            field.error_messages["required"] = _("This room is for groups; choose the group.")
            field.help_text = _("The group you book for. It must be one of your groups.")
        else:
            field.empty_label = _("Myself (not for a group)")
            field.help_text = _("Leave it as it is to book for yourself.")
        field.error_messages["invalid_choice"] = NOT_ONE_OF_YOUR_GROUPS

    @property
    def books_online(self) -> bool:
        """Can this person book the (fixed) room online: staff of its center, or a room
        open to citizens, or a person who acts for a group?"""
        room = self.fixed_room
        return room is not None and (
            self.is_staff_booking or room.eligibility == Eligibility.CITIZENS or bool(self.groups)
        )

    def clean_room(self) -> Room | None:
        if self.fixed_room is not None:
            return self.fixed_room
        room: Room | None = self.cleaned_data.get("room")
        return room

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        room: Room | None = data.get("room")
        if room is None:
            return data
        staff = access.can(self.user, Permission.MANAGE_ROOMS, room.center)
        self.is_staff_booking = staff
        if not staff and not self._clean_person_booking(room, data):
            return data
        organization = data.get("organization")
        problems = room.booking_problems(
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            people=data.get("people"),
            organization=organization,
        )
        for name, message in problems.items():
            # A group the person may not book for is reported once, as such.
            if name == "organization" and name in self.errors:
                continue
            self.add_error(name if name in self.fields else None, message)
        if staff and organization is None and not data.get("on_behalf_of_name"):
            self.add_error("on_behalf_of_name", _("Write who the room is booked for."))
        return data

    def _clean_person_booking(self, room: Room, data: dict[str, Any]) -> bool:
        """The rules for a person who is not staff of the room's center: for themselves
        or for a group they act for. False when the rest need not be checked."""
        if not getattr(self.user, "is_authenticated", False):
            self.add_error(None, _("Please sign in to book a room."))
            return False
        for name in self.STAFF_FIELDS[1:]:
            if data.get(name):
                self.add_error(
                    name if name in self.fields else None,
                    _("Only the staff of the center can book on behalf of someone else."),
                )
        if "organization" in self.errors:
            return True
        organization: Organization | None = data.get("organization")
        if organization is not None and not access.can_act_for_organization(
            self.user, organization
        ):
            self.add_error(
                "organization",
                _(
                    "You cannot book for %(organization)s: only the group's members approved "
                    "by the center can."
                )
                % {"organization": organization.name},
            )
            return True
        if (
            organization is None
            and room.eligibility != Eligibility.CITIZENS
            and not self.groups
            and not access.organizations_acted_for(self.user).exists()
        ):
            self.add_error(
                "room",
                _(
                    "Groups book this room through the staff of %(center)s, by telephone "
                    "or at the counter."
                )
                % {"center": room.center.name},
            )
            return False
        return True


class SeriesForm(forms.Form):
    """Recurring bookings (定期予約): all dates or none. Booked by staff for anyone, or,
    given ``user``, by a person for a group they act for, within the booking window of
    every date."""

    recurrence = forms.CharField(
        label=gettext_lazy("Recurrence"),
        max_length=200,
        help_text=gettext_lazy("As you would say it, e.g. 毎月第2火曜日 13:00～16:00."),
    )
    starts_on = forms.DateField(label=gettext_lazy("First day"), widget=DATE_INPUT)
    until_on = forms.DateField(label=gettext_lazy("Last day"), widget=DATE_INPUT)
    people = forms.IntegerField(
        label=gettext_lazy("Number of people"), min_value=1, max_value=10000
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200)
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=Organization.objects.active(), required=False
    )
    on_behalf_of_name = forms.CharField(
        label=gettext_lazy("Booked for (name)"), max_length=100, required=False
    )
    on_behalf_of_phone = forms.CharField(
        label=gettext_lazy("Telephone of the person"), max_length=30, required=False
    )
    contact_email = forms.EmailField(label=gettext_lazy("E-mail for notices"), required=False)

    MAX_OCCURRENCES = 120

    def __init__(self, *args: Any, room: Room, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.room = room
        self.slots: list[Slot] = []
        self.reading = ""
        # A group member's series (the public page) rather than staff's.
        self.by_member = user is not None
        self.groups: list[Organization] = []
        if self.by_member:
            for name in ("on_behalf_of_name", "on_behalf_of_phone", "contact_email"):
                del self.fields[name]
            field = cast(forms.ModelChoiceField, self.fields["organization"])
            field.queryset = access.organizations_acted_for(user).order_by("name_kana", "name")
            self.groups = list(field.queryset)
            if len(self.groups) == 1:
                field.initial = self.groups[0].pk
            field.required = True
            field.error_messages["required"] = _("Choose the group you book for.")
            field.error_messages["invalid_choice"] = NOT_ONE_OF_YOUR_GROUPS

    def clean(self) -> dict[str, Any]:
        from kyodo.japanese.schedule import parse_schedule

        data: dict[str, Any] = super().clean() or {}
        text, first, last = data.get("recurrence"), data.get("starts_on"), data.get("until_on")
        people = data.get("people")
        room = self.room
        if people and room.capacity and people > room.capacity:
            self.add_error(
                "people",
                _("The room seats at most %(capacity)s people.") % {"capacity": room.capacity},
            )
        if first and last and last < first:
            self.add_error("until_on", _("The last day must not be before the first day."))
            return data
        if first and first < timezone.localdate():
            self.add_error("starts_on", _("The first day is in the past."))
            return data
        if first and last and last > first + relativedelta(years=1):
            self.add_error("until_on", _("A series can last at most one year."))
            return data
        if not (text and first and last):
            return data
        schedule = parse_schedule(text, reference=first)
        if not schedule.is_complete:
            self.add_error(
                "recurrence",
                _(
                    "This part could not be read: 「%(part)s」. "
                    "Write it like 毎月第2火曜日 13:00～16:00."
                )
                % {"part": "、".join(schedule.unparsed)},
            )
            return data
        self.reading = schedule.reading
        occurrences = schedule.occurrences(first, last)
        if not occurrences:
            self.add_error(
                "recurrence", _("The recurrence gives no date between the first and the last day.")
            )
            return data
        if any(o.start_time is None or o.end_time is None for o in occurrences):
            self.add_error("recurrence", _("Write the times too, e.g. 毎月第2火曜日 13:00～16:00."))
            return data
        if len(occurrences) > self.MAX_OCCURRENCES:
            self.add_error(
                "recurrence",
                _("A series can have at most %(count)s dates.") % {"count": self.MAX_OCCURRENCES},
            )
            return data
        problems = []
        for occurrence in occurrences:
            assert occurrence.start_time and occurrence.end_time  # noqa: S101
            starts_at = timezone.make_aware(
                datetime.datetime.combine(occurrence.date, occurrence.start_time)
            )
            ends_at = timezone.make_aware(
                datetime.datetime.combine(occurrence.date, occurrence.end_time)
            )
            found = slot_problems(room, starts_at, ends_at)
            if not found and self.by_member:
                found = window_problems(room, starts_at)
            if found:
                problems.append(
                    _("%(date)s: %(problem)s")
                    % {
                        "date": date_format(occurrence.date, "DATE_FORMAT"),
                        "problem": next(iter(found.values())),
                    }
                )
            self.slots.append(Slot(starts_at, ends_at))
        if problems:
            self.add_error("recurrence", _("Some dates cannot be booked; nothing was booked."))
            for problem in problems:
                self.add_error("recurrence", problem)
        if room.eligibility != Eligibility.CITIZENS and data.get("organization") is None:
            self.add_error("organization", _("This room is for groups; choose the group."))
        elif (
            room.eligibility == Eligibility.REGISTERED_GROUPS
            and data.get("organization") is not None
            and not is_registered(data["organization"], room)
        ):
            self.add_error(
                "organization",
                _("%(organization)s is not registered at %(center)s.")
                % {"organization": data["organization"].name, "center": room.center.name},
            )
        return data


class DenyForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Reason (sent to the person)"), max_length=300, required=False
    )


class ReservationChangeForm(forms.Form):
    """Another time, purpose or number of people for one reservation (say, one date of
    a series), checked against the room's hours, closed days and capacity."""

    starts_at = forms.DateTimeField(label=gettext_lazy("From"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=gettext_lazy("Until"), widget=DATETIME_INPUT)
    people = forms.IntegerField(
        label=gettext_lazy("Number of people"), min_value=1, max_value=10000
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200)

    def __init__(self, *args: Any, room: Room, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.room = room

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        room = self.room
        people, starts_at, ends_at = data.get("people"), data.get("starts_at"), data.get("ends_at")
        if people and room.capacity and people > room.capacity:
            self.add_error(
                "people",
                _("The room seats at most %(capacity)s people.") % {"capacity": room.capacity},
            )
        if starts_at and ends_at:
            for name, message in slot_problems(room, starts_at, ends_at).items():
                self.add_error(name, message)
            if "starts_at" not in self.errors and starts_at <= timezone.now():
                self.add_error("starts_at", _("The start is in the past."))
        return data


class SeriesChangeForm(forms.Form):
    """A change of every future date of a series: the time of day (both or neither),
    the purpose and the number of people."""

    starts_at_time = forms.TimeField(
        label=gettext_lazy("New start time"),
        required=False,
        widget=TIME_INPUT,
        help_text=gettext_lazy("Leave both times empty to keep the times."),
    )
    ends_at_time = forms.TimeField(
        label=gettext_lazy("New end time"), required=False, widget=TIME_INPUT
    )
    people = forms.IntegerField(
        label=gettext_lazy("Number of people"), min_value=1, max_value=10000
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200)

    def __init__(self, *args: Any, room: Room, days: list[datetime.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.room = room
        self.days = days

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        room = self.room
        people = data.get("people")
        if people and room.capacity and people > room.capacity:
            self.add_error(
                "people",
                _("The room seats at most %(capacity)s people.") % {"capacity": room.capacity},
            )
        start, end = data.get("starts_at_time"), data.get("ends_at_time")
        if "starts_at_time" in self.errors or "ends_at_time" in self.errors:
            return data
        if (start is None) != (end is None):
            self.add_error(
                "ends_at_time" if end is None else "starts_at_time",
                _("Give both the start and the end time, or neither."),
            )
            return data
        if start is None or end is None:
            return data
        if end <= start:
            self.add_error("ends_at_time", _("The end must be after the start."))
            return data
        problems = []
        for day in self.days:
            found = slot_problems(
                room,
                timezone.make_aware(datetime.datetime.combine(day, start)),
                timezone.make_aware(datetime.datetime.combine(day, end)),
            )
            if found:
                problems.append(
                    _("%(date)s: %(problem)s")
                    % {
                        "date": date_format(day, "DATE_FORMAT"),
                        "problem": next(iter(found.values())),
                    }
                )
        if problems:
            self.add_error("starts_at_time", _("Some dates cannot be moved; nothing was changed."))
            for problem in problems:
                self.add_error("starts_at_time", problem)
        return data
