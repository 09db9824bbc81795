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


@pytest.mark.usefixtures("frozen_now")
def test_the_demo_citizen_may_book_the_booths_for_registered_groups_for_their_group(
    db: Any,
) -> None:
    # given the demo network, its organizations and its rooms
    from kyodo.accounts.models import User
    from kyodo.centers import access
    from kyodo.centers.demo.hokkaido import CITY
    from kyodo.organizations import demo as organizations_demo
    from kyodo.rooms.forms import is_registered

    centers_demo.load()
    organizations_demo.load()
    demo.load()

    # when we look at the demo citizen's groups
    citizen = User.objects.get(email=organizations_demo.DEMO_MEMBER_EMAIL)
    groups = list(access.organizations_acted_for(citizen))

    # then they act for a group registered at the city's center, whose 事務ブース is for
    # registered groups
    booth = Room.objects.get(center__slug=CITY, name="事務ブース")
    assert booth.eligibility == "registered_groups"
    assert [g.name for g in groups if is_registered(g, booth)] == ["もいわ子育てひろば"]
