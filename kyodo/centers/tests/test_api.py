"""GET /api/v1/centers and /api/v1/centers/{id}."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kyodo.centers.models import CenterKind
from kyodo.centers.tests.conftest import Network
from kyodo.centers.tests.factories import CenterFactory, StaffMembershipFactory

LIST = "/api/v1/centers"


def test_the_list_gives_the_count_and_the_public_fields_of_each_center(
    client: Client, network: Network
) -> None:
    # when
    response = client.get(LIST)
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first == {
        "id": network.own.pk,
        "slug": "sapporo",
        "name": "札幌市市民活動サポートセンター",
        "name_kana": "サッポロシシミンカツドウサポートセンター",
        "kind": "city",
        "kind_label": first["kind_label"],
        "parent": None,
        "area_served": "札幌市内",
        "prefecture": "北海道",
        "municipality": "札幌市",
        "postcode": "",
        "address": "",
        "phone": network.own.phone,
        "website": "",
        "services": [
            {"code": "consultation", "label": first["services"][0]["label"]},
            {"code": "training", "label": first["services"][1]["label"]},
            {"code": "office_booths", "label": first["services"][2]["label"]},
        ],
        "services_description": network.own.services_description,
        "opening_hours": network.own.opening_hours,
        "url": "http://testserver/centers/sapporo/",
    }
    assert first["kind_label"]


def test_the_list_leaves_out_closed_centers_and_staff(client: Client, network: Network) -> None:
    # given
    CenterFactory.create(is_active=False)
    StaffMembershipFactory.create(center=network.own)
    # when
    body = client.get(LIST).json()
    # then
    assert body["count"] == 3
    assert "staff" not in str(body).lower() or "memberships" not in str(body)
    assert all("email" not in result for result in body["results"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("area=札幌市", ["sapporo"]),
        ("area=北海道", ["sapporo", "hokkaido"]),
        ("service=collaboration", ["yokohama"]),
        ("kind=prefectural", ["hokkaido"]),
        ("q=協働", ["yokohama"]),
        ("area=北海道&service=training", ["sapporo", "hokkaido"]),
    ],
)
def test_the_list_filters_like_the_public_page(
    client: Client, network: Network, query: str, expected: list[str]
) -> None:
    # when
    body = client.get(f"{LIST}?{query}").json()
    # then
    assert [result["slug"] for result in body["results"]] == expected
    assert body["count"] == len(expected)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("area=火星", "area"),
        ("service=teleportation", "service"),
        ("kind=castle", "kind"),
        ("page=0", "page"),
        ("page=abc", "page"),
    ],
)
def test_an_invalid_filter_is_a_422_with_the_field_named(
    client: Client, network: Network, query: str, field: str
) -> None:
    # when
    response = client.get(f"{LIST}?{query}")
    # then
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert list(body["errors"]) == [field]


def test_the_list_is_paged_by_fifty(client: Client, network: Network) -> None:
    # given
    for _ in range(50):
        CenterFactory.create(kind=CenterKind.WARD, parent=network.unrelated)
    # when
    first = client.get(LIST).json()
    second = client.get(f"{LIST}?page=2").json()
    beyond = client.get(f"{LIST}?page=9").json()
    # then
    assert first["count"] == second["count"] == 53
    assert len(first["results"]) == 50
    assert len(second["results"]) == 3
    assert beyond == {"count": 53, "results": []}
    ids = [r["id"] for r in first["results"]] + [r["id"] for r in second["results"]]
    assert len(set(ids)) == 53


def test_the_list_takes_a_fixed_number_of_queries(
    client: Client, network: Network, django_assert_max_num_queries: Any
) -> None:
    # given
    for _ in range(40):
        CenterFactory.create(
            services=["consultation", "events"], parent=network.own, prefecture="北海道"
        )
    # then
    with django_assert_max_num_queries(4):
        response = client.get(f"{LIST}?area=北海道&service=consultation")
    assert response.json()["count"] == 41


def test_one_center_comes_with_its_partners_and_children(client: Client, network: Network) -> None:
    # given
    ward = CenterFactory.create(
        name="鶴見区市民活動支援センター", kind=CenterKind.WARD, parent=network.own
    )
    CenterFactory.create(kind=CenterKind.WARD, parent=network.own, is_active=False)
    # when
    response = client.get(f"{LIST}/{network.own.pk}")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "札幌市市民活動サポートセンター"
    assert body["partners"] == [{"id": network.partner.pk, "name": network.partner.name}]
    assert body["children"] == [{"id": ward.pk, "name": "鶴見区市民活動支援センター"}]


def test_an_unknown_or_closed_center_is_a_404_in_json(client: Client, network: Network) -> None:
    # given
    closed = CenterFactory.create(is_active=False)
    # when
    unknown = client.get(f"{LIST}/999999")
    hidden = client.get(f"{LIST}/{closed.pk}")
    not_a_number = client.get(f"{LIST}/sapporo")
    # then
    assert unknown.status_code == hidden.status_code == 404
    assert unknown.json()["detail"]
    assert not_a_number.status_code == 422
