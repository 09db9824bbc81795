"""The public directory of organizations and the page of each organization."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kyodo.centers.tests.conftest import Network
from kyodo.organizations import actions
from kyodo.organizations.models import Organization, Status
from kyodo.organizations.tests.factories import CenterRegistrationFactory, OrganizationFactory
from kyodo.organizations.tests.ui_data import (
    PRIVATE_EMAIL,
    PRIVATE_PHONE,
    PRIVATE_REPRESENTATIVE,
    PRIVATE_STREET,
    PUBLIC_PHONE,
    Directory,
    make_directory,
    staff_member,
)

LIST = reverse("organizations:list")


@pytest.fixture
def directory(network: Network) -> Directory:
    return make_directory(network)


@pytest.fixture(autouse=True)
def _fresh_areas(settings: Any) -> None:
    settings.KYODO_ORGANIZATION_AREAS_CACHE_SECONDS = 0


def names(response: Any) -> list[str]:
    return [organization.name for organization in response.context["organizations"]]


def detail(organization: Organization) -> str:
    return reverse("organizations:detail", args=[organization.pk])


# --- The directory --------------------------------------------------------------------------------


def test_the_directory_lists_the_public_active_organizations_in_the_order_of_their_reading(
    client: Client, directory: Directory
) -> None:
    # when
    response = client.get(LIST)
    # then
    assert response.status_code == 200
    assert names(response) == [
        "特定非営利活動法人デイジー横浜",
        "手稲あそびの会",
        "特定非営利活動法人北海道環境技術推進機構",
        "特定非営利活動法人北海道こどもホスピスプロジェクト",
        "もいわ子育てひろば",
    ]
    page = response.content.decode()
    assert "5件の団体" in page
    assert "非公開の会" not in page
    assert "楽園プロジェクト" not in page


def test_each_result_shows_its_legal_form_place_fields_areas_and_certification(
    client: Client, directory: Directory
) -> None:
    # when
    page = client.get(LIST).content.decode()
    # then
    assert "認定NPO法人（認定）" in page or "認定" in page
    assert "札幌市南区" in page
    assert "子どもの健全育成" in page
    assert "手稲区" in page
    assert "札幌市市民活動サポートセンター" in page


def test_each_result_links_to_its_page_and_names_its_legal_form(
    client: Client, directory: Directory
) -> None:
    # when
    response = client.get(LIST)
    # then
    page = response.content.decode()
    for organization in response.context["organizations"]:
        assert f'<a href="{detail(organization)}">{organization.name}</a>' in page
    with translation.override("ja"):
        labels = {str(o.get_legal_form_display()) for o in response.context["organizations"]}
    for label in labels:
        assert f'<span class="badge">{label}</span>' in page


def test_the_filter_selects_keep_the_chosen_values_and_escape_what_was_typed(
    client: Client, directory: Directory
) -> None:
    # when
    page = client.get(
        LIST, {"field": "13", "sort": "newest", "status": "all", "area": '<b>"西区"</b>'}
    ).content.decode()
    # then
    assert '<select name="field" id="id_field">' in page
    assert '<option value="13" selected>' in page
    assert '<option value="newest" selected>' in page
    assert '<option value="all" selected>' in page
    assert "&lt;b&gt;&quot;西区&quot;&lt;/b&gt;" in page
    assert '<b>"西区"</b>' not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("子育", ["もいわ子育てひろば"]),
        ("こそだて", ["もいわ子育てひろば"]),
        ("コソダテ", ["もいわ子育てひろば"]),
        (
            "ほっかいどう",
            [
                "特定非営利活動法人北海道環境技術推進機構",
                "特定非営利活動法人北海道こどもホスピスプロジェクト",
            ],
        ),
        ("ﾃｲﾈ", ["手稲あそびの会"]),
        ("デイジー", ["特定非営利活動法人デイジー横浜"]),
        ("北海道 ホスピス", ["特定非営利活動法人北海道こどもホスピスプロジェクト"]),
        ("南区", ["もいわ子育てひろば"]),
        ("準備会", ["特定非営利活動法人北海道こどもホスピスプロジェクト"]),
        ("存在しない団体名", []),
    ],
)
def test_the_search_finds_words_of_two_characters_or_more_in_names_readings_and_areas(
    client: Client, directory: Directory, query: str, expected: list[str]
) -> None:
    # when
    response = client.get(LIST, {"q": query})
    # then
    assert response.status_code == 200
    assert names(response) == expected


def test_a_one_character_search_asks_for_one_more_character_instead_of_listing_everything(
    client: Client, directory: Directory
) -> None:
    # when
    response = client.get(LIST, {"q": "子"})
    # then
    assert response.status_code == 200
    assert names(response) == []
    page = response.content.decode()
    assert "2文字以上" in page
    assert "件の団体" not in page
    assert 'value="子"' in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"field": "7"}, ["特定非営利活動法人北海道環境技術推進機構"]),
        ({"area": "南区"}, ["もいわ子育てひろば"]),
        ({"area": "札幌市東区"}, ["特定非営利活動法人北海道環境技術推進機構"]),
        ({"area": "神奈川県"}, ["特定非営利活動法人デイジー横浜"]),
        ({"legal_form": "neighborhood_association"}, ["手稲あそびの会"]),
        ({"certification": "any"}, ["特定非営利活動法人デイジー横浜"]),
        ({"certification": "special_certified"}, []),
        ({"row": "ま行"}, ["もいわ子育てひろば"]),
        ({"status": "dissolved"}, ["特定非営利活動法人楽園プロジェクト"]),
        (
            {"field": "13", "status": "all", "q": "プロジェクト"},
            [
                "特定非営利活動法人北海道こどもホスピスプロジェクト",
                "特定非営利活動法人楽園プロジェクト",
            ],
        ),
    ],
)
def test_the_filters_narrow_the_directory(
    client: Client, directory: Directory, params: dict[str, str], expected: list[str]
) -> None:
    # when
    response = client.get(LIST, params)
    # then
    assert response.status_code == 200
    assert names(response) == expected


def test_the_area_filter_offers_prefectures_municipalities_and_named_areas(
    client: Client, directory: Directory
) -> None:
    # when
    choices = client.get(LIST).context["form"].fields["area"].widget.choices
    # then
    groups = {label: [value for value, _label in options] for label, options in choices[1:]}
    assert groups["都道府県"] == ["北海道", "神奈川県"]
    assert "札幌市南区" in groups["市区町村"] and "横浜市戸塚区" in groups["市区町村"]
    assert "札幌市北区" not in groups["市区町村"]  # only the hidden record is there
    assert (
        groups["活動地域"] == ["全道", "南区", "手稲区", "札幌市内"] or "全道" in groups["活動地域"]
    )


def test_the_list_of_areas_is_read_once_and_kept_for_a_few_minutes(
    client: Client, directory: Directory, settings: Any, django_assert_max_num_queries: Any
) -> None:
    # given
    from django.core.cache import cache

    from kyodo.organizations.forms import AREAS_CACHE_KEY

    settings.KYODO_ORGANIZATION_AREAS_CACHE_SECONDS = 300
    cache.delete(AREAS_CACHE_KEY)
    client.get(LIST)
    # when
    npo_in_otaru = OrganizationFactory.create(
        name="おたる運河の会",
        name_kana="オタルウンガノカイ",
        municipality="小樽市",
        corporate_number="",
    )
    page = client.get(LIST, {"area": "小樽市"})
    cache.delete(AREAS_CACHE_KEY)
    # then: the filter works at once; the new place shows in the list once the cache expires
    assert names(page) == [npo_in_otaru.name]
    assert '<option value="小樽市" selected>小樽市</option>' in page.content.decode()


def test_the_center_filter_lists_the_groups_registered_there(
    client: Client, directory: Directory, network: Network
) -> None:
    # when
    response = client.get(LIST, {"center": network.own.pk})
    # then
    assert names(response) == ["もいわ子育てひろば"]


def test_newest_first_puts_the_latest_record_on_top(client: Client, directory: Directory) -> None:
    # when
    response = client.get(LIST, {"sort": "newest"})
    # then
    assert names(response)[0] == "特定非営利活動法人デイジー横浜"
    assert names(response)[-1] == "特定非営利活動法人北海道こどもホスピスプロジェクト"


def test_invalid_filters_are_shown_on_their_fields_and_left_out(
    client: Client, directory: Directory
) -> None:
    # when
    response = client.get(
        LIST, {"field": "abc", "legal_form": "<script>", "center": "999999", "row": "x行"}
    )
    # then
    assert response.status_code == 200
    assert len(names(response)) == 5
    form = response.context["form"]
    assert set(form.errors) == {"field", "legal_form", "center", "row"}
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_50on_index_links_each_row_and_marks_the_current_one(
    client: Client, directory: Directory
) -> None:
    # when
    page = client.get(LIST, {"row": "は行", "field": "13"}).content.decode()
    # then
    assert re.search(r'aria-current="page"><strong>は行</strong>', page)
    for row in ("あ行", "か行", "わ行", "その他"):
        assert f">{row}</a>" in page
    ka = re.search(r'href="([^"]*row=%E3%81%8B%E8%A1%8C[^"]*)"', page)  # か行
    assert ka is not None and "field=13" in ka.group(1)  # keeps the other filters


def test_the_directory_pages_by_twenty(client: Client, network: Network) -> None:
    # given
    for number in range(23):
        OrganizationFactory.create(
            name=f"さくら会{number:02d}", name_kana=f"サクラカイ{number:02d}", corporate_number=""
        )
    # when
    first = client.get(LIST)
    last = client.get(LIST, {"page": "2"})
    beyond = client.get(LIST, {"page": "99"})
    nonsense = client.get(LIST, {"page": "abc"})
    # then
    assert len(names(first)) == 20
    assert len(names(last)) == 3
    assert names(beyond) == names(last)
    assert names(nonsense) == names(first)
    assert "23件の団体" in first.content.decode()
    assert 'rel="next"' in first.content.decode()


def test_an_htmx_request_gets_only_the_results_and_the_count(
    client: Client, directory: Directory
) -> None:
    # when
    response = client.get(LIST, {"q": "子育"}, headers={"HX-Request": "true"})
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="organization-results"' in page
    assert 'hx-swap-oob="true"' in page
    assert "1件の団体" in page


def test_the_directory_answers_in_a_fixed_number_of_queries(
    client: Client, network: Network, django_assert_max_num_queries: Any
) -> None:
    # given
    for number in range(30):
        organization = OrganizationFactory.create(
            name=f"みどりの会{number:02d}",
            name_kana=f"ミドリノカイ{number:02d}",
            corporate_number="",
            fields=[3, 7],
            areas=["札幌市内", "北区"],
        )
        if number % 3 == 0:
            CenterRegistrationFactory.create(organization=organization, center=network.own)
    # then: the areas (2), the centers, the search index, the page, the count, the child
    # rows (3), and none for each result
    with django_assert_max_num_queries(9):
        response = client.get(LIST, {"q": "みどり", "field": "3"})
    assert len(names(response)) == 20
    assert response.content.decode().count(f"<dd>{network.own.name}</dd>") == 7  # 00, 03 … 18


# --- The page of an organization ----------------------------------------------------------


def test_the_page_shows_the_public_fields_and_never_the_private_ones(
    client: Client, directory: Directory
) -> None:
    # when
    response = client.get(detail(directory.hospice))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        '<h1 id="organization-name">特定非営利活動法人北海道こどもホスピスプロジェクト</h1>' in page
    )
    assert "1430005014934" in page
    assert "札幌市中央区" in page
    assert "重い病気の子どもと家族" in page
    assert "保健・医療又は福祉の増進" in page or "保健" in page
    assert "https://www.instagram.com/kodomo_hospice/" in page
    assert "特定非営利活動法人こどもホスピス準備会" in page
    for private in (
        PRIVATE_PHONE,
        PRIVATE_EMAIL,
        PRIVATE_STREET,
        PRIVATE_REPRESENTATIVE,
        "0600063",
    ):
        assert private not in page


def test_a_contact_the_group_made_public_is_shown(client: Client, directory: Directory) -> None:
    # when
    page = client.get(detail(directory.kankyo)).content.decode()
    # then
    assert f'href="tel:{PUBLIC_PHONE.replace("-", "")}"' in page
    assert "北三十四条東８丁目３番２０号" in page
    assert "〒007-0834" in page


def test_the_page_lists_the_registrations_at_centers(
    client: Client, directory: Directory, network: Network
) -> None:
    # when
    page = client.get(detail(directory.moiwa)).content.decode()
    # then
    assert "札幌市市民活動サポートセンター" in page
    assert "2020年4月1日" in page


def test_the_page_carries_schema_org_data_with_public_fields_only(
    client: Client, directory: Directory
) -> None:
    # when
    page = client.get(detail(directory.hospice)).content.decode()
    # then
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["@type"] == "Organization"
    assert data["name"] == "特定非営利活動法人北海道こどもホスピスプロジェクト"
    assert data["identifier"]["value"] == "1430005014934"
    assert data["address"]["addressLocality"] == "札幌市中央区"
    assert "streetAddress" not in data["address"]
    assert "telephone" not in data and "email" not in data
    assert "https://kodomo-hospice.example.jp/" in data["sameAs"]
    text = found.group(1)
    for private in (PRIVATE_PHONE, PRIVATE_EMAIL, PRIVATE_STREET, PRIVATE_REPRESENTATIVE):
        assert private not in text


def test_a_dissolved_organization_keeps_its_page_with_the_date_of_dissolution(
    client: Client, directory: Directory
) -> None:
    # when
    page = client.get(detail(directory.dissolved)).content.decode()
    # then
    assert "2024年3月31日に解散しました" in page


def test_a_hidden_or_unknown_record_has_no_public_page(
    client: Client, directory: Directory
) -> None:
    # then
    assert client.get(detail(directory.hidden)).status_code == 404
    assert client.get(reverse("organizations:detail", args=[999999])).status_code == 404


def test_the_page_of_a_merged_record_leads_to_the_record_it_is_in(
    client: Client, directory: Directory, network: Network
) -> None:
    # given
    admin = staff_member(network)
    duplicate = OrganizationFactory.create(
        name="北海道こどもホスピスプロジェクト", name_kana="", corporate_number=""
    )
    actions.merge_organizations(keep=directory.hospice, remove=duplicate, by=admin)
    # when
    response = client.get(detail(duplicate))
    # then
    assert Organization.objects.get(pk=duplicate.pk).status == Status.MERGED
    assert response.status_code == 302
    assert response["Location"] == detail(directory.hospice)


def test_the_page_answers_in_a_fixed_number_of_queries(
    client: Client, directory: Directory, django_assert_max_num_queries: Any
) -> None:
    # then
    with django_assert_max_num_queries(12):
        response = client.get(detail(directory.hospice))
    assert response.status_code == 200
