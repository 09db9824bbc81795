"""Rooms API: free-room search across the network, availability, booking, cancelling.

Bookings validate with ``ReservationForm`` (the form of the HTML pages) and call
``actions.book_room``: 201 with the reservation, 409 when the slot is taken, 422 for
invalid input. Never 500 under contention (see ``kyodo.rooms.actions``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from kyodo.accounts.api import BearerToken
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.rooms import actions
from kyodo.rooms.availability import free_rooms, room_grid
from kyodo.rooms.forms import ReservationForm
from kyodo.rooms.models import Reservation, Room

router = Router(tags=["rooms"])

MAX_AVAILABILITY_DAYS = 31


class RoomOut(Schema):
    id: int
    center: int
    center_name: str
    name: str
    capacity: int | None
    floor_area_m2: float | None
    equipment: list[str]
    opening_hours: str
    closed_days: str
    eligibility: str
    requires_approval: bool
    parts: list[int]

    @staticmethod
    def resolve_center(obj: Room) -> int:
        return obj.center_id

    @staticmethod
    def resolve_center_name(obj: Room) -> str:
        return obj.center.name

    @staticmethod
    def resolve_floor_area_m2(obj: Room) -> float | None:
        return float(obj.floor_area_m2) if obj.floor_area_m2 is not None else None

    @staticmethod
    def resolve_parts(obj: Room) -> list[int]:
        return [part.pk for part in obj.parts.all()]


class RoomPage(Schema):
    count: int
    results: list[RoomOut]


class RoomFilters(Schema):
    center: int | None = Field(None, description="Only the rooms of this center (its id).")
    capacity: int | None = Field(None, ge=1, description="At least this many seats.")
    available_from: datetime.datetime | None = Field(
        None, description="With available_to: only rooms free for this slot (ISO 8601)."
    )
    available_to: datetime.datetime | None = Field(None, description="End of the slot (ISO 8601).")


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class SlotOut(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    state: str


class AvailabilityOut(Schema):
    room: int
    slots: list[SlotOut]


class ReservationIn(Schema):
    room: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    organization: int | None = None
    purpose: str
    people: int
    on_behalf_of_name: str = ""
    on_behalf_of_phone: str = ""
    contact_email: str = ""


class ReservationOut(Schema):
    id: int
    room: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    organization: int | None
    purpose: str
    people: int
    status: str
    fee_yen: int

    @staticmethod
    def resolve_room(obj: Reservation) -> int:
        return obj.room_id

    @staticmethod
    def resolve_organization(obj: Reservation) -> int | None:
        return obj.organization_id


def _aware(value: datetime.datetime) -> datetime.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["query", field], "msg": message}])


@router.get(
    "/rooms",
    response={200: RoomPage, 422: ValidationErrorOut},
    summary="Search rooms across the network, optionally free for a slot",
)
def list_rooms(request: HttpRequest, filters: Query[RoomFilters]) -> dict[str, Any]:
    """Active rooms; with ``available_from`` and ``available_to``, only the rooms open and
    not booked (nor their parts or wholes) for the whole slot."""
    rooms = Room.objects.active().select_related("center").prefetch_related("parts")
    if filters.center:
        rooms = rooms.filter(center_id=filters.center)
    if filters.capacity:
        rooms = rooms.seating(filters.capacity)
    start, end = filters.available_from, filters.available_to
    if (start is None) != (end is None):
        raise _invalid("available_to", _("Give both available_from and available_to."))
    if start is not None and end is not None:
        start, end = _aware(start), _aware(end)
        if end <= start:
            raise _invalid("available_to", _("The end must be after the start."))
        found = free_rooms(rooms, start, end)
    else:
        found = list(rooms.order_by("center__name_kana", "sort_order", "name"))
    return {"count": len(found), "results": found}


@router.get(
    "/rooms/{room_id}/availability",
    response={200: AvailabilityOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Hourly availability of a room",
)
def room_availability(
    request: HttpRequest,
    room_id: int,
    from_: datetime.date = Query(..., alias="from"),  # noqa: B008
    to: datetime.date = Query(...),  # noqa: B008
) -> dict[str, Any]:
    """Each hour from ``from`` to ``to`` (dates, both included, at most 31 days): free,
    booked or closed."""
    room = Room.objects.active().filter(pk=room_id).first()
    if room is None:
        raise HttpError(404, _("There is no room with this id."))
    if to < from_:
        raise _invalid("to", _("The end must not be before the start."))
    days = (to - from_).days + 1
    if days > MAX_AVAILABILITY_DAYS:
        raise _invalid("to", _("Ask for at most 31 days at a time."))
    grid = room_grid(room, from_, days)
    slots = [
        {"starts_at": cell.starts_at, "ends_at": cell.ends_at, "state": cell.state}
        for row in grid.rows
        for cell in row.cells
    ]
    slots.sort(key=lambda s: str(s["starts_at"]))
    return {"room": room.pk, "slots": slots}


@router.post(
    "/reservations",
    auth=BearerToken(),
    response={201: ReservationOut, 401: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut},
    summary="Book a room",
)
def create_reservation(request: HttpRequest, payload: ReservationIn) -> Status[Reservation]:
    """Validated like the booking page; 409 when the slot is already booked.

    With ``organization``, the booking is for that group: the token's person must be an
    approved member of it (otherwise 422, with the reason under ``organization``), and a
    room for registered groups accepts only groups registered at its center. Staff of
    the room's center book for any group or person."""
    user = request.auth  # type: ignore[attr-defined]
    data = payload.dict()
    room = Room.objects.active().select_related("center").filter(pk=payload.room).first()
    form = ReservationForm(
        {
            **data,
            "starts_at": _aware(payload.starts_at).isoformat(),
            "ends_at": _aware(payload.ends_at).isoformat(),
            "organization": payload.organization or "",
        },
        user=user,
    )
    if room is None or not form.is_valid():
        errors = [
            {"loc": ["body", field], "msg": str(message)}
            for field, messages in form.errors.items()
            for message in messages
        ]
        raise ValidationError(
            errors or [{"loc": ["body", "room"], "msg": _("There is no room with this id.")}]
        )
    cleaned = form.cleaned_data
    try:
        reservation = actions.book_room(
            room=cleaned["room"],
            starts_at=cleaned["starts_at"],
            ends_at=cleaned["ends_at"],
            purpose=cleaned["purpose"],
            people=cleaned["people"],
            organization=cleaned.get("organization"),
            on_behalf_of_name=cleaned.get("on_behalf_of_name", ""),
            on_behalf_of_phone=cleaned.get("on_behalf_of_phone", ""),
            contact_email=cleaned.get("contact_email", ""),
            by=user,
            request=request,
        )
    except actions.SlotTakenError:
        raise HttpError(409, _("This time slot is already booked.")) from None
    return Status(201, reservation)


@router.post(
    "/reservations/{reservation_id}/cancel",
    auth=BearerToken(),
    response={200: ReservationOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Cancel a reservation",
)
def cancel_reservation(request: HttpRequest, reservation_id: int) -> Reservation:
    """The person who booked, a member of the group it is for, or staff with the rooms
    permission at the room's center. A room that was an event's venue no longer is."""
    user = request.auth  # type: ignore[attr-defined]
    reservation = (
        Reservation.objects.select_related("room__center").filter(pk=reservation_id).first()
    )
    if reservation is None or not (
        access.can(user, Permission.MANAGE_ROOMS, reservation.room.center)
        or Reservation.objects.cancellable_by(user).filter(pk=reservation.pk).exists()
    ):
        raise HttpError(404, _("There is no reservation with this id."))
    try:
        return actions.cancel_reservation(reservation=reservation, by=user, request=request)
    except DjangoValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from None
