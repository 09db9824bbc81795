"""manage.py loaddemo and demosignins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from kyodo.accounts.models import User
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.centers.demo import all_centers, people
from kyodo.centers.models import (
    Center,
    CenterKind,
    CenterService,
    Partnership,
    RecordKind,
    SharingRule,
    StaffMembership,
)

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Center, CenterService, Partnership, SharingRule, StaffMembership, User)
    }


def load() -> str:
    out = StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def test_loaddemo_loads_the_network_of_the_seeds() -> None:
    # when
    load()
    # then
    seeds_network = Center.objects.filter(slug__in=[c["slug"] for c in all_centers()])
    assert len(all_centers()) == 2 + 22 + 6 + 19
    assert seeds_network.count() == 2 + 22 + 6 + 19
    prefectural = Center.objects.get(name="北海道立市民活動促進センター")
    assert prefectural.kind == CenterKind.PREFECTURAL
    assert prefectural.established_on is not None
    assert (prefectural.established_on.year, prefectural.established_on.month) == (2001, 6)
    assert "北海道市民活動促進条例" in prefectural.description
    city = Center.objects.get(name="札幌市市民活動サポートセンター")
    assert city.parent is None
    assert city.established_on is not None and city.established_on.year == 2003
    hubs = Center.objects.filter(parent=prefectural)
    assert hubs.count() == 22
    assert hubs.filter(kind=CenterKind.PRIVATE_HUB).count() == 7
    ebetsu = Center.objects.get(name="江別市民活動センター・あい")
    assert ebetsu.area_served == "江別市内"
    assert set(ebetsu.service_codes) == {"meeting_space", "training", "consultation", "information"}
    yokohama = Center.objects.get(name="横浜市市民協働推進センター")
    assert yokohama.operator == "市民セクターよこはま・関内イノベーションイニシアティブ共同事業体"
    wards = Center.objects.filter(parent=yokohama, kind=CenterKind.WARD)
    assert wards.count() == 18
    assert wards.filter(name="保土ケ谷区市民活動支援センター", operator="").exists()
    assert not Center.objects.filter(name_kana="").exists()


def test_loaddemo_pairs_the_facilities_and_shares_what_the_seed_says() -> None:
    # when
    load()

    # then
    def center(name: str) -> Center:
        return Center.objects.get(name=name)

    assert center("北海道立女性プラザ").is_partner_of(center("札幌市男女共同参画センター"))
    assert Partnership.objects.count() == 4

    def shared(owner: str, partner: str) -> set[str]:
        return set(
            SharingRule.objects.filter(owner=center(owner), partner=center(partner)).values_list(
                "kind", flat=True
            )
        )

    assert RecordKind.CONSULTATION_LISTS in shared(
        "北海道立市民活動促進センター", "札幌市市民活動サポートセンター"
    )
    assert RecordKind.CONSULTATION_LISTS not in shared(
        "札幌市市民活動サポートセンター", "北海道立市民活動促進センター"
    )
    assert shared("北海道立消費生活センター", "札幌市消費者センター") == {"alerts"}
    assert shared("札幌市消費者センター", "北海道立消費生活センター") == {"alerts"}
    assert shared("札幌市産業振興センター", "北海道立職業能力開発支援センター") == {
        "rooms_for_referral"
    }


def test_loading_twice_changes_nothing() -> None:
    # given
    load()
    before = counts()
    stamp = Center.objects.get(slug="ebetsu-ai").updated_at
    # when
    output = load()
    # then
    assert counts() == before
    assert Center.objects.get(slug="ebetsu-ai").updated_at == stamp
    assert "created" not in output and "updated" not in output


def test_loading_again_restores_a_changed_center_but_not_a_changed_password() -> None:
    # given
    load()
    Center.objects.filter(slug="ebetsu-ai").update(area_served="どこか", is_active=False)
    Center.objects.get(slug="ebetsu-ai").set_services(["library"])
    person = User.objects.get(email="admin@demo.kyodo.example")
    person.set_password("a-new-secret-2026")
    person.save()
    # when
    load()
    # then
    ebetsu = Center.objects.get(slug="ebetsu-ai")
    assert (ebetsu.area_served, ebetsu.is_active) == ("江別市内", True)
    assert "library" not in ebetsu.service_codes
    person.refresh_from_db()
    assert person.check_password("a-new-secret-2026")


def test_the_demo_people_hold_one_role_each_and_can_sign_in() -> None:
    # when
    load()
    # then
    city = Center.objects.get(slug="sapporo-shimin-katsudo")
    for entry in people.PEOPLE:
        user = User.objects.get(email=entry["email"])
        assert user.check_password(people.DEMO_PASSWORD)
        assert user.has_verified_email
        if entry["role"] == people.NETWORK_ADMIN:
            assert access.is_network_admin(user)
        elif entry["role"] == people.CITIZEN:
            assert not access.is_staff_user(user)
        else:
            assert access.roles_at(user, city) == {entry["role"]}
    municipal = StaffMembership.objects.get(user__email="municipal@demo.kyodo.example")
    assert municipal.department == "市民文化局市民自治推進室"
    admin = User.objects.get(email="admin@demo.kyodo.example")
    assert access.can(admin, Permission.MANAGE_SHARING, city)


def test_demosignins_prints_the_url_and_a_sign_in_per_role() -> None:
    # given
    out = StringIO()
    # when
    call_command("demosignins", "--url", "http://127.0.0.1:8000/", stdout=out)
    # then
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    for entry in people.PEOPLE:
        assert entry["email"] in text
    assert text.count(people.DEMO_PASSWORD) == len(people.PEOPLE)
    assert "受付" in text and "センター管理者" in text
