"""The rules of a room for one booking: opening hours and closed days, the booking window,
capacity and who may use the room (``Room.eligibility``).

``Room.booking_problems`` is the one check of a booking against them, made of the parts
below; the rooms forms (a person's booking, staff booking on behalf, the API) and the
events app's booking of a room for a session all call it. The parts are also used alone
where a screen checks less (a series' dates, a change of one reservation).
``Room.purpose_restrictions`` is free text shown to the person, not a rule the system
reads.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from kyodo.organizations.models import CenterRegistration, RegistrationStatus
from kyodo.rooms.availability import fits_opening_hours, local_day
from kyodo.rooms.hours import hours_between
from kyodo.rooms.models import Eligibility

if TYPE_CHECKING:
    from kyodo.organizations.models import Organization
    from kyodo.rooms.models import Room


def slot_problems(
    room: Room, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> dict[str, str]:
    """What is wrong with booking ``room`` from ``starts_at`` to ``ends_at`` regarding its
    hours and closed days, by field; empty when nothing."""
    if ends_at <= starts_at:
        return {"ends_at": _("The end must be after the start.")}
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
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
