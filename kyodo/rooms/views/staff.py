"""The staff pages of rooms: the week grid of a center, booking on someone's behalf,
series, approval, the rooms themselves, occupancy and referral (相互あっせん).

Every view looks the center up by its slug and checks ``Permission.MANAGE_ROOMS`` there
through ``kyodo.centers.access``; rooms and reservations are then looked up within it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kyodo.accounts.models import User
from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.centers.models import Center
from kyodo.japanese.fiscal_year import fiscal_year_label, fiscal_year_of
from kyodo.rooms import actions, exports, venues
from kyodo.rooms.availability import center_week, free_rooms, local_day, rooms_for_grid
from kyodo.rooms.forms import (
    DenyForm,
    FeeRuleFormSet,
    OccupancyBasisForm,
    ReferralForm,
    ReferralOutcomeForm,
    ReservationChangeForm,
    ReservationForm,
    RoomForm,
    SeriesChangeForm,
    SeriesForm,
    WeekForm,
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
    Reservation,
    ReservationSeries,
    ReservationStatus,
    Room,
)
from kyodo.rooms.occupancy import fiscal_year_report


def _person(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _center(
    request: HttpRequest, slug: str, permission: Permission = Permission.MANAGE_ROOMS
) -> Center:
    center = get_object_or_404(Center, slug=slug)
    if not access.can(request.user, permission, center):
        raise PermissionDenied
    return center


def _staff_context(request: HttpRequest, center: Center) -> dict[str, Any]:
    return {
        "center": center,
        "staff_centers": access.centers_visible_to(request.user).order_by("name_kana", "name"),
    }


def _partner_rooms(center: Center) -> Any:
    """Rooms of the partner centers that offer their rooms to ``center`` for referral."""
    return Room.objects.offered_for_referral_to(center).select_related("center")


def _confirm_venue(
    request: HttpRequest,
    center: Center,
    *,
    events: list[venues.EventUse],
    operation: str,
    fields: dict[str, str],
    back_url: str,
) -> HttpResponse:
    """Before cancelling or denying reservations that are the venue of events: name the
    events and ask again. ``fields`` are posted again with ``confirmed``."""
    context = {
        **_staff_context(request, center),
        "events": events,
        "operation": operation,
        "fields": sorted((name, value) for name, value in fields.items() if value),
        "back_url": back_url,
    }
    return TemplateResponse(request, "rooms/staff/confirm_venue.html", context)


@require_GET
@login_required
def week_grid(request: HttpRequest, slug: str) -> HttpResponse:
    """All rooms of the center for a week, and the requests waiting for a decision."""
    center = _center(request, slug)
    week = WeekForm(request.GET or None)
    first_day = week.first_day()
    rooms = rooms_for_grid(Room.objects.at(center))
    pending = list(
        Reservation.objects.at(center)
        .filter(status=ReservationStatus.REQUESTED)
        .select_related("room", "organization", "booked_by")
        .order_by("starts_at")[:50]
    )
    context = {
        **_staff_context(request, center),
        "grid": center_week(rooms, first_day),
        "week_form": week,
        "previous_week": first_day - datetime.timedelta(days=7),
        "next_week": first_day + datetime.timedelta(days=7),
        "pending": pending,
    }
    return TemplateResponse(request, "rooms/staff/week_grid.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def book_on_behalf(request: HttpRequest, slug: str, room_id: int) -> HttpResponse:
    """A booking taken by telephone or at the counter."""
    center = _center(request, slug)
    room = get_object_or_404(Room.objects.at(center).prefetch_related("fee_rules"), pk=room_id)
    initial = {k: request.GET[k] for k in ("starts_at", "ends_at") if request.GET.get(k)}
    form = ReservationForm(user=request.user, room=room, initial=initial)
    alternatives: list[Room] = []
    if request.method == "POST":
        form = ReservationForm(request.POST, user=request.user, room=room)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reservation = actions.book_room(
                    room=room,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    purpose=data["purpose"],
                    people=data["people"],
                    organization=data.get("organization"),
                    on_behalf_of_name=data.get("on_behalf_of_name", ""),
                    on_behalf_of_phone=data.get("on_behalf_of_phone", ""),
                    contact_email=data.get("contact_email", ""),
                    by=_person(request),
                    request=request,
                )
            except actions.SlotTakenError:
                form.add_error(None, _("This time slot is already booked."))
                alternatives = free_rooms(
                    _partner_rooms(center),
                    data["starts_at"],
                    data["ends_at"],
                    people=data["people"],
                    equipment=room.equipment or [],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The reservation has been saved."))
                return redirect(
                    "rooms_staff:reservation", slug=center.slug, reservation_id=reservation.pk
                )
    referral_form = None
    if alternatives:
        referral_form = ReferralForm(
            partner_rooms=_partner_rooms(center),
            initial={
                "starts_at": form.cleaned_data["starts_at"],
                "ends_at": form.cleaned_data["ends_at"],
                "people": form.cleaned_data["people"],
                "organization": form.cleaned_data.get("organization"),
                "person_name": form.cleaned_data.get("on_behalf_of_name", ""),
            },
            prefix="referral",
        )
    context = {
        **_staff_context(request, center),
        "room": room,
        "form": form,
        "alternatives": alternatives,
        "referral_form": referral_form,
    }
    return TemplateResponse(request, "rooms/staff/book.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def book_series(request: HttpRequest, slug: str, room_id: int) -> HttpResponse:
    """Recurring bookings: preview the dates, then book them all or none."""
    center = _center(request, slug)
    room = get_object_or_404(Room.objects.at(center), pk=room_id)
    form = SeriesForm(room=room)
    preview = False
    conflicts: list[actions.SeriesConflict] = []
    if request.method == "POST":
        form = SeriesForm(request.POST, room=room)
        if form.is_valid():
            if "preview" in request.POST:
                preview = True
            else:
                data = form.cleaned_data
                try:
                    series = actions.book_series(
                        room=room,
                        recurrence=data["recurrence"],
                        slots=form.slots,
                        starts_on=data["starts_on"],
                        until_on=data["until_on"],
                        purpose=data["purpose"],
                        people=data["people"],
                        organization=data.get("organization"),
                        on_behalf_of_name=data.get("on_behalf_of_name", ""),
                        on_behalf_of_phone=data.get("on_behalf_of_phone", ""),
                        contact_email=data.get("contact_email", ""),
                        by=_person(request),
                        request=request,
                    )
                except actions.SeriesConflictError as error:
                    conflicts = error.conflicts
                    form.add_error(None, _("Some dates are already booked; nothing was booked."))
                except actions.SlotTakenError:
                    form.add_error(None, _("This time slot is already booked."))
                else:
                    messages.success(
                        request,
                        _("%(count)s dates have been booked.") % {"count": len(form.slots)},
                    )
                    return redirect(
                        "rooms_staff:series_detail", slug=center.slug, series_id=series.pk
                    )
    context = {
        **_staff_context(request, center),
        "room": room,
        "form": form,
        "preview": preview,
        "slots": form.slots if form.is_bound else [],
        "conflicts": conflicts,
    }
    return TemplateResponse(request, "rooms/staff/series.html", context)


def _series_change_form(
    series: ReservationSeries, data: Any = None, days: list[datetime.date] | None = None
) -> SeriesChangeForm:
    if days is None:
        days = [
            timezone.localtime(starts_at).date()
            for starts_at in actions.future_occurrences(series).values_list("starts_at", flat=True)
        ]
    return SeriesChangeForm(
        data,
        room=series.room,
        days=days,
        initial={"purpose": series.purpose, "people": series.people},
        prefix="change",
    )


@require_http_methods(["GET", "POST"])
@login_required
def series_detail(request: HttpRequest, slug: str, series_id: int) -> HttpResponse:
    """A series: its dates, each of which can be changed or cancelled alone, and the
    change (time, purpose, people) or cancellation of every future date at once."""
    center = _center(request, slug)
    series = get_object_or_404(
        ReservationSeries.objects.select_related("room__center", "organization"),
        pk=series_id,
        room__center=center,
    )
    change_form = _series_change_form(series)
    conflicts: list[actions.SeriesConflict] = []
    status = 200
    if request.method == "POST":
        operation = request.POST.get("operation", "")
        by = _person(request)
        if operation in ("cancel-series", "cancel-one") and not request.POST.get("confirmed"):
            if operation == "cancel-series":
                affected: Any = actions.future_occurrences(series)
            else:
                affected = series.reservations.filter(pk=request.POST.get("reservation") or 0)
            events = venues.events_held_in(affected)
            if events:
                return _confirm_venue(
                    request,
                    center,
                    events=events,
                    operation=operation,
                    fields={
                        "operation": operation,
                        "reservation": request.POST.get("reservation", ""),
                    },
                    back_url=request.path,
                )
        if operation == "cancel-series":
            count = actions.cancel_series(series=series, by=by, request=request)
            messages.success(
                request, _("%(count)s future dates have been cancelled.") % {"count": count}
            )
            return redirect("rooms_staff:series_detail", slug=center.slug, series_id=series.pk)
        if operation == "cancel-one":
            occurrence = series.reservations.filter(pk=request.POST.get("reservation") or 0)
            reservation = get_object_or_404(occurrence)
            try:
                actions.cancel_reservation(reservation=reservation, by=by, request=request)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("The reservation of %(date)s has been cancelled.")
                    % {"date": date_format(local_day(reservation.starts_at), "DATE_FORMAT")},
                )
            return redirect("rooms_staff:series_detail", slug=center.slug, series_id=series.pk)
        if operation != "change-series":
            messages.error(request, _("Choose what to do."))
            return redirect("rooms_staff:series_detail", slug=center.slug, series_id=series.pk)
        change_form = _series_change_form(series, request.POST)
        status = 400
        if change_form.is_valid():
            data = change_form.cleaned_data
            try:
                count = actions.change_series(
                    series=series,
                    purpose=data["purpose"],
                    people=data["people"],
                    starts_at_time=data.get("starts_at_time"),
                    ends_at_time=data.get("ends_at_time"),
                    by=by,
                    request=request,
                )
            except actions.SeriesConflictError as error:
                conflicts = error.conflicts
                change_form.add_error(
                    None, _("Some dates are already booked at that time; nothing was changed.")
                )
            except actions.SlotTakenError:
                change_form.add_error(None, _("This time slot is already booked."))
            else:
                messages.success(
                    request, _("%(count)s future dates have been changed.") % {"count": count}
                )
                return redirect("rooms_staff:series_detail", slug=center.slug, series_id=series.pk)
    now = timezone.now()
    context = {
        **_staff_context(request, center),
        "series": series,
        "reservations": list(series.reservations.order_by("starts_at")),
        "change_form": change_form,
        "conflicts": conflicts,
        "now": now,
    }
    return TemplateResponse(request, "rooms/staff/series_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def reservation_detail(request: HttpRequest, slug: str, reservation_id: int) -> HttpResponse:
    """One reservation, with approve, deny, cancel and no-show, and a change of its
    time, purpose or number of people (one date of a series, say)."""
    center = _center(request, slug)
    reservation = get_object_or_404(
        Reservation.objects.select_related("room__center", "organization", "booked_by", "series"),
        pk=reservation_id,
        room__center=center,
    )
    deny_form = DenyForm()
    change_form = ReservationChangeForm(
        room=reservation.room,
        initial={
            "starts_at": timezone.localtime(reservation.starts_at),
            "ends_at": timezone.localtime(reservation.ends_at),
            "people": reservation.people,
            "purpose": reservation.purpose,
        },
        prefix="change",
    )
    status = 200
    if request.method == "POST":
        by = _person(request)
        operation = request.POST.get("operation", "")
        if operation == "change":
            change_form = ReservationChangeForm(
                request.POST, room=reservation.room, prefix="change"
            )
            status = 400
            if change_form.is_valid():
                data = change_form.cleaned_data
                try:
                    actions.change_reservation(
                        reservation=reservation,
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        purpose=data["purpose"],
                        people=data["people"],
                        by=by,
                        request=request,
                    )
                except actions.SlotTakenError:
                    change_form.add_error(None, _("This time slot is already booked."))
                except ValidationError as error:
                    change_form.add_error(None, error)
                else:
                    messages.success(request, _("The reservation has been changed."))
                    return redirect(
                        "rooms_staff:reservation", slug=center.slug, reservation_id=reservation.pk
                    )
        else:
            # Ask first when the change would take the room from an event (and is allowed).
            asks = {
                "cancel": (ReservationStatus.REQUESTED, ReservationStatus.CONFIRMED),
                "deny": (ReservationStatus.REQUESTED,),
            }
            if reservation.status in asks.get(operation, ()) and not request.POST.get("confirmed"):
                deny_form = DenyForm(request.POST)
                events = venues.events_held_in([reservation.pk])
                if events and (operation == "cancel" or deny_form.is_valid()):
                    note = deny_form.cleaned_data.get("note", "") if operation == "deny" else ""
                    return _confirm_venue(
                        request,
                        center,
                        events=events,
                        operation=operation,
                        fields={"operation": operation, "note": note},
                        back_url=request.path,
                    )
            try:
                if operation == "approve":
                    actions.approve_reservation(reservation=reservation, by=by, request=request)
                    messages.success(request, _("The reservation has been approved."))
                elif operation == "deny":
                    deny_form = DenyForm(request.POST)
                    if not deny_form.is_valid():
                        raise ValidationError(_("The reason is too long."))
                    actions.deny_reservation(
                        reservation=reservation,
                        by=by,
                        note=deny_form.cleaned_data["note"],
                        request=request,
                    )
                    messages.success(request, _("The request has been denied."))
                elif operation == "cancel":
                    actions.cancel_reservation(reservation=reservation, by=by, request=request)
                    messages.success(request, _("The reservation has been cancelled."))
                elif operation == "no_show":
                    actions.mark_no_show(reservation=reservation, by=by, request=request)
                    messages.success(request, _("The reservation has been marked as a no-show."))
                else:
                    raise ValidationError(_("Choose what to do."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect(
                "rooms_staff:reservation", slug=center.slug, reservation_id=reservation.pk
            )
    record_event(
        actor=_person(request),
        action=Action.READ,
        target=reservation,
        center=center,
        request=request,
    )
    context = {
        **_staff_context(request, center),
        "reservation": reservation,
        "deny_form": deny_form,
        "change_form": change_form,
        "events": venues.events_held_in([reservation.pk]),
        "can_change": reservation.status
        in (ReservationStatus.REQUESTED, ReservationStatus.CONFIRMED)
        and reservation.starts_at > timezone.now(),
        "has_begun": reservation.starts_at <= timezone.now(),
    }
    return TemplateResponse(request, "rooms/staff/reservation.html", context, status=status)


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


@require_POST
@login_required
def refer(request: HttpRequest, slug: str) -> HttpResponse:
    """Refer a group to a free room of a partner center (相互あっせん)."""
    center = _center(request, slug)
    form = ReferralForm(request.POST, partner_rooms=_partner_rooms(center), prefix="referral")
    if form.is_valid():
        data = form.cleaned_data
        referral = actions.refer_to_partner(
            from_center=center,
            room=data["room"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            people=data["people"],
            organization=data.get("organization"),
            person_name=data.get("person_name", ""),
            note=data.get("note", ""),
            by=_person(request),
            request=request,
        )
        messages.success(
            request,
            _("The referral to %(room)s has been recorded. Please call %(center)s to pass it on.")
            % {"room": referral.room.name, "center": referral.to_center.name},
        )
        return redirect("rooms_staff:referrals", slug=center.slug)
    context = {**_staff_context(request, center), "form": form}
    return TemplateResponse(request, "rooms/staff/refer.html", context, status=400)


def _referrals_page(
    request: HttpRequest, center: Center, failed: tuple[int, ReferralOutcomeForm] | None = None
) -> HttpResponse:
    rows = []
    for referral in (
        Referral.objects.filter(from_center=center)
        .select_related("room", "to_center", "organization")
        .order_by("-created_at")[:100]
    ):
        if failed and failed[0] == referral.pk:
            form = failed[1]
        else:
            form = ReferralOutcomeForm(
                initial={"outcome": referral.outcome}, prefix=f"referral-{referral.pk}"
            )
        rows.append({"referral": referral, "form": form})
    return TemplateResponse(
        request,
        "rooms/staff/referrals.html",
        {**_staff_context(request, center), "rows": rows},
        status=400 if failed else 200,
    )


@require_GET
@login_required
def referrals(request: HttpRequest, slug: str) -> HttpResponse:
    """The referrals the center made, each with what became of it."""
    center = _center(request, slug)
    return _referrals_page(request, center)


@require_POST
@login_required
def referral_outcome(request: HttpRequest, slug: str, referral_id: int) -> HttpResponse:
    center = _center(request, slug)
    referral = get_object_or_404(Referral, pk=referral_id, from_center=center)
    form = ReferralOutcomeForm(request.POST, prefix=f"referral-{referral.pk}")
    if not form.is_valid():
        return _referrals_page(request, center, failed=(referral.pk, form))
    actions.set_referral_outcome(
        referral=referral,
        outcome=form.cleaned_data["outcome"],
        by=_person(request),
        request=request,
    )
    messages.success(
        request,
        _("The outcome of the referral to %(room)s has been saved.")
        % {"room": f"{referral.to_center.name} {referral.room.name}"},
    )
    return redirect("rooms_staff:referrals", slug=center.slug)
