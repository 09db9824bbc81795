"""Occupancy rates (稼働率) of rooms, per month and fiscal year (年度, April to March).

The basis is the center's choice (``CenterRoomSettings.occupancy_basis``):

- bookable divisions (区分): the share of (day, division) pairs on open days that a
  confirmed reservation (or a no-show) touches. Divisions are the room's 区分 fee rules
  (全日 left out), or 午前 9–12 / 午後 13–17 / 夜間 18–21 when it has none;
- hours open: booked minutes within the opening hours over the minutes open.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from kyodo.japanese.fiscal_year import fiscal_year_months, fiscal_year_range
from kyodo.rooms.fees import FULL_DAY_LABELS
from kyodo.rooms.hours import hours_between
from kyodo.rooms.models import (
    FeeUnit,
    OccupancyBasis,
    Reservation,
    ReservationStatus,
    Room,
)

DEFAULT_DIVISIONS = (
    (datetime.time(9), datetime.time(12)),
    (datetime.time(13), datetime.time(17)),
    (datetime.time(18), datetime.time(21)),
)
COUNTED = (ReservationStatus.CONFIRMED, ReservationStatus.NO_SHOW)


@dataclass
class Tally:
    used: int = 0
    available: int = 0

    def add(self, other: Tally) -> None:
        self.used += other.used
        self.available += other.available

    @property
    def rate(self) -> float | None:
        """Between 0 and 1, or None when nothing was available."""
        return self.used / self.available if self.available else None

    @property
    def percent(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass
class RoomOccupancy:
    room: Room
    months: list[Tally]
    total: Tally = field(default_factory=Tally)


@dataclass
class Report:
    fiscal_year: int
    basis: str
    months: list[datetime.date]
    rooms: list[RoomOccupancy]
    month_totals: list[Tally]
    total: Tally


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def _divisions(room: Room) -> list[tuple[datetime.time, datetime.time]]:
    found = [
        (rule.starts_at_time, rule.ends_at_time)
        for rule in room.fee_rules.all()
        if rule.unit == FeeUnit.DIVISION
        and rule.starts_at_time
        and rule.ends_at_time
        and rule.label not in FULL_DAY_LABELS
    ]
    return sorted(found) or list(DEFAULT_DIVISIONS)


def room_tallies(
    room: Room,
    basis: str,
    first: datetime.date,
    last: datetime.date,
    reservations: list[Reservation],
) -> dict[datetime.date, Tally]:
    """{day: Tally} from ``first`` to ``last`` for one room."""
    hours = hours_between(room, first, last)
    booked: dict[datetime.date, list[tuple[int, int]]] = defaultdict(list)
    for reservation in reservations:
        start = timezone.localtime(reservation.starts_at)
        end = timezone.localtime(reservation.ends_at)
        end_minute = _minutes(end.time()) if end.date() == start.date() else 24 * 60
        booked[start.date()].append((_minutes(start.time()), end_minute))
    divisions = _divisions(room) if basis == OccupancyBasis.DIVISIONS else []
    result: dict[datetime.date, Tally] = {}
    for day, info in hours.items():
        if not info.is_open or info.opens is None or info.closes is None:
            result[day] = Tally()
            continue
        opens, closes = _minutes(info.opens), _minutes(info.closes)
        spans = booked.get(day, [])
        if basis == OccupancyBasis.DIVISIONS:
            tally = Tally()
            for start_time, end_time in divisions:
                a, b = _minutes(start_time), _minutes(end_time)
                if a < opens or b > closes:
                    continue
                tally.available += 1
                if any(s < b and e > a for s, e in spans):
                    tally.used += 1
            result[day] = tally
        else:
            used = sum(max(0, min(e, closes) - max(s, opens)) for s, e in spans)
            result[day] = Tally(min(used, closes - opens), closes - opens)
    return result


def fiscal_year_report(rooms: list[Room], basis: str, fiscal_year: int) -> Report:
    """The occupancy of ``rooms`` for each month of ``fiscal_year``."""
    first, last = fiscal_year_range(fiscal_year)
    months = fiscal_year_months(fiscal_year)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time(0)))
    end = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0))
    )
    by_room: dict[int, list[Reservation]] = defaultdict(list)
    for reservation in (
        Reservation.objects.filter(room__in=rooms, status__in=COUNTED)
        .overlapping(start, end)
        .only("room_id", "starts_at", "ends_at")
    ):
        by_room[reservation.room_id].append(reservation)
    month_index = {(m.year, m.month): i for i, m in enumerate(months)}
    result_rooms = []
    month_totals = [Tally() for _ in months]
    total = Tally()
    for room in rooms:
        tallies = [Tally() for _ in months]
        for day, tally in room_tallies(room, basis, first, last, by_room[room.pk]).items():
            tallies[month_index[(day.year, day.month)]].add(tally)
        row = RoomOccupancy(room, tallies)
        for i, tally in enumerate(tallies):
            row.total.add(tally)
            month_totals[i].add(tally)
        total.add(row.total)
        result_rooms.append(row)
    return Report(fiscal_year, basis, months, result_rooms, month_totals, total)
