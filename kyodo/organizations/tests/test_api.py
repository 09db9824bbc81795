"""``GET /api/v1/organizations`` and ``/organizations/{id}``: public fields only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kyodo.centers.tests.conftest import Network
from kyodo.organizations.tests.factories import OrganizationFactory
from kyodo.organizations.tests.ui_data import (
    PRIVATE_EMAIL,
    PRIVATE_PHONE,
    PRIVATE_REPRESENTATIVE,
    PRIVATE_STREET,
    PUBLIC_PHONE,
    Directory,
    make_directory,
)

LIST = "/api/v1/organizations"


@pytest.fixture
def directory(network: Network) -> Directory:
    return make_directory(network)


def test_the_list_gives_the_count_and_the_public_active_organizations(
    client: Client, directory: Directory
) -> None:
    # when
    response = client.get(LIST)
    # then
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 5
    assert [item["name"] for item in data["results"]][:2] == [
        "特定非営利活動法人デイジー横浜",
        "手稲あそびの会",
    ]
    daisy = data["results"][0]
    assert daisy["legal_form"] == "npo_corporation"
    assert daisy["certifications"][0]["kind"] == "certified"
    assert [field["code"] for field in daisy["activity_fields"]] == [1, 2]
    assert all(field["label"] for field in daisy["activity_fields"])
    assert daisy["url"] == f"http://testserver/organizations/{directory.daisy.pk}/"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "子育"}, ["もいわ子育てひろば"]),
        ({"q": "ほっかいどう", "field": "7"}, ["特定非営利活動法人北海道環境技術推進機構"]),
        ({"area": "南区"}, ["もいわ子育てひろば"]),
        ({"legal_form": "neighborhood_association"}, ["手稲あそびの会"]),
        ({"status": "dissolved"}, ["特定非営利活動法人楽園プロジェクト"]),
    ],
)
def test_the_list_takes_the_filters_of_the_directory(
    client: Client, directory: Directory, params: dict[str, str], expected: list[str]
) -> None:
    # when
    data = client.get(LIST, params).json()
    # then
    assert [item["name"] for item in data["results"]] == expected
    assert data["count"] == len(expected)


def test_the_center_filter_takes_a_center_id(
    client: Client, directory: Directory, network: Network
) -> None:
    # when
    data = client.get(LIST, {"center": network.own.pk}).json()
    # then
    assert [item["name"] for item in data["results"]] == ["もいわ子育てひろば"]
    assert data["results"][0]["registrations"][0]["center"] == "札幌市市民活動サポートセンター"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"field": "abc"}, "field"),
        ({"legal_form": "company_x"}, "legal_form"),
        ({"center": "999999"}, "center"),
        ({"area": "あ" * 61}, "area"),
        ({"q": "子"}, "q"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "1000"}, "page_size"),
    ],
)
def test_invalid_parameters_answer_422_with_the_field_in_error(
    client: Client, directory: Directory, params: dict[str, str], field: str
) -> None:
    # when
    response = client.get(LIST, params)
    # then
    assert response.status_code == 422
    data = response.json()
    assert field in data["errors"]
    assert data["detail"]


def test_an_area_nobody_names_finds_nothing_rather_than_an_error(
    client: Client, directory: Directory
) -> None:
    # when
    response = client.get(LIST, {"area": "どこにもない町"})
    # then
    assert response.status_code == 200
    assert response.json() == {
        "count": 0,
        "count_is_capped": False,
        "has_next": False,
        "results": [],
    }


def test_a_page_past_the_end_is_empty_not_an_error(client: Client, directory: Directory) -> None:
    # when
    data = client.get(LIST, {"page": "9"}).json()
    # then
    assert data == {"count": 5, "count_is_capped": False, "has_next": False, "results": []}


def test_the_page_size_is_twenty_unless_asked(client: Client, network: Network) -> None:
    # given
    for number in range(25):
        OrganizationFactory.create(
            name=f"あおば会{number}", name_kana="アオバカイ", corporate_number=""
        )
    # when
    default = client.get(LIST).json()
    larger = client.get(LIST, {"page_size": "50"}).json()
    # then
    assert default["count"] == 25 and len(default["results"]) == 20
    assert default["has_next"] is True
    assert len(larger["results"]) == 25 and larger["has_next"] is False


def test_one_organization_with_its_former_names(client: Client, directory: Directory) -> None:
    # when
    response = client.get(f"{LIST}/{directory.hospice.pk}")
    # then
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "特定非営利活動法人北海道こどもホスピスプロジェクト"
    assert data["former_names"] == [
        {"name": "特定非営利活動法人こどもホスピス準備会", "valid_to": "2019-03-31"}
    ]
    assert data["links"][0]["kind"] == "instagram"
    assert data["news"] == []


def test_an_unknown_or_hidden_organization_answers_404_json(
    client: Client, directory: Directory
) -> None:
    # when
    unknown = client.get(f"{LIST}/999999")
    hidden = client.get(f"{LIST}/{directory.hidden.pk}")
    # then
    assert unknown.status_code == 404 and hidden.status_code == 404
    assert unknown.json()["detail"]
    assert unknown["Content-Type"].startswith("application/json")


def test_private_contact_data_never_appears_in_the_api(
    client: Client, directory: Directory
) -> None:
    # when
    listing = client.get(LIST, {"status": "all"}).json()
    hospice = client.get(f"{LIST}/{directory.hospice.pk}").json()
    # then
    for data in (listing, hospice):
        text = json.dumps(data, ensure_ascii=False)
        for private in (PRIVATE_PHONE, PRIVATE_EMAIL, PRIVATE_STREET, PRIVATE_REPRESENTATIVE):
            assert private not in text
    kankyo = client.get(f"{LIST}/{directory.kankyo.pk}").json()
    assert kankyo["contacts"]["phone"] == PUBLIC_PHONE
    assert hospice["contacts"] == {
        "phone": None,
        "fax": None,
        "email": None,
        "contact_person": None,
    }
    assert hospice["postcode"] == "" and hospice["representative"] == ""


def test_the_list_answers_in_a_fixed_number_of_queries(
    client: Client, network: Network, django_assert_max_num_queries: Any
) -> None:
    # given
    for number in range(30):
        OrganizationFactory.create(
            name=f"ひかりの会{number}",
            name_kana="ヒカリノカイ",
            corporate_number="",
            fields=[1, 13],
            areas=["札幌市内"],
        )
    # then
    with django_assert_max_num_queries(9):
        response = client.get(LIST, {"page_size": "30", "field": "13"})
    assert len(response.json()["results"]) == 30


def test_the_organization_endpoints_are_in_the_openapi_document(client: Client) -> None:
    # when
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    # then
    assert "/api/v1/organizations" in paths
    assert "/api/v1/organizations/{organization_id}" in paths


def test_each_result_links_to_the_public_page_of_its_own_record(
    client: Client, directory: Directory
) -> None:
    # when
    results = client.get(LIST, {"page_size": 100}).json()["results"]
    # then
    assert len(results) >= 2
    for item in results:
        path = reverse("organizations:detail", kwargs={"pk": item["id"]})
        assert item["url"] == f"http://testserver{path}"
