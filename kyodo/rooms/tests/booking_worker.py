"""A separate OS process that books a room, for the concurrency tests and the benchmark.

Usage (the database comes from ``KYODO_DATABASE_URL``):

    python -m kyodo.rooms.tests.booking_worker setup
        migrate (SQLite file only) and create a center with rooms A, B and A・B;
        prints {"a": id, "b": id, "ab": id}
    python -m kyodo.rooms.tests.booking_worker book ROOM START END SIGNAL_DIR INDEX
        connect, write SIGNAL_DIR/ready-INDEX, wait for SIGNAL_DIR/go, call book_room;
        prints {"outcome": "booked" | "taken" | "error", "detail": ...}
    python -m kyodo.rooms.tests.booking_worker storm ROOMS FIRST_DAY SLOTS SIGNAL_DIR INDEX
        the same, then try SLOTS one-hour bookings in the same order as every other worker
        (slot i: room ROOMS[i % n] at the (i // n)-th hour from FIRST_DAY 9:00, twelve
        hours a day); prints {"booked": n, "taken": n, "errors": [...], "seconds": s}
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")
    import django

    django.setup()


def setup() -> dict[str, int]:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
    return create_rooms()


def create_rooms(slug: str = "concurrency-center") -> dict[str, int]:
    from kyodo.centers.models import Center
    from kyodo.rooms.models import Eligibility, Room

    center, _ = Center.objects.get_or_create(
        slug=slug,
        defaults={
            "name": "札幌市菊水元町地区センター",
            "kind": "partner_facility",
            "prefecture": "北海道",
            "area_served": "札幌市内",
        },
    )
    common = {
        "capacity": 70,
        "eligibility": Eligibility.CITIZENS,
        "opening_hours": "毎日 0:00～23:30",
        "booking_opens_months": 24,
        "booking_closes_hours": 0,
    }
    a, _ = Room.objects.get_or_create(center=center, name="2階集会室A", defaults=common)
    b, _ = Room.objects.get_or_create(center=center, name="2階集会室B", defaults=common)
    ab, _ = Room.objects.get_or_create(center=center, name="2階集会室A・B", defaults=common)
    ab.parts.set([a, b])
    return {"a": a.pk, "b": b.pk, "ab": ab.pk}


def book(room_id: int, start: str, end: str, signal_dir: Path, index: int) -> dict[str, str]:
    from django.db import connection

    from kyodo.rooms.actions import SlotTakenError, book_room
    from kyodo.rooms.models import Room

    room = Room.objects.select_related("center").get(pk=room_id)
    connection.ensure_connection()
    (signal_dir / f"ready-{index}").touch()
    go = signal_dir / "go"
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            return {"outcome": "error", "detail": "no go signal"}
        time.sleep(0.001)
    try:
        book_room(
            room=room,
            starts_at=datetime.datetime.fromisoformat(start),
            ends_at=datetime.datetime.fromisoformat(end),
            purpose="定例会議",
            people=10,
            by=None,
        )
    except SlotTakenError as error:
        return {"outcome": "taken", "detail": str(error)}
    except Exception as error:  # reported, so the test shows what went wrong
        return {"outcome": "error", "detail": f"{type(error).__name__}: {error}"}
    return {"outcome": "booked", "detail": getattr(connection, "transaction_mode", "") or ""}


def storm_slots(
    room_ids: list[int], first_day: datetime.date, slots: int
) -> list[tuple[int, datetime.datetime]]:
    """The one-hour slots a ``storm`` worker tries, in order: (room id, start)."""
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    found = []
    for i in range(slots):
        hour = i // len(room_ids)
        day = first_day + datetime.timedelta(days=hour // 12)
        start = datetime.datetime.combine(day, datetime.time(9 + hour % 12), tzinfo=tokyo)
        found.append((room_ids[i % len(room_ids)], start))
    return found


def storm(
    room_ids: list[int], first_day: datetime.date, slots: int, signal_dir: Path, index: int
) -> dict[str, object]:
    from django.db import connection

    from kyodo.rooms.actions import SlotTakenError, book_room
    from kyodo.rooms.models import Room

    rooms = Room.objects.select_related("center").in_bulk(room_ids)
    connection.ensure_connection()
    (signal_dir / f"ready-{index}").touch()
    go = signal_dir / "go"
    while not go.exists():
        time.sleep(0.001)
    booked = taken = 0
    errors: list[str] = []
    started = time.perf_counter()
    for room_id, start in storm_slots(room_ids, first_day, slots):
        try:
            book_room(
                room=rooms[room_id],
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
                purpose="定例会議",
                people=10,
                by=None,
            )
        except SlotTakenError:
            taken += 1
        except Exception as error:  # reported: the benchmark fails on any
            errors.append(f"{type(error).__name__}: {error}")
        else:
            booked += 1
    seconds = time.perf_counter() - started
    return {"booked": booked, "taken": taken, "errors": errors, "seconds": seconds}


def main(argv: list[str]) -> int:
    _setup_django()
    if argv[0] == "setup":
        print(json.dumps(setup()))
    elif argv[0] == "book":
        room_id, start, end, signal_dir, index = argv[1:6]
        print(json.dumps(book(int(room_id), start, end, Path(signal_dir), int(index))))
    elif argv[0] == "storm":
        rooms, first_day, slots, signal_dir, index = argv[1:6]
        result = storm(
            [int(pk) for pk in rooms.split(",")],
            datetime.date.fromisoformat(first_day),
            int(slots),
            Path(signal_dir),
            int(index),
        )
        print(json.dumps(result))
    else:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
