"""A small network for the events tests: the prefectural and the city center (partners,
the prefecture shares its events), an unrelated center, and their staff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from kyodo.accounts.models import User
from kyodo.centers.models import Center, CenterKind, Role
from kyodo.centers.tests.factories import (
    CenterFactory,
    SharingRuleFactory,
    StaffMembershipFactory,
    UserFactory,
)

NOW = "2026-11-22 10:00:00+09:00"


@pytest.fixture(autouse=True)
def frozen_time() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class Net:
    prefecture: Center
    city: Center
    unrelated: Center
    prefecture_staff: User
    city_staff: User
    unrelated_staff: User
    citizen: User


@pytest.fixture
def net(db: Any) -> Net:
    prefecture = CenterFactory.create(
        slug="hokkaido-npo",
        name="北海道NPO活動推進センター",
        name_kana="ホッカイドウエヌピーオーカツドウスイシンセンター",
        kind=CenterKind.PREFECTURAL,
        prefecture="北海道",
        municipality="札幌市",
    )
    city = CenterFactory.create(
        slug="sapporo",
        name="札幌市市民活動サポートセンター",
        name_kana="サッポロシシミンカツドウサポートセンター",
        prefecture="北海道",
        municipality="札幌市",
    )
    unrelated = CenterFactory.create(
        slug="yokohama",
        name="横浜市市民協働推進センター",
        name_kana="ヨコハマシシミンキョウドウスイシンセンター",
        prefecture="神奈川県",
        municipality="横浜市",
    )
    SharingRuleFactory.create(owner=prefecture, partner=city)
    people = {}
    for key, center in (("prefecture", prefecture), ("city", city), ("unrelated", unrelated)):
        user = UserFactory.create()
        StaffMembershipFactory.create(user=user, center=center, role=Role.COORDINATOR)
        people[key] = user
    return Net(
        prefecture,
        city,
        unrelated,
        people["prefecture"],
        people["city"],
        people["unrelated"],
        UserFactory.create(),
    )
