"""Never a double booking, under concurrent requests from separate OS processes.

Each test starts N processes (``booking_worker``) that connect to the same database, wait
behind a barrier (a "go" file) and book at once. Exactly one wins; every other gets the
ordinary "already booked" outcome; the table holds exactly one reservation. On SQLite the
database is a file in tmp_path (the test database is in memory, which other processes
cannot open); on PostgreSQL it is the test database itself, committed (``transactional_db``
rather than the marker, so that the audit log's triggers are lifted for the flush).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection

WORKERS = 12
REPO = Path(settings.BASE_DIR)
START = "2031-06-10T13:00:00+09:00"
END = "2031-06-10T16:00:00+09:00"


def _database_url(tmp_path: Path) -> str:
    data = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(data["USER"] or "")
        if data.get("PASSWORD"):
            auth += ":" + quote(data["PASSWORD"])
        return (
            f"postgres://{auth}@{data['HOST'] or 'localhost'}:{data['PORT'] or 5432}/{data['NAME']}"
        )
    return f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"


def _run(args: list[str], url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "KYODO_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "kyodo.settings"}
    return subprocess.Popen(  # noqa: S603 - our own worker module, fixed arguments
        [sys.executable, "-m", "kyodo.rooms.tests.booking_worker", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _setup(url: str) -> dict[str, int]:
    if connection.vendor == "postgresql":
        from kyodo.rooms.tests.booking_worker import create_rooms

        return create_rooms()
    process = _run(["setup"], url)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def _race(url: str, tmp_path: Path, attempts: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    signals = tmp_path / "signals"
    signals.mkdir()
    processes = [
        _run(["book", str(room), start, end, str(signals), str(i)], url)
        for i, (room, start, end) in enumerate(attempts)
    ]
    deadline = time.monotonic() + 120
    while len(list(signals.glob("ready-*"))) < len(processes):
        assert time.monotonic() < deadline, "workers did not start"
        assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
        time.sleep(0.05)
    (signals / "go").touch()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _reservations(url: str) -> int:
    if connection.vendor == "postgresql":
        from kyodo.rooms.models import Reservation

        return Reservation.objects.count()
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        return int(db.execute("select count(*) from rooms_reservation").fetchone()[0])


def test_many_processes_booking_the_same_slot_make_exactly_one_reservation(
    tmp_path: Path, transactional_db: Any
) -> None:
    # given a room and twelve processes behind a barrier
    url = _database_url(tmp_path)
    rooms = _setup(url)

    # when they all book the same slot at once
    results = _race(url, tmp_path, [(rooms["a"], START, END)] * WORKERS)

    # then exactly one booked, every other was told the slot is taken, nothing else
    outcomes = Counter(result["outcome"] for result in results)
    assert outcomes == {"booked": 1, "taken": WORKERS - 1}, results
    assert _reservations(url) == 1


def test_processes_booking_a_combined_room_and_its_parts_at_once_never_overlap(
    tmp_path: Path, transactional_db: Any
) -> None:
    # given rooms A, B and A・B (made of A and B)
    url = _database_url(tmp_path)
    rooms = _setup(url)
    overlapping_start, overlapping_end = "2031-06-10T14:00:00+09:00", "2031-06-10T17:00:00+09:00"
    attempts = []
    for i in range(WORKERS):
        room = [rooms["ab"], rooms["a"], rooms["b"]][i % 3]
        slot = (START, END) if i % 2 else (overlapping_start, overlapping_end)
        attempts.append((room, *slot))

    # when the whole and the parts are booked at once for overlapping slots
    results = _race(url, tmp_path, attempts)

    # then no error, and either the whole alone, or at most one booking per part
    outcomes = Counter(result["outcome"] for result in results)
    assert outcomes["error"] == 0, results
    booked_rooms = Counter(
        attempts[i][0] for i, result in enumerate(results) if result["outcome"] == "booked"
    )
    if booked_rooms[rooms["ab"]]:
        assert booked_rooms == {rooms["ab"]: 1}
    else:
        assert booked_rooms[rooms["a"]] == 1
        assert booked_rooms[rooms["b"]] == 1
    assert _reservations(url) == sum(booked_rooms.values())
