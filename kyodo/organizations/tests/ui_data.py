"""A small directory for the tests of the pages, the API and the exports: real NPO
corporations of Sapporo and Yokohama (NTA data), made-up voluntary groups, one hidden
record, one dissolved, one certified, with private contact data that must never show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.test import Client

from kyodo.accounts.models import User
from kyodo.centers.models import Role
from kyodo.centers.tests.conftest import Network
from kyodo.centers.tests.factories import StaffMembershipFactory, UserFactory
from kyodo.organizations.models import (
    Certification,
    CertificationKind,
    LegalForm,
    Organization,
    OrganizationLink,
    OrganizationName,
    SourceKind,
    Status,
)
from kyodo.organizations.tests.factories import CenterRegistrationFactory, OrganizationFactory

PRIVATE_PHONE = "011-555-0199"
PRIVATE_EMAIL = "private.contact@example.jp"
PRIVATE_STREET = "南三条西４丁目２１番地６南３西４ビル９階"
PRIVATE_REPRESENTATIVE = "秘密 太郎"
PUBLIC_PHONE = "011-211-3061"


@dataclass
class Directory:
    hospice: Organization
    kankyo: Organization
    moiwa: Organization
    asobi: Organization
    daisy: Organization
    hidden: Organization
    dissolved: Organization

    @property
    def public_active(self) -> list[Organization]:
        return [self.hospice, self.kankyo, self.moiwa, self.asobi, self.daisy]


def npo(**fields: Any) -> Organization:
    defaults: dict[str, Any] = {
        "legal_form": LegalForm.NPO_CORPORATION,
        "prefecture": "北海道",
        "established_on": datetime.date(2015, 10, 5),
        "representative": "佐藤 花子",
        "phone": "",
        "purpose": "",
    }
    return OrganizationFactory.create(**{**defaults, **fields})


def voluntary(**fields: Any) -> Organization:
    defaults: dict[str, Any] = {
        "legal_form": LegalForm.VOLUNTARY_GROUP,
        "corporate_number": "",
        "competent_authority": "",
        "street": "",
        "postcode": "",
    }
    return npo(**{**defaults, **fields})


def make_directory(network: Network) -> Directory:
    hospice = npo(
        name="特定非営利活動法人北海道こどもホスピスプロジェクト",
        name_kana="ホッカイドウコドモホスピスプロジェクト",
        corporate_number="1430005014934",
        competent_authority="札幌市",
        municipality="札幌市中央区",
        street=PRIVATE_STREET,
        postcode="0600063",
        address_is_public=False,
        representative=PRIVATE_REPRESENTATIVE,
        representative_is_public=False,
        phone=PRIVATE_PHONE,
        phone_is_public=False,
        email=PRIVATE_EMAIL,
        email_is_public=False,
        purpose="重い病気の子どもと家族が安心して過ごせる場所をつくり、子育てと福祉の向上に寄与する。",
        website="https://kodomo-hospice.example.jp/",
        fields=[1, 13],
        areas=["札幌市内", "全道"],
    )
    OrganizationLink.objects.create(
        organization=hospice, kind="instagram", url="https://www.instagram.com/kodomo_hospice/"
    )
    OrganizationName.objects.create(
        organization=hospice,
        kind=OrganizationName.Kind.FORMER,
        name="特定非営利活動法人こどもホスピス準備会",
        valid_to=datetime.date(2019, 3, 31),
        source=SourceKind.NTA,
    )
    hospice.save()  # the former name is searched too
    kankyo = npo(
        name="特定非営利活動法人北海道環境技術推進機構",
        name_kana="ホッカイドウカンキョウギジュツスイシンキコウ",
        corporate_number="9430005005562",
        competent_authority="北海道",
        municipality="札幌市東区",
        street="北三十四条東８丁目３番２０号",
        postcode="0070834",
        phone=PUBLIC_PHONE,
        phone_is_public=True,
        purpose="環境の保全と環境技術の普及を図る。",
        fields=[7],
    )
    moiwa = voluntary(
        name="もいわ子育てひろば",
        name_kana="モイワコソダテヒロバ",
        municipality="札幌市南区",
        purpose="乳幼児と保護者が集える子育てサロンを開いています。",
        fields=[13],
        areas=["南区"],
    )
    CenterRegistrationFactory.create(
        organization=moiwa,
        center=network.own,
        registered_on=datetime.date(2020, 4, 1),
        center_group_id="S-0102",
    )
    asobi = voluntary(
        name="手稲あそびの会",
        name_kana="テイネアソビノカイ",
        legal_form=LegalForm.NEIGHBORHOOD_ASSOCIATION,
        municipality="札幌市手稲区",
        fields=[13, 3],
        areas=["手稲区"],
    )
    daisy = npo(
        name="特定非営利活動法人デイジー横浜",
        name_kana="デイジーヨコハマ",
        corporate_number="5020005004519",
        competent_authority="横浜市",
        prefecture="神奈川県",
        municipality="横浜市戸塚区",
        street="川上町５４２番地３８",
        postcode="2440805",
        fields=[1, 2],
    )
    Certification.objects.create(
        organization=daisy,
        kind=CertificationKind.CERTIFIED,
        authority="横浜市",
        started_on=datetime.date(2022, 4, 1),
        expires_on=datetime.date(2099, 3, 31),
    )
    hidden = npo(
        name="特定非営利活動法人非公開の会",
        name_kana="ヒコウカイノカイ",
        corporate_number="",
        municipality="札幌市北区",
        is_public=False,
        fields=[13],
    )
    dissolved = npo(
        name="特定非営利活動法人楽園プロジェクト",
        name_kana="ラクエンプロジェクト",
        corporate_number="9430005014233",
        municipality="札幌市白石区",
        status=Status.DISSOLVED,
        dissolved_on=datetime.date(2024, 3, 31),
        dissolution_reason="liquidation_completed",
        fields=[13],
    )
    return Directory(hospice, kankyo, moiwa, asobi, daisy, hidden, dissolved)


def staff_member(network: Network, role: str = Role.COORDINATOR, **fields: Any) -> User:
    user: User = UserFactory.create(**fields)
    StaffMembershipFactory.create(user=user, center=network.own, role=role)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
