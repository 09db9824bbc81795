"""Input of the rooms pages and API: a reservation, a series, a room, a referral.

``ReservationForm`` holds every rule of a booking (opening hours, closed days, booking
window, capacity, who may book); the HTML views and the API both validate with it and
then call ``actions.book_room``.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.organizations.models import CenterRegistration, Organization, RegistrationStatus
from kyodo.rooms.actions import Slot
from kyodo.rooms.availability import fits_opening_hours, local_day
from kyodo.rooms.fees import FULL_DAY_LABELS
from kyodo.rooms.hours import (
    UnreadableSchedule,
    hours_between,
    read_closed_days,
    read_opening_hours,
)
from kyodo.rooms.models import (
    Eligibility,
    Equipment,
    FeeRule,
    FeeUnit,
    OccupancyBasis,
    ReferralOutcome,
    Room,
)

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value)


def slot_problems(
    room: Room, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> dict[str, str]:
    """What is wrong with booking ``room`` from ``starts_at`` to ``ends_at`` regarding its
    hours and closed days, by field; empty when nothing."""
    if ends_at <= starts_at:
        return {"ends_at": _("The end must be after the start.")}
    start, end = _local(starts_at), _local(ends_at)
    day = start.date()
    info = hours_between(room, day, day)[day]
    if not info.is_open:
        return {
            "starts_at": _("The room is closed on %(date)s.")
            % {"date": date_format(day, "DATE_FORMAT")}
        }
    if start.date() != end.date():
        return {"ends_at": _("A reservation must start and end on the same day.")}
    if not fits_opening_hours(room, starts_at, ends_at):
        assert info.opens and info.closes  # noqa: S101
        return {
            "starts_at": _("On %(date)s the room is open from %(opens)s to %(closes)s.")
            % {
                "date": date_format(day, "DATE_FORMAT"),
                "opens": time_format(info.opens, "G:i"),
                "closes": time_format(info.closes, "G:i"),
            }
        }
    return {}


def window_problems(room: Room, starts_at: datetime.datetime) -> dict[str, str]:
    """Is ``starts_at`` inside the room's booking window (opens N months before, on the
    same day of the month; closes M hours before)?"""
    now = timezone.now()
    if starts_at <= now:
        return {"starts_at": _("The start is in the past.")}
    if starts_at - now < datetime.timedelta(hours=room.booking_closes_hours):
        return {
            "starts_at": _(
                "Bookings close %(hours)s hours before the start; please call the center."
            )
            % {"hours": room.booking_closes_hours}
        }
    opens_on = local_day(starts_at) - relativedelta(months=room.booking_opens_months)
    if timezone.localdate() < opens_on:
        return {
            "starts_at": _("Bookings for this date open on %(date)s.")
            % {"date": date_format(opens_on, "DATE_FORMAT")}
        }
    return {}


def is_registered(organization: Organization, room: Room) -> bool:
    return CenterRegistration.objects.filter(
        organization=organization, center_id=room.center_id, status=RegistrationStatus.REGISTERED
    ).exists()


NOT_ONE_OF_YOUR_GROUPS = gettext_lazy(
    "Choose one of your groups. You can book for a group once the center has "
    "approved you as its member."
)


def eligibility_problems(room: Room, organization: Organization | None) -> dict[str, str]:
    """Who may use ``room``: a group registered at its center, any group, or anyone
    (citizens); by field, empty when the booking is for someone the room accepts."""
    if room.eligibility == Eligibility.REGISTERED_GROUPS:
        if organization is None:
            return {
                "organization": _(
                    "This room is for groups registered at the center; choose the group."
                )
            }
        if not is_registered(organization, room):
            return {
                "organization": _("%(organization)s is not registered at %(center)s.")
                % {"organization": organization.name, "center": room.center.name}
            }
    elif room.eligibility == Eligibility.ANY_GROUP and organization is None:
        return {"organization": _("This room is for groups; choose the group.")}
    return {}


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
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        people = data.get("people")
        if people and room.capacity and people > room.capacity:
            self.add_error(
                "people",
                _("The room seats at most %(capacity)s people.") % {"capacity": room.capacity},
            )
        if starts_at and ends_at:
            for name, message in {**slot_problems(room, starts_at, ends_at)}.items():
                self.add_error(name, message)
            if "starts_at" not in self.errors:
                for name, message in window_problems(room, starts_at).items():
                    self.add_error(name, message)
        if staff:
            organization = data.get("organization")
            for name, message in eligibility_problems(room, organization).items():
                self.add_error(name, message)
            if organization is None and not data.get("on_behalf_of_name"):
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
        for name, message in eligibility_problems(room, organization).items():
            self.add_error(name, message)
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


class DenyForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Reason (sent to the person)"), max_length=300, required=False
    )


class WeekForm(forms.Form):
    """The first day of a grid (``?from=2025-06-09``); today when absent or invalid."""

    start = forms.DateField(label=gettext_lazy("Week from"), required=False, widget=DATE_INPUT)

    def first_day(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data.get("start"):
            day: datetime.date = self.cleaned_data["start"]
            return day
        return timezone.localdate()


TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


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


class ReferralOutcomeForm(forms.Form):
    """What became of a referral (相互あっせん)."""

    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=ReferralOutcome.choices)


class OccupancyBasisForm(forms.Form):
    """What the center's occupancy rate (稼働率) divides by."""

    occupancy_basis = forms.ChoiceField(
        label=gettext_lazy("Count occupancy by"),
        choices=OccupancyBasis.choices,
        widget=forms.RadioSelect,
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
