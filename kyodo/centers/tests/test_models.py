"""Rows of the network: readings, areas, services, memberships in force."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kyodo.centers.models import Center, Partnership, RecordKind, Service
from kyodo.centers.tests.conftest import Network
from kyodo.centers.tests.factories import (
    CenterFactory,
    SharingRuleFactory,
    StaffMembershipFactory,
)


@pytest.mark.parametrize(
    ("reading", "row"),
    [
        ("アサヒカワシミンカツドウコウリュウセンター", "あ行"),
        ("ガッコウ", "か行"),
        ("ボノス", "は行"),
        ("ワット", "わ行"),
        ("", "その他"),
    ],
)
def test_a_center_is_listed_under_the_row_of_its_reading(reading: str, row: str) -> None:
    # then
    assert Center(name_kana=reading).kana_row in (row, "Other")


def test_a_reading_must_be_katakana(db: None) -> None:
    # given
    center = CenterFactory.build(name_kana="さっぽろ")
    # then
    with pytest.raises(ValidationError) as error:
        center.full_clean()
    assert "name_kana" in error.value.message_dict


def test_areas_lists_each_prefecture_with_its_municipalities(network: Network) -> None:
    # given
    CenterFactory.create(prefecture="北海道", municipality="江別市")
    CenterFactory.create(prefecture="北海道", municipality="江別市")
    # then
    assert Center.objects.areas() == [
        ("北海道", ["札幌市", "江別市"]),
        ("神奈川県", ["横浜市"]),
    ]


def test_offering_gives_each_center_once(network: Network) -> None:
    # then
    assert list(Center.objects.offering("training").order_by("pk")) == [
        network.own,
        network.partner,
    ]


def test_set_services_changes_only_what_differs(network: Network) -> None:
    # then
    assert network.own.set_services(["consultation", "training", "office_booths"]) is False
    assert network.own.set_services(["consultation", "library"]) is True
    assert network.own.service_labels == [
        str(Service.CONSULTATION.label),
        str(Service.LIBRARY.label),
    ]
    assert sorted(network.own.service_codes) == ["consultation", "library"]


def test_sharing_with_gives_the_centers_that_share_a_kind_with_a_center(db: None) -> None:
    # given
    city = CenterFactory.create(name="札幌市市民活動サポートセンター")
    vocational = CenterFactory.create(name="北海道立職業能力開発支援センター")
    industry = CenterFactory(name="札幌市産業振興センター")
    SharingRuleFactory(owner=vocational, partner=city, kind=RecordKind.ROOMS_FOR_REFERRAL)
    SharingRuleFactory(owner=industry, partner=city, kind=RecordKind.EVENTS)
    SharingRuleFactory(owner=city, partner=industry, kind=RecordKind.ROOMS_FOR_REFERRAL)

    # when
    offering_rooms = Center.objects.sharing_with(city, RecordKind.ROOMS_FOR_REFERRAL)

    # then
    assert list(offering_rooms) == [vocational]
    assert list(Center.objects.sharing_with(city.pk, RecordKind.EVENTS)) == [industry]
    assert list(Center.objects.sharing_with(vocational, RecordKind.ROOMS_FOR_REFERRAL)) == []


def test_a_pair_of_partners_is_stored_once_and_in_order(network: Network) -> None:
    # then
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(first=network.partner, second=network.own)
    assert Partnership.objects.between(network.partner, network.own).count() == 1
    assert network.own.is_partner_of(network.partner)
    assert not network.own.is_partner_of(network.unrelated)
    assert list(network.partner.partners()) == [network.own]


def test_a_membership_is_current_from_its_first_day_until_the_day_before_it_ends(
    network: Network,
) -> None:
    # given
    today = timezone.localdate()
    future = StaffMembershipFactory.create(
        center=network.own, started_on=today + datetime.timedelta(1)
    )
    ending = StaffMembershipFactory.create(
        center=network.own,
        started_on=today - datetime.timedelta(5),
        ended_on=today + datetime.timedelta(1),
    )
    ended = StaffMembershipFactory.create(
        center=network.own, started_on=today - datetime.timedelta(5), ended_on=today
    )
    # then
    current = set(network.own.memberships.current())
    assert current == {ending}
    assert not future.is_current and ending.is_current and not ended.is_current
