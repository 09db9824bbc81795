from __future__ import annotations

from typing import Any

import pytest

from kyodo.centers import demo as centers_demo
from kyodo.rooms import demo
from kyodo.rooms.models import Reservation, Room


@pytest.mark.usefixtures("frozen_now")
def test_the_demo_loads_the_transcribed_and_seed_rooms_once(db: Any, monkeypatch: Any) -> None:
    # given the demo network, and no shared/ directory (the committed copy is used)
    centers_demo.load()
    monkeypatch.setattr(demo, "CSV_NAME", "absent.csv")

    # when the rooms demo is loaded twice
    demo.load()
    counts = (Room.objects.count(), Reservation.objects.count())
    demo.load()

    # then the rooms of the CSV and of the seeds exist once, with bookings
    assert (Room.objects.count(), Reservation.objects.count()) == counts
    whole = Room.objects.get(center__slug="yokohama-kyodo", name="スペースA・B")
    assert whole.capacity == 48
    assert sorted(p.name for p in whole.parts.all()) == ["スペースA", "スペースB"]
    sumikawa_a = Room.objects.get(center__slug="sapporo-sumikawa-chiku", name="集会室A")
    assert sorted(r.fee_yen for r in sumikawa_a.fee_rules.all()) == [1200, 1500, 1800, 3600]
    assert Room.objects.filter(center__slug="sapporo-industry").exists()
    assert counts[1] > 1000
