"""The public rooms pages: rooms per center, a room's availability and booking, and the
person's own reservations."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kyodo.centers.models import Center
from kyodo.rooms import actions
from kyodo.rooms.availability import free_rooms, room_grid
from kyodo.rooms.forms import ReservationForm, WeekForm
from kyodo.rooms.hours import next_closed_days
from kyodo.rooms.models import Reservation, Room


def referral_candidates(room: Room, data: dict[str, Any]) -> list[Room]:
    """Free rooms of the partner centers that share rooms for referral with the room's
    center, for the wanted slot, people and equipment."""
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if not starts_at or not ends_at or ends_at <= starts_at:
        return []
    return free_rooms(
        Room.objects.offered_for_referral_to(room.center_id),
        starts_at,
        ends_at,
        people=data.get("people"),
        equipment=room.equipment or [],
    )


@require_GET
def room_index(request: HttpRequest) -> HttpResponse:
    """The centers with bookable rooms, and their rooms."""
    rooms = (
        Room.objects.active()
        .select_related("center")
        .order_by("center__name_kana", "center__name", "sort_order", "name")
    )
    centers: dict[int, dict[str, Any]] = {}
    for room in rooms:
        entry = centers.setdefault(room.center_id, {"center": room.center, "rooms": []})
        entry["rooms"].append(room)
    return TemplateResponse(request, "rooms/index.html", {"centers": list(centers.values())})


@require_GET
def center_rooms(request: HttpRequest, slug: str) -> HttpResponse:
    center = get_object_or_404(Center.objects.active(), slug=slug)
    rooms = list(Room.objects.active().at(center).select_related("center"))
    context = {
        "center": center,
        "rooms": rooms,
        "breadcrumbs": [(_("Room reservations"), reverse("rooms:index")), (center.name, None)],
    }
    return TemplateResponse(request, "rooms/center_rooms.html", context)


def _initial_slot(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET[k] for k in ("starts_at", "ends_at") if request.GET.get(k)}


@require_http_methods(["GET", "POST"])
def room_detail(request: HttpRequest, room_id: int) -> HttpResponse:
    """A room: its rules, a week of availability and, for a signed-in person, booking."""
    room = get_object_or_404(
        Room.objects.active().select_related("center").prefetch_related("fee_rules", "parts"),
        pk=room_id,
    )
    week = WeekForm(request.GET or None)
    first_day = week.first_day()
    form = ReservationForm(user=request.user, room=room, initial=_initial_slot(request))
    alternatives: list[Room] = []
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
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
                    by=request.user,
                    request=request,
                )
            except actions.SlotTakenError:
                form.add_error(None, _("This time slot is already booked."))
                alternatives = referral_candidates(room, data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your request has been received; the center will reply by e-mail.")
                    if reservation.status == "requested"
                    else _("The room is booked. A confirmation has been sent by e-mail."),
                )
                return redirect("rooms:mine")
        wanted = getattr(form, "cleaned_data", {}).get("starts_at")
        if wanted:
            first_day = timezone.localtime(wanted).date()
    grid = room_grid(room, first_day, 7)
    context = {
        "room": room,
        "center": room.center,
        "grid": grid,
        "week_form": week,
        "previous_week": first_day - datetime.timedelta(days=7),
        "next_week": first_day + datetime.timedelta(days=7),
        "form": form,
        "alternatives": alternatives,
        "next_closed": next_closed_days(room),
        "breadcrumbs": [
            (_("Room reservations"), reverse("rooms:index")),
            (room.center.name, reverse("rooms:center", kwargs={"slug": room.center.slug})),
            (room.name, None),
        ],
    }
    template = "rooms/room_detail.html"
    if getattr(request, "htmx", False) and request.method == "GET":
        template += "#grid"
    return TemplateResponse(request, template, context)


@require_GET
@login_required
def my_reservations(request: HttpRequest) -> HttpResponse:
    reservations = (
        Reservation.objects.filter(booked_by=request.user)  # type: ignore[misc]
        .select_related("room__center", "organization")
        .order_by("-starts_at")[:100]
    )
    return TemplateResponse(request, "rooms/my_reservations.html", {"reservations": reservations})


@require_POST
@login_required
def cancel_my_reservation(request: HttpRequest, reservation_id: int) -> HttpResponse:
    reservation = get_object_or_404(
        Reservation.objects.select_related("room__center"),
        pk=reservation_id,
        booked_by=request.user,
    )
    if reservation.on_behalf_of_name:
        raise PermissionDenied
    try:
        actions.cancel_reservation(reservation=reservation, by=request.user, request=request)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The reservation has been cancelled."))
    return redirect("rooms:mine")
