"""The staff pages of reservations: the week grid of a center, booking on someone's
behalf, series and one reservation (approval, denial, change, no-show)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers.models import Center
from kyodo.rooms import actions, venues
from kyodo.rooms.availability import center_week, free_rooms, local_day, rooms_for_grid
from kyodo.rooms.forms import (
    DenyForm,
    ReferralForm,
    ReservationChangeForm,
    ReservationForm,
    SeriesChangeForm,
    SeriesForm,
    WeekForm,
)
from kyodo.rooms.models import (
    Reservation,
    ReservationSeries,
    ReservationStatus,
    Room,
)

from ._base import _center, _partner_rooms, _person, _staff_context


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
