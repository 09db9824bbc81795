"""The public rooms pages: rooms per center, a room's availability and booking (for
oneself, or for a group one acts for, also as a series), and the person's own
reservations and those of their groups."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kyodo.centers.models import Center
from kyodo.events.models import Event, EventSession
from kyodo.rooms import actions, venues
from kyodo.rooms.availability import free_rooms, room_grid
from kyodo.rooms.forms import ReservationForm, SeriesForm, WeekForm
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
                    organization=data.get("organization"),
                    on_behalf_of_name=data.get("on_behalf_of_name", ""),
                    on_behalf_of_phone=data.get("on_behalf_of_phone", ""),
                    contact_email=data.get("contact_email", ""),
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


@require_http_methods(["GET", "POST"])
@login_required
def book_series(request: HttpRequest, room_id: int) -> HttpResponse:
    """Regular bookings (定期利用) of a room for a group the person acts for: preview the
    dates, then book them all or none, each inside the room's booking window."""
    room = get_object_or_404(Room.objects.active().select_related("center"), pk=room_id)
    form = SeriesForm(room=room, user=request.user)
    preview = False
    conflicts: list[actions.SeriesConflict] = []
    status = 200
    if request.method == "POST" and form.groups:
        form = SeriesForm(request.POST, room=room, user=request.user)
        status = 400
        if form.is_valid():
            status = 200
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = True
            else:
                try:
                    actions.book_series(
                        room=room,
                        recurrence=data["recurrence"],
                        slots=form.slots,
                        starts_on=data["starts_on"],
                        until_on=data["until_on"],
                        purpose=data["purpose"],
                        people=data["people"],
                        organization=data["organization"],
                        by=request.user,  # type: ignore[arg-type]
                        request=request,
                    )
                except actions.SeriesConflictError as error:
                    conflicts = error.conflicts
                    form.add_error(None, _("Some dates are already booked; nothing was booked."))
                    status = 409
                except actions.SlotTakenError:
                    form.add_error(None, _("This time slot is already booked."))
                    status = 409
                else:
                    messages.success(
                        request,
                        _("%(count)s dates have been booked.") % {"count": len(form.slots)},
                    )
                    return redirect("rooms:mine")
    context = {
        "room": room,
        "center": room.center,
        "form": form,
        "preview": preview,
        "slots": form.slots if form.is_bound and not form.errors else [],
        "conflicts": conflicts,
        "breadcrumbs": [
            (_("Room reservations"), reverse("rooms:index")),
            (room.center.name, reverse("rooms:center", kwargs={"slug": room.center.slug})),
            (room.name, room.get_absolute_url()),
            (_("Regular bookings"), None),
        ],
    }
    return TemplateResponse(request, "rooms/series.html", context, status=status)


@require_GET
@login_required
def my_reservations(request: HttpRequest) -> HttpResponse:
    """The reservations the person booked and those of the groups they act for, with
    the (published) events held in them."""
    public_sessions = Prefetch(
        "event_sessions",
        queryset=EventSession.objects.filter(event__in=Event.objects.published())
        .select_related("event")
        .order_by("event__title", "event_id"),
        to_attr="public_event_sessions",
    )
    reservations = list(
        Reservation.objects.held_by(request.user)
        .select_related("room__center", "organization")
        .prefetch_related(public_sessions)
        .order_by("-starts_at")[:100]
    )
    cancellable = set(
        Reservation.objects.cancellable_by(request.user)
        .filter(pk__in=[r.pk for r in reservations])
        .values_list("pk", flat=True)
    )
    for reservation in reservations:
        reservation.may_cancel = reservation.pk in cancellable  # type: ignore[attr-defined]
        events: dict[int, Event] = {}
        for session in reservation.public_event_sessions:
            events.setdefault(session.event_id, session.event)
        reservation.public_events = list(events.values())  # type: ignore[attr-defined]
    return TemplateResponse(request, "rooms/my_reservations.html", {"reservations": reservations})


@require_POST
@login_required
def cancel_my_reservation(request: HttpRequest, reservation_id: int) -> HttpResponse:
    """Cancel one's own reservation or one of a group one acts for; when it is the venue
    of an event, say so and ask again first."""
    reservation = get_object_or_404(
        Reservation.objects.cancellable_by(request.user).select_related("room__center"),
        pk=reservation_id,
    )
    if not request.POST.get("confirmed"):
        events = venues.events_held_in([reservation.pk])
        if events:
            published = {e.pk for e in venues.events_held_in([reservation.pk], published_only=True)}
            context = {
                "reservation": reservation,
                "events": [e for e in events if e.pk in published],
                "unnamed_events": len([e for e in events if e.pk not in published]),
            }
            return TemplateResponse(request, "rooms/confirm_cancel.html", context)
    try:
        actions.cancel_reservation(reservation=reservation, by=request.user, request=request)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The reservation has been cancelled."))
    return redirect("rooms:mine")
