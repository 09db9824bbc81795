"""The master record: derived columns, search, what the public may see, operating stage."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from kyodo.accounts.tests.factories import UserFactory
from kyodo.centers.tests.conftest import make_person
from kyodo.organizations.models import (
    PUBLIC_FIELDS,
    ActivityField,
    Certification,
    CertificationKind,
    LegalForm,
    NewsItem,
    OperatingStage,
    Organization,
    OrganizationMember,
    OrganizationName,
    SourceKind,
    Status,
    may_overwrite,
)
from kyodo.organizations.tests.conftest import Network
from kyodo.organizations.tests.factories import CenterRegistrationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_saving_keeps_the_matching_key_the_index_row_and_the_search_text() -> None:
    # when
    organization = OrganizationFactory.create(
        name="特定非営利活動法人　子育て応援かざぐるま", name_kana="コソダテオウエンカザグルマ"
    )

    # then
    assert organization.name_key == "子育て応援かざぐるま"
    assert organization.name_reading_row == "か行"
    assert "こそだておうえんかざぐるま" in organization.search_text


@pytest.mark.parametrize(
    "query",
    ["子育", "ｶｻﾞｸﾞﾙﾏ", "かざぐるま", "コソダテ", "応援 かざ", "ＮＰＯ法人", "子育て応援かざぐるま"],
)
def test_search_folds_width_and_kana_and_needs_every_word(query: str) -> None:
    # given
    wanted = OrganizationFactory.create(
        name="ＮＰＯ法人子育て応援かざぐるま", name_kana="コソダテオウエンカザグルマ"
    )
    OrganizationFactory.create(
        name="特定非営利活動法人北海道環境技術推進機構", name_kana="ホッカイドウ"
    )

    # when
    found = list(Organization.objects.search(query))

    # then
    assert found == [wanted]


def test_search_finds_former_names_and_areas_and_ignores_one_character_words() -> None:
    # given
    organization = OrganizationFactory.create(
        name="特定非営利活動法人みんなの北海道２１００", areas=["全道"]
    )
    OrganizationName.objects.create(
        organization=organization,
        kind=OrganizationName.Kind.FORMER,
        name="特定非営利活動法人住んでみたい北海道推進会議",
        source=SourceKind.NTA,
    )
    organization.save()

    # then
    assert list(Organization.objects.search("住んでみたい")) == [organization]
    assert list(Organization.objects.search("全道")) == [organization]
    assert list(Organization.objects.search("道")) == []
    assert Organization.objects.search("").count() == 1


def test_the_public_directory_shows_dissolved_records_but_not_hidden_or_merged_ones(
    network: Network,
) -> None:
    # given
    active = OrganizationFactory.create()
    dissolved = OrganizationFactory.create(
        status=Status.DISSOLVED, dissolved_on=datetime.date(2024, 3, 1)
    )
    hidden = OrganizationFactory.create(is_public=False)
    OrganizationFactory.create(status=Status.MERGED, merged_into=active)

    # then
    assert set(Organization.objects.public()) == {active, dissolved}
    staff = make_person("coordinator", network.own)
    assert set(Organization.objects.visible_to(staff)) == {active, dissolved, hidden}
    citizen = make_person("citizen", network.own)
    assert set(Organization.objects.visible_to(citizen)) == {active, dissolved}


def test_only_contacts_the_group_made_public_reach_the_public_data() -> None:
    # given
    organization = OrganizationFactory.create(
        voluntary=True,
        name="手稲あそびの会",
        prefecture="北海道",
        municipality="札幌市手稲区",
        phone="090-1234-5678",
        phone_is_public=False,
        email="info@asobi.example.jp",
        email_is_public=True,
        street="前田1条11丁目",
        address_is_public=False,
        representative="佐藤 花子",
        representative_is_public=False,
    )

    # when
    data = organization.public_data()

    # then
    assert [kind for kind, _label, _value in organization.public_contacts()] == ["email"]
    assert data["contacts"] == {"email": "info@asobi.example.jp"}
    assert data["address"] == "北海道札幌市手稲区"
    assert data["representative"] == "" and data["postcode"] == ""
    assert "090-1234-5678" not in str(data)
    assert set(PUBLIC_FIELDS) <= set(data)


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        ("2020-03-31", None),
        ("2020-04-01", OperatingStage.FOUNDING),
        ("2021-03-31", OperatingStage.FOUNDING),
        ("2021-04-01", OperatingStage.EARLY),
        ("2023-03-31", OperatingStage.EARLY),
        ("2023-04-01", OperatingStage.CONTINUING),
        ("2026-03-31", OperatingStage.CONTINUING),
        ("2026-04-01", OperatingStage.MATURE),
    ],
)
def test_the_operating_stage_follows_full_years_since_establishment(
    today: str, stage: OperatingStage | None
) -> None:
    # given
    organization = OrganizationFactory.create(established_on=datetime.date(2020, 4, 1))

    # when
    with time_machine.travel(datetime.datetime.fromisoformat(f"{today}T12:00+09:00"), tick=False):
        found = organization.operating_stage
        listed = Organization.objects.in_operating_stage(stage) if stage else None

    # then
    assert found == stage
    if listed is not None:
        assert list(listed) == [organization]


def test_the_certified_filter_only_counts_certifications_in_force() -> None:
    # given
    current = OrganizationFactory.create(legal_form=LegalForm.CERTIFIED_NPO)
    Certification.objects.create(
        organization=current,
        kind=CertificationKind.CERTIFIED,
        started_on=datetime.date(2021, 4, 1),
        expires_on=datetime.date(2026, 3, 31),
    )
    expired = OrganizationFactory.create()
    Certification.objects.create(
        organization=expired,
        kind=CertificationKind.CERTIFIED,
        started_on=datetime.date(2015, 4, 1),
        expires_on=datetime.date(2020, 3, 31),
    )

    # when
    with time_machine.travel(datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        certified = list(Organization.objects.certified())

    # then
    assert certified == [current]


def test_filters_by_field_area_legal_form_and_center(network: Network) -> None:
    # given
    children = OrganizationFactory.create(fields=[ActivityField.CHILDREN], areas=["札幌市内"])
    OrganizationFactory.create(fields=[ActivityField.ENVIRONMENT], areas=["全道"])
    voluntary = OrganizationFactory.create(voluntary=True)
    CenterRegistrationFactory.create(organization=voluntary, center=network.own)

    # then
    assert list(Organization.objects.with_activity_field(ActivityField.CHILDREN)) == [children]
    assert list(Organization.objects.in_area("札幌市内")) == [children]
    assert list(Organization.objects.of_legal_form(LegalForm.VOLUNTARY_GROUP)) == [voluntary]
    assert list(Organization.objects.registered_at(network.own)) == [voluntary]


def test_a_list_of_organizations_takes_the_same_number_of_queries_for_any_length(
    network: Network, django_assert_max_num_queries: object
) -> None:
    # given
    for _ in range(12):
        organization = OrganizationFactory.create(fields=[1, 13], areas=["札幌市内"])
        CenterRegistrationFactory.create(organization=organization, center=network.own)

    # when / then: the records, fields, areas, certifications, registrations (+ links)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        rows = [o.public_data() for o in Organization.objects.public().for_listing()[:10]]
    assert len(rows) == 10


def test_listing_by_reading_follows_the_50_sound_order() -> None:
    # given
    names = ["ワカバ", "アオゾラ", "カザグルマ", "ガクシュウ", "サクラ", "ハナ", "バナ"]
    for reading in names:
        OrganizationFactory.create(name=f"特定非営利活動法人{reading}", name_kana=reading)
    OrganizationFactory.create(name="北海道ネット", name_kana="")

    # when
    readings = list(Organization.objects.by_reading().values_list("name_kana", flat=True))

    # then: voiced marks count only between otherwise equal readings (ハナ before バナ,
    # but ガクシュウ before カザグルマ); no reading last
    assert readings == [
        "アオゾラ",
        "ガクシュウ",
        "カザグルマ",
        "サクラ",
        "ハナ",
        "バナ",
        "ワカバ",
        "",
    ]


def test_a_corporate_number_belongs_to_one_record_only() -> None:
    # given
    OrganizationFactory.create(corporate_number="8430005004276")
    OrganizationFactory.create(corporate_number="")

    # when / then
    with pytest.raises(IntegrityError):
        OrganizationFactory.create(corporate_number="8430005004276")


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        (None, SourceKind.CENTER_LIST, True),
        (SourceKind.STAFF, SourceKind.NTA, False),
        (SourceKind.NTA, SourceKind.STAFF, True),
        (SourceKind.CENTER_LIST, SourceKind.NPO_PORTAL, True),
        (SourceKind.NTA, SourceKind.CENTER_LIST, False),
        (SourceKind.GROUP, SourceKind.CENTER_LIST, False),
    ],
)
def test_who_may_overwrite_whom(current: str | None, new: str, allowed: bool) -> None:
    day = datetime.date(2025, 4, 1)
    assert may_overwrite(current, day, new, day) is allowed


def test_between_official_sources_the_newer_wins() -> None:
    old, new = datetime.date(2022, 1, 1), datetime.date(2025, 1, 1)
    assert may_overwrite(SourceKind.NTA, old, SourceKind.NPO_PORTAL, new)
    assert not may_overwrite(SourceKind.NPO_PORTAL, new, SourceKind.NTA, old)


def test_the_search_issues_at_most_two_queries(django_assert_max_num_queries: object) -> None:
    # given
    OrganizationFactory.create()

    # when / then: on SQLite, one to count the index's candidates, one to search
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        list(Organization.objects.public().search("北海道 こども"))


def test_only_published_news_of_the_past_is_public() -> None:
    # given
    organization = OrganizationFactory.create()
    shown = NewsItem.objects.create(
        organization=organization, title="会員募集", body="ボランティアを募集しています。"
    )
    NewsItem.objects.create(organization=organization, title="下書き", body="…", is_published=False)
    NewsItem.objects.create(
        organization=organization,
        title="来月の予告",
        body="…",
        published_at=timezone.now() + datetime.timedelta(days=3),
    )

    # then
    assert list(NewsItem.objects.published()) == [shown]


def test_a_person_has_one_current_claim_per_organization() -> None:
    # given
    organization = OrganizationFactory.create()
    user = UserFactory.create()
    OrganizationMember.objects.create(organization=organization, user=user, status="rejected")
    OrganizationMember.objects.create(organization=organization, user=user)

    # when / then
    with pytest.raises(IntegrityError):
        OrganizationMember.objects.create(organization=organization, user=user)
