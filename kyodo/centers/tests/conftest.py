"""A small network for the tests: our center, its partner and an unrelated center, and
a person for each kind of audience."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from kyodo.accounts.models import User
from kyodo.centers.models import Center, CenterKind, Role
from kyodo.centers.tests.factories import (
    CenterFactory,
    PartnershipFactory,
    StaffMembershipFactory,
    UserFactory,
)

STAFF_ROLES = [role.value for role in Role]
NETWORK_ADMIN = "network_admin"
CITIZEN = "citizen"
ANONYMOUS = "anonymous"
EVERYONE = [*STAFF_ROLES, NETWORK_ADMIN, CITIZEN, ANONYMOUS]


@dataclass
class Network:
    own: Center
    partner: Center
    unrelated: Center

    def center(self, place: str) -> Center:
        return {"own": self.own, "partner": self.partner, "unrelated": self.unrelated}[place]


@pytest.fixture
def network(db: Any) -> Network:
    own = CenterFactory.create(
        slug="sapporo",
        name="札幌市市民活動サポートセンター",
        name_kana="サッポロシシミンカツドウサポートセンター",
        prefecture="北海道",
        municipality="札幌市",
        area_served="札幌市内",
        services=["consultation", "training", "office_booths"],
    )
    partner = CenterFactory.create(
        slug="hokkaido",
        name="北海道立市民活動促進センター",
        name_kana="ホッカイドウリツシミンカツドウソクシンセンター",
        kind=CenterKind.PREFECTURAL,
        prefecture="北海道",
        municipality="",
        area_served="全道",
        services=["intermediary_support", "training"],
    )
    unrelated = CenterFactory.create(
        slug="yokohama",
        name="横浜市市民協働推進センター",
        name_kana="ヨコハマシシミンキョウドウスイシンセンター",
        prefecture="神奈川県",
        municipality="横浜市",
        area_served="横浜市内",
        services=["collaboration"],
    )
    PartnershipFactory.create(first=own, second=partner, description="研修・セミナー等での連携協力")
    return Network(own=own, partner=partner, unrelated=unrelated)


def make_person(audience: str, center: Center) -> User | AnonymousUser:
    """A person of ``audience`` (a role at ``center``, a network administrator, a
    citizen without roles, or an anonymous visitor)."""
    if audience == ANONYMOUS:
        return AnonymousUser()
    if audience == NETWORK_ADMIN:
        return UserFactory.create(is_network_admin=True)
    user = UserFactory.create()
    if audience != CITIZEN:
        StaffMembershipFactory.create(user=user, center=center, role=audience)
    return user


@pytest.fixture
def person(network: Network) -> Callable[[str], User | AnonymousUser]:
    """``person("reception")``: someone with that role at ``network.own``."""
    return lambda audience: make_person(audience, network.own)
