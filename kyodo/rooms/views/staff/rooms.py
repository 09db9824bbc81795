"""The staff pages of the rooms themselves (description, rules, fees) and of occupancy
(稼働率) with its CSV."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.centers.models import Center
from kyodo.japanese.fiscal_year import fiscal_year_label, fiscal_year_of
from kyodo.rooms import actions, exports
from kyodo.rooms.forms import (
    FeeRuleFormSet,
    OccupancyBasisForm,
    RoomForm,
)
from kyodo.rooms.hours import (
    UnreadableSchedule,
    next_closed_days,
    read_closed_days,
    read_opening_hours,
)
from kyodo.rooms.models import (
    CenterRoomSettings,
    OccupancyBasis,
    Referral,
    Room,
)
from kyodo.rooms.occupancy import fiscal_year_report

from ._base import _center, _person, _staff_context


@require_GET
@login_required
def room_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The center's rooms with the reading of their hours and the next closed days."""
    center = _center(request, slug)
    rows = []
    for room in Room.objects.at(center).prefetch_related("fee_rules", "parts"):
        rows.append({"room": room, **_readings(room)})
    return TemplateResponse(
        request, "rooms/staff/room_list.html", {**_staff_context(request, center), "rows": rows}
    )


def _readings(room: Room) -> dict[str, Any]:
    try:
        opening = read_opening_hours(room.opening_hours)
        closing = read_closed_days(room.closed_days)
    except UnreadableSchedule:
        return {"opening_reading": "", "closed_reading": "", "next_closed": []}
    return {
        "opening_reading": opening.reading if opening else "",
        "closed_reading": closing.reading if closing else "",
        "next_closed": next_closed_days(room),
    }


@require_http_methods(["GET", "POST"])
@login_required
def room_edit(request: HttpRequest, slug: str, room_id: int | None = None) -> HttpResponse:
    """A room's description and rules, with its fee table (one row per 区分, hour or
    コマ), saved together."""
    center = _center(request, slug)
    room = get_object_or_404(Room, pk=room_id, center=center) if room_id else Room(center=center)
    form = RoomForm(instance=room, center=center)
    fees = FeeRuleFormSet(instance=room, prefix="fees")
    status = 200
    if request.method == "POST":
        form = RoomForm(request.POST, instance=room, center=center)
        fees = FeeRuleFormSet(request.POST, instance=room, prefix="fees")
        if form.is_valid() and fees.is_valid():
            saved = actions.save_room(
                form=form, fee_formset=fees, by=_person(request), request=request
            )
            messages.success(request, _("The room has been saved."))
            return redirect("rooms_staff:room_edit", slug=center.slug, room_id=saved.pk)
        status = 400
    context = {
        **_staff_context(request, center),
        "room": room if room.pk else None,
        "form": form,
        "fees": fees,
        **(_readings(room) if room.pk else {}),
    }
    return TemplateResponse(request, "rooms/staff/room_edit.html", context, status=status)


def _fiscal_year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return fiscal_year_of(timezone.localdate())


def _occupancy_page(
    request: HttpRequest, center: Center, basis_form: OccupancyBasisForm | None, status: int = 200
) -> HttpResponse:
    year = max(2000, min(_fiscal_year(request), 2100))
    settings_row = CenterRoomSettings.objects.filter(center=center).first()
    basis = settings_row.occupancy_basis if settings_row else OccupancyBasis.DIVISIONS
    can_choose = access.can(request.user, Permission.EDIT_CENTER, center)
    if basis_form is None and can_choose:
        basis_form = OccupancyBasisForm(initial={"occupancy_basis": basis})
    rooms = list(Room.objects.at(center).prefetch_related("fee_rules"))
    report = fiscal_year_report(rooms, basis, year)
    referrals_made = Referral.objects.filter(
        from_center=center, created_at__date__range=_year_range(year)
    ).count()
    referrals_received = Referral.objects.filter(
        to_center=center, created_at__date__range=_year_range(year)
    ).count()
    bars = [
        {
            "label": f"{month.month}",
            "percent": tally.percent,
            "x": 48 + i * 48,
            "label_x": 66 + i * 48,
            "height": round((tally.rate or 0) * 180),
            "y": 200 - round((tally.rate or 0) * 180),
        }
        for i, (month, tally) in enumerate(zip(report.months, report.month_totals, strict=True))
    ]
    context = {
        **_staff_context(request, center),
        "report": report,
        "year": year,
        "year_label": fiscal_year_label(year),
        "basis_label": OccupancyBasis(basis).label,
        "basis_form": basis_form if can_choose else None,
        "bars": bars,
        "referrals_made": referrals_made,
        "referrals_received": referrals_received,
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return TemplateResponse(request, "rooms/staff/occupancy.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def occupancy(request: HttpRequest, slug: str) -> HttpResponse:
    """稼働率 per room and month of a fiscal year, with referrals counted; a center
    administrator chooses here what the rate divides by (区分 or hours open)."""
    center = _center(request, slug)
    if request.method != "POST":
        return _occupancy_page(request, center, None)
    if not access.can(request.user, Permission.EDIT_CENTER, center):
        raise PermissionDenied
    form = OccupancyBasisForm(request.POST)
    if not form.is_valid():
        return _occupancy_page(request, center, form, status=400)
    actions.set_occupancy_basis(
        center=center,
        basis=form.cleaned_data["occupancy_basis"],
        by=_person(request),
        request=request,
    )
    messages.success(request, _("Occupancy is now counted this way."))
    return redirect(f"{request.path}?year={max(2000, min(_fiscal_year(request), 2100))}")


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    from kyodo.japanese.fiscal_year import fiscal_year_range

    return fiscal_year_range(year)


@require_GET
@login_required
def occupancy_csv(request: HttpRequest, slug: str) -> HttpResponse:
    center = _center(request, slug)
    year = max(2000, min(_fiscal_year(request), 2100))
    settings_row = CenterRoomSettings.objects.filter(center=center).first()
    basis = settings_row.occupancy_basis if settings_row else OccupancyBasis.DIVISIONS
    rooms = list(Room.objects.at(center).prefetch_related("fee_rules"))
    report = fiscal_year_report(rooms, basis, year)
    record_event(
        actor=_person(request),
        action=Action.EXPORT,
        object_type="rooms.occupancy",
        object_repr=_("Occupancy of the rooms of %(center)s") % {"center": center.name},
        center=center,
        request=request,
    )
    return exports.occupancy_csv(report, filename=f"occupancy-{center.slug}-{year}.csv")
