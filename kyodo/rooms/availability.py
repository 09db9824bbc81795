"""Which rooms are free when: the checks of a wanted slot, the free-room search across the
network, and the availability grids of a room and of a center."""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.utils import timezone

from kyodo.rooms.hours import DayHours, hours_between
from kyodo.rooms.models import Reservation, Room, RoomQuerySet, blocking_room_ids
from kyodo.rooms.venues import EventLink, event_links

SLOT_MINUTES = 60
DEFAULT_FIRST_HOUR = 9
DEFAULT_LAST_HOUR = 21


def local_day(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


def fits_opening_hours(
    room: Room, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> bool:
    """Is the room open for the whole slot (one day, within that day's hours)?"""
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    if start.date() != end.date() and not (
        end.time() == datetime.time(0) and end.date() == start.date() + datetime.timedelta(days=1)
    ):
        return False
    info = hours_between(room, start.date(), start.date())[start.date()]
    if not info.is_open:
        return False
    assert info.opens is not None and info.closes is not None  # noqa: S101
    end_time = end.time() if end.date() == start.date() else datetime.time(23, 59, 59)
    return info.opens <= start.time() and end_time <= info.closes


def free_rooms(
    rooms: RoomQuerySet,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    *,
    people: int | None = None,
    equipment: Iterable[str] = (),
) -> list[Room]:
    """Rooms of ``rooms`` that are open and not booked (nor their parts or wholes) for the
    whole slot, seat ``people`` and have every piece of ``equipment``."""
    candidates = rooms.active().free_between(starts_at, ends_at)
    if people:
        candidates = candidates.seating(people)
    wanted = set(equipment)
    found = []
    for room in candidates.select_related("center").order_by(
        "center__name_kana", "sort_order", "name"
    ):
        if wanted and not wanted <= set(room.equipment or []):
            continue
        if fits_opening_hours(room, starts_at, ends_at):
            found.append(room)
    return found


@dataclass(frozen=True)
class Booking:
    """What a grid shows of a reservation, read with only the columns it needs."""

    pk: int
    room_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: str
    organization_name: str | None
    on_behalf_of_name: str
    booked_by_name: str | None
    booked_by_email: str | None
    room_name: str = ""
    events: tuple[EventLink, ...] = ()  # the events held in it (staff grid only)

    @property
    def holder_name(self) -> str:
        """As ``Reservation.holder_name``: the group, the person named at the counter, or
        the person who booked."""
        return (
            self.organization_name
            or self.on_behalf_of_name
            or self.booked_by_name
            or self.booked_by_email
            or ""
        )


BOOKING_COLUMNS = (
    "pk",
    "room_id",
    "starts_at",
    "ends_at",
    "status",
    "organization__name",
    "on_behalf_of_name",
    "booked_by__display_name",
    "booked_by__email",
)


@dataclass
class Cell:
    """One cell of a grid: 空き, 予約済み or 休館, with the reservations it holds (of the
    room itself, or of a room it is made of or part of)."""

    state: str  # "free", "booked", "closed"
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    reservations: list[Booking] = field(default_factory=list)


@dataclass
class GridRow:
    label: str
    cells: list[Cell]
    room: Room | None = None


@dataclass
class Grid:
    days: list[datetime.date]
    rows: list[GridRow]
    hours: dict[datetime.date, DayHours] = field(default_factory=dict)


def _aware(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def _blocking(
    room_ids: Iterable[int],
    start: datetime.datetime,
    end: datetime.datetime,
    names: dict[int, str] | None = None,
) -> list[Booking]:
    """Active reservations of ``room_ids`` overlapping ``start``–``end``: the same
    QuerySet the booking check uses (``actions.booking._is_taken``), one query. ``names`` gives
    each booking the name of its room."""
    rows = (
        Reservation.objects.active()
        .of_rooms(list(room_ids))
        .overlapping(start, end)
        .order_by("starts_at")
        .values_list(*BOOKING_COLUMNS)
    )
    names = names or {}
    return [
        Booking(pk, room_id, s, e, status, org, behalf, name, email, names.get(room_id, ""))
        for pk, room_id, s, e, status, org, behalf, name, email in rows
    ]


def room_grid(room: Room, first_day: datetime.date, days: int) -> Grid:
    """Rows are time slots of an hour, columns days; a cell is free, booked (here or in
    a part or whole of the room) or closed."""
    day_list = [first_day + datetime.timedelta(days=n) for n in range(days)]
    hours = hours_between(room, day_list[0], day_list[-1])
    opens = [h.opens for h in hours.values() if h.opens]
    closes = [h.closes for h in hours.values() if h.closes]
    first_hour = min((t.hour for t in opens), default=DEFAULT_FIRST_HOUR)
    last_hour = max((t.hour + (1 if t.minute else 0) for t in closes), default=DEFAULT_LAST_HOUR)
    start = _aware(day_list[0], datetime.time(0))
    end = _aware(day_list[-1] + datetime.timedelta(days=1), datetime.time(0))
    booked = _blocking(room.related_room_ids(), start, end)
    rows = []
    for hour in range(first_hour, last_hour):
        cells = []
        for day in day_list:
            slot_start = _aware(day, datetime.time(hour))
            slot_end = slot_start + datetime.timedelta(minutes=SLOT_MINUTES)
            info = hours[day]
            if (
                not info.is_open
                or info.opens is None
                or info.closes is None
                or slot_start.time() < info.opens
                or (slot_end.time() > info.closes and slot_end.time() != datetime.time(0))
            ):
                cells.append(Cell("closed", slot_start, slot_end))
                continue
            holding = [r for r in booked if r.starts_at < slot_end and r.ends_at > slot_start]
            cells.append(Cell("booked" if holding else "free", slot_start, slot_end, holding))
        rows.append(GridRow(f"{hour}:00", cells))
    return Grid(day_list, rows, hours)


def center_week(rooms: Sequence[Room], first_day: datetime.date, days: int = 7) -> Grid:
    """Rows are rooms, columns days; a cell lists the reservations that hold the room
    that day — its own, and those of the rooms it is made of or part of (スペースA・B is
    busy when スペースA is booked, and the reverse) — or says it is closed or free.

    A few queries whatever the number of rooms: the combined rooms (``blocking_room_ids``),
    one for every reservation of the week, with only the columns shown, and one for the
    events held in them (``venues.event_links``)."""
    day_list = [first_day + datetime.timedelta(days=n) for n in range(days)]
    start = _aware(day_list[0], datetime.time(0))
    end = _aware(day_list[-1] + datetime.timedelta(days=1), datetime.time(0))
    blocking = blocking_room_ids(room.pk for room in rooms)
    all_ids = {pk for ids in blocking.values() for pk in ids}
    names = {room.pk: room.name for room in rooms}
    missing = all_ids - names.keys()
    if missing:
        names.update(Room.objects.filter(pk__in=missing).values_list("pk", "name"))
    # Local midnights of the days after the first: bisecting a start among them gives its
    # day's column without converting every start to local time.
    midnights = [_aware(day, datetime.time(0)) for day in day_list[1:]]
    # {room id: [bookings of that room, per day]}
    by_room_day: dict[int, list[list[Booking]]] = {pk: [[] for _ in day_list] for pk in all_ids}
    bookings = _blocking(all_ids, start, end, names)
    events = event_links(b.pk for b in bookings)
    for booking in bookings:
        if booking.pk in events:
            booking = replace(booking, events=events[booking.pk])
        if booking.starts_at >= start:  # one begun the day before is not listed
            by_room_day[booking.room_id][bisect_right(midnights, booking.starts_at)].append(booking)
    rows = []
    for room in rooms:
        hours = hours_between(room, day_list[0], day_list[-1])
        related = blocking[room.pk]
        cells = []
        for n, day in enumerate(day_list):
            if len(related) == 1:
                todays = by_room_day[room.pk][n]
            else:
                todays = sorted(
                    (b for pk in related for b in by_room_day[pk][n]), key=lambda b: b.starts_at
                )
            if not hours[day].is_open:
                cells.append(Cell("closed", reservations=todays))
            else:
                cells.append(Cell("booked" if todays else "free", reservations=todays))
        rows.append(GridRow(room.name, cells, room=room))
    return Grid(day_list, rows)


def rooms_for_grid(rooms: RoomQuerySet) -> list[Room]:
    """The rooms of a grid, in their order; the grid needs nothing else of them."""
    return list(rooms.order_by("sort_order", "name"))
