"""Rooms benchmark: 25 centers × 20 rooms with a year of bookings.

    .venv/bin/python bench/rooms_bench.py                       # SQLite, a temporary file
    KYODO_DATABASE_URL=postgres://… .venv/bin/python bench/rooms_bench.py   # an EMPTY database
    KYODO_DATABASE_URL=sqlite:////tmp/b.sqlite3 …   # a file kept between runs (built once)
    KYODO_BENCH_PROFILE=1 …            # also print a cProfile of each measured operation
    KYODO_BENCH_SKIP_CONTENTION=1 …    # only the timings (while profiling)

Measures the free-room search for a 3-hour slot across the network (p50/p95, target p95 ≤
50 ms), the week grid of one center (target ≤ 50 ms), and booking throughput under
contention: rounds of several processes booking the same slots at once, counting double
bookings (must be 0), and throughput under contention: several processes each try the
same sequence of one-hour bookings of a combined room and its two halves (集会室A, B and
A・B) as fast as they can; every slot is booked once, the rest are "already booked".

The machine is shared and noisy: the same run also times a ``SELECT 1`` round trip and
the week grid of a week without bookings, so the figures can be read as ratios.
"""

from __future__ import annotations

import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TMP = Path(tempfile.mkdtemp(prefix="kyodo-rooms-bench-"))
os.environ.setdefault("KYODO_DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from kyodo.centers.models import Center  # noqa: E402
from kyodo.rooms.availability import center_week, free_rooms, rooms_for_grid  # noqa: E402
from kyodo.rooms.models import Eligibility, Reservation, Room  # noqa: E402

CENTERS, ROOMS, RUNS = 25, 20, 60
HOURS = "月曜日～土曜日 9:00～21:00 日曜日・祝日 9:00～17:00"


def build() -> None:
    centers = Center.objects.bulk_create(
        [
            Center(
                slug=f"bench-{n}",
                name=f"ベンチ市民活動センター{n}",
                kind="city",
                prefecture="北海道",
                area_served="市内",
            )
            for n in range(CENTERS)
        ]
    )
    rooms = Room.objects.bulk_create(
        [
            Room(
                center=c,
                name=f"会議室{m}",
                capacity=10 + m * 3,
                opening_hours=HOURS,
                closed_days="年末年始",
                eligibility=Eligibility.CITIZENS,
                booking_opens_months=24,
                booking_closes_hours=0,
            )
            for c in centers
            for m in range(ROOMS)
        ]
    )
    start = timezone.localdate().replace(month=4, day=1)
    rows = []
    for i, room in enumerate(rooms):
        for d in range(365):
            day = start + datetime.timedelta(days=d)
            for slot, (a, b) in enumerate(((9, 12), (13, 17), (18, 21))):
                if (i + d + slot) % 3:  # two slots in three booked
                    s = timezone.make_aware(datetime.datetime.combine(day, datetime.time(a)))
                    rows.append(
                        Reservation(
                            room=room,
                            starts_at=s,
                            ends_at=s.replace(hour=b),
                            purpose="定例会議",
                            people=5,
                        )
                    )
    Reservation.objects.bulk_create(rows, batch_size=5000)
    print(f"built: {len(centers)} centers, {len(rooms)} rooms, {len(rows)} reservations")


def timed(fn: object, runs: int = RUNS) -> list[float]:
    found = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        found.append((time.perf_counter() - t) * 1000)
    return found


def report(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"{name}: p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms")


def contention(rounds: int = 5, workers: int = 8) -> None:
    url = os.environ["KYODO_DATABASE_URL"]
    room = Room.objects.order_by("pk").first()
    assert room is not None
    started = time.perf_counter()
    doubles = attempts = 0
    for r in range(rounds):
        signals = TMP / f"round-{r}"
        signals.mkdir()
        day = datetime.date(2031, 1, 6) + datetime.timedelta(days=r)
        start = f"{day.isoformat()}T10:00:00+09:00"
        end = f"{day.isoformat()}T12:00:00+09:00"
        env = {**os.environ, "KYODO_DATABASE_URL": url}
        procs = [
            subprocess.Popen(  # noqa: S603 - our own worker
                [
                    sys.executable,
                    "-m",
                    "kyodo.rooms.tests.booking_worker",
                    "book",
                    str(room.pk),
                    start,
                    end,
                    str(signals),
                    str(i),
                ],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            for i in range(workers)
        ]
        while len(list(signals.glob("ready-*"))) < workers:
            time.sleep(0.02)
        (signals / "go").touch()
        outs = [p.communicate()[0] for p in procs]
        attempts += workers
        booked = sum('"booked"' in o for o in outs)
        errors = sum('"error"' in o for o in outs)
        doubles += max(0, booked - 1)
        assert errors == 0, outs
    elapsed = time.perf_counter() - started
    rows = Reservation.objects.filter(room=room, starts_at__year=2031).count()
    print(
        f"contention: {attempts} attempts in {rounds} rounds of {workers} processes, "
        f"{rows} reservations, {doubles} double bookings, {elapsed:.1f} s "
        "(process start-up included)"
    )


def throughput(workers: int = 4, slots: int = 600) -> None:
    """Bookings and attempts per second with ``workers`` processes contending for the same
    slots of three rooms that block each other; fails on any double booking or error."""
    import json

    from kyodo.rooms.tests.booking_worker import create_rooms, storm_slots

    rooms = create_rooms(f"bench-storm-{workers}")
    ids = [rooms["a"], rooms["b"], rooms["ab"]]
    first_day = datetime.date(2032 + workers, 4, 5)
    signals = TMP / f"storm-{workers}"
    signals.mkdir()
    procs = [
        subprocess.Popen(  # noqa: S603 - our own worker
            [
                sys.executable,
                "-m",
                "kyodo.rooms.tests.booking_worker",
                "storm",
                ",".join(map(str, ids)),
                first_day.isoformat(),
                str(slots),
                str(signals),
                str(i),
            ],
            cwd=REPO,
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(workers)
    ]
    while len(list(signals.glob("ready-*"))) < workers:
        time.sleep(0.02)
    (signals / "go").touch()
    results = [json.loads(p.communicate()[0]) for p in procs]
    errors = [e for r in results for e in r["errors"]]
    assert not errors, errors[:5]
    seconds = max(r["seconds"] for r in results)
    booked = sum(r["booked"] for r in results)
    attempts = workers * slots
    # Each hour holds either A and B, or A・B: never more than two, never A・B with a half.
    hours = {start for _room, start in storm_slots(ids, first_day, slots)}
    stored = Reservation.objects.filter(room_id__in=ids, starts_at__in=hours).active()
    doubles = 0
    for hour in hours:
        held = sorted(r.room_id for r in stored if r.starts_at == hour)
        if held not in ([rooms["a"], rooms["b"]], [rooms["ab"]], [rooms["a"]], [rooms["b"]]):
            doubles += 1
    print(
        f"throughput under contention: {workers} processes, {attempts} attempts on "
        f"{len(hours)} hours of 集会室A/B/A・B in {seconds:.2f} s: {attempts / seconds:.0f} "
        f"attempts/s, {booked / seconds:.0f} bookings/s; {booked} booked, {doubles} double "
        "bookings"
    )


def profile(name: str, fn: object) -> None:
    if not os.environ.get("KYODO_BENCH_PROFILE"):
        return
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        fn()  # type: ignore[operator]
    profiler.disable()
    print(f"--- profile of {name} (10 runs)")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def select_one() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def main() -> None:
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    if not Room.objects.exists():
        build()
    rooms = Room.objects.all()
    day = timezone.localdate() + datetime.timedelta(days=10)
    s = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14)))
    e = s + datetime.timedelta(hours=3)
    center = Center.objects.get(slug="bench-0")
    empty_week = datetime.date(2031, 6, 2)  # no bookings: the cost of the grid itself

    def search() -> object:
        return free_rooms(rooms, s, e, people=20)

    def grid() -> object:
        return center_week(rooms_for_grid(Room.objects.at(center)), day)

    def empty_grid() -> object:
        return center_week(rooms_for_grid(Room.objects.at(center)), empty_week)

    for fn in (select_one, search, grid, empty_grid):  # warm caches and connections
        fn()
    report("baseline: SELECT 1 round trip", timed(select_one, RUNS * 5))
    report("baseline: week grid of a week without bookings", timed(empty_grid))
    report("free-room search (3 h, whole network)", timed(search))
    report("week grid of a center (20 rooms)", timed(grid))
    profile("free-room search", search)
    profile("week grid", grid)
    if not os.environ.get("KYODO_BENCH_SKIP_CONTENTION"):
        contention()
        throughput(workers=1)  # the baseline: no contention
        throughput(workers=4)


if __name__ == "__main__":
    main()
