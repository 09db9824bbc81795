"""Factories for organizations, with real NPO names and addresses from the National Tax
Agency's corporate-number data (出典：国税庁法人番号公表サイト（国税庁）を加工して作成).

``OrganizationFactory()`` is an NPO corporation in Sapporo or Yokohama with its corporate
number; ``OrganizationFactory(voluntary=True)`` a group without one, as centers register
them. Rows it creates have no ``FieldSource``: provenance comes from imports and actions.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory

from kyodo.centers.tests.factories import CenterFactory
from kyodo.organizations.models import (
    ActivityArea,
    CenterRegistration,
    LegalForm,
    Organization,
    OrganizationActivityField,
    SourceKind,
    SourceRecord,
)

# (corporate number, name, reading, municipality, street, postcode), real NTA rows.
NPO_ROWS = [
    (
        "1430005014934",
        "特定非営利活動法人北海道こどもホスピスプロジェクト",
        "ホッカイドウコドモホスピスプロジェクト",
        "札幌市中央区",
        "南三条西４丁目２１番地６南３西４ビル９階",
        "0600063",
    ),
    (
        "5430005007629",
        "特定非営利活動法人クリティカルケア北海道",
        "クリティカルケアホッカイドウ",
        "札幌市中央区",
        "南十七条西７丁目３番２３号",
        "0640917",
    ),
    (
        "9430005005562",
        "特定非営利活動法人北海道環境技術推進機構",
        "ホッカイドウカンキョウギジュツスイシンキコウ",
        "札幌市東区",
        "北三十四条東８丁目３番２０号",
        "0070834",
    ),
    (
        "2430005004975",
        "特定非営利活動法人日韓文化交流会",
        "ニッカンブンカコウリュウカイ",
        "札幌市西区",
        "発寒六条１１丁目１番１号",
        "0630826",
    ),
    (
        "9430005014233",
        "特定非営利活動法人楽園プロジェクト",
        "ラクエンプロジェクト",
        "札幌市白石区",
        "栄通１１丁目１番３３号",
        "0030021",
    ),
    (
        "3430005015451",
        "特定非営利活動法人北海道フードバンクネットワーク",
        "ホッカイドウフードバンクネットワーク",
        "札幌市東区",
        "北十四条東１０丁目１番２１号ＰＯＬＡ１階",
        "0650014",
    ),
    (
        "7430005005390",
        "特定非営利活動法人すまいるニッコー",
        "スマイルニッコー",
        "札幌市手稲区",
        "新発寒二条３丁目１番５号",
        "0060802",
    ),
    (
        "4430005003736",
        "特定非営利活動法人北海道健康科学研究所",
        "ホッカイドウケンコウカガクケンキュウジョ",
        "札幌市中央区",
        "南一条西８丁目４番１号ＴＧ札幌ビル５階",
        "0600061",
    ),
    (
        "9020005011494",
        "特定非営利活動法人さかえスポーツくらぶ",
        "サカエスポーツクラブ",
        "横浜市栄区",
        "桂町８４番１４号横浜市立本郷中学校内",
        "2470005",
    ),
    (
        "5020005004519",
        "特定非営利活動法人デイジー横浜",
        "デイジーヨコハマ",
        "横浜市戸塚区",
        "川上町５４２番地３８",
        "2440805",
    ),
    (
        "2020005007103",
        "特定非営利活動法人峠工房",
        "トウゲコウボウ",
        "横浜市泉区",
        "上飯田町４７２９番地",
        "2450018",
    ),
    (
        "4020005009147",
        "ＮＰＯ法人ともしび",
        "トモシビ",
        "横浜市瀬谷区",
        "阿久和西４丁目１５番地１４",
        "2460025",
    ),
]

# Groups without legal personality, as a center's list names them (made up for tests).
VOLUNTARY_ROWS = [
    ("手稲あそびの会", "テイネアソビノカイ", "札幌市手稲区"),
    ("ひばりが丘読み聞かせサークル", "ヒバリガオカヨミキカセサークル", "札幌市厚別区"),
    ("もいわ子育てひろば", "モイワコソダテヒロバ", "札幌市南区"),
    ("港北まちの写真クラブ", "コウホクマチノシャシンクラブ", "横浜市港北区"),
    ("ひきこもり家族の集いあすなろ", "ヒキコモリカゾクノツドイアスナロ", "札幌市北区"),
]


def _prefecture(municipality: str) -> str:
    return "北海道" if municipality.startswith("札幌") else "神奈川県"


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    class Params:
        row = factory.Sequence(lambda n: NPO_ROWS[n % len(NPO_ROWS)])
        voluntary_row = factory.Sequence(lambda n: VOLUNTARY_ROWS[n % len(VOLUNTARY_ROWS)])
        voluntary = factory.Trait(
            name=factory.LazyAttributeSequence(
                lambda o, n: (
                    o.voluntary_row[0] if n < len(VOLUNTARY_ROWS) else f"{o.voluntary_row[0]}{n}"
                )
            ),
            name_kana=factory.LazyAttribute(lambda o: o.voluntary_row[1]),
            municipality=factory.LazyAttribute(lambda o: o.voluntary_row[2]),
            corporate_number="",
            legal_form=LegalForm.VOLUNTARY_GROUP,
            street="",
            postcode="",
            address_is_public=False,
        )

    name = factory.LazyAttributeSequence(
        lambda o, n: o.row[1] if n < len(NPO_ROWS) else f"{o.row[1]}{n}"
    )
    name_kana = factory.LazyAttribute(lambda o: o.row[2])
    legal_form = LegalForm.NPO_CORPORATION
    corporate_number = factory.LazyAttributeSequence(
        lambda o, n: o.row[0] if n < len(NPO_ROWS) else ""
    )
    competent_authority = factory.LazyAttribute(lambda o: o.row[3][:3])
    prefecture = factory.LazyAttribute(lambda o: _prefecture(o.municipality))
    municipality = factory.LazyAttribute(lambda o: o.row[3])
    # After the first round over the rows, a street of its own (北N条西M丁目…), so that no
    # two records share an address.
    street = factory.LazyAttributeSequence(
        lambda o, n: (
            o.row[4]
            if n < len(NPO_ROWS)
            else f"北{n % 40 + 1}条西{n % 25 + 1}丁目{n % 97 + 1}番{n}号"
        )
    )
    postcode = factory.LazyAttribute(lambda o: o.row[5])
    established_on = datetime.date(2015, 10, 5)
    representative = factory.Sequence(
        lambda n: ["佐藤 花子", "鈴木 健一", "高橋 恵子", "田中 大輔", "伊藤 美咲"][n % 5]
    )
    purpose = "この法人は、地域の子どもと家族に対して、学びと交流の場を提供する事業を行い、地域福祉の増進に寄与することを目的とする。"  # noqa: E501
    phone = factory.Sequence(lambda n: f"011-{700 + n % 300:03d}-{n % 10000:04d}")

    @factory.post_generation
    def fields(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """``OrganizationFactory(fields=[1, 13])``: fields of activity."""
        if create and extracted:
            OrganizationActivityField.objects.bulk_create(
                [OrganizationActivityField(organization=self, code=code) for code in extracted]  # type: ignore[misc]
            )

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """``OrganizationFactory(areas=["札幌市内"])``: areas of activity."""
        if create and extracted:
            self.set_activity_areas(list(extracted))  # type: ignore[attr-defined]


class CenterRegistrationFactory(factory.django.DjangoModelFactory[CenterRegistration]):
    class Meta:
        model = CenterRegistration

    organization = factory.SubFactory(OrganizationFactory)
    center = factory.SubFactory(CenterFactory)
    registered_on = datetime.date(2024, 4, 1)
    center_group_id = factory.Sequence(lambda n: f"{n + 1:04d}")


class SourceRecordFactory(factory.django.DjangoModelFactory[SourceRecord]):
    class Meta:
        model = SourceRecord

    source = SourceKind.CENTER_LIST
    center = factory.SubFactory(CenterFactory)
    origin_id = factory.Sequence(lambda n: f"{n + 1:04d}")
    raw = factory.LazyAttribute(lambda o: {"名称": o.values.get("name", "")})
    values = factory.LazyFunction(
        lambda: {"name": "手稲あそびの会", "municipality": "札幌市手稲区"}
    )


__all__ = [
    "ActivityArea",
    "CenterRegistrationFactory",
    "OrganizationFactory",
    "SourceRecordFactory",
]
