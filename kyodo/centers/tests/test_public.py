"""The public list of centers and the page of each center."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kyodo.centers.models import CenterKind
from kyodo.centers.tests.conftest import Network
from kyodo.centers.tests.factories import (
    CenterFactory,
    PartnershipFactory,
    StaffMembershipFactory,
    UserFactory,
)

LIST = reverse("centers:list")


def names(response: Any) -> list[str]:
    return [center.name for center in response.context["centers"]]


def test_the_list_shows_every_active_center_in_the_order_of_its_reading(
    client: Client, network: Network
) -> None:
    # given
    CenterFactory.create(name="閉館したセンター", name_kana="ヘイカンシタセンター", is_active=False)
    CenterFactory.create(
        name="江別市民活動センター・あい", name_kana="エベツシミンカツドウセンターアイ"
    )
    # when
    response = client.get(LIST)
    # then
    assert response.status_code == 200
    assert names(response) == [
        "江別市民活動センター・あい",
        "札幌市市民活動サポートセンター",
        "北海道立市民活動促進センター",
        "横浜市市民協働推進センター",
    ]
    page = response.content.decode()
    assert "4件のセンター" in page
    assert "閉館したセンター" not in page
    for row in ("あ行", "さ行", "は行", "や行"):
        assert f">{row}</h2>" in page


def test_each_result_shows_its_kind_area_and_main_services(
    client: Client, network: Network
) -> None:
    # when
    page = client.get(LIST).content.decode()
    # then
    assert "都道府県のセンター" in page
    assert "全道" in page
    assert "研修・講座、中間支援組織への支援" in page


def test_the_area_filter_offers_prefectures_and_their_municipalities(
    client: Client, network: Network
) -> None:
    # when
    response = client.get(LIST)
    # then
    choices = response.context["form"].fields["area"].choices
    assert choices[1][0] == "北海道"
    assert [value for value, _ in choices[1][1]] == ["北海道", "札幌市"]
    assert [value for value, _ in choices[2][1]] == ["神奈川県", "横浜市"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"area": "北海道"}, ["札幌市市民活動サポートセンター", "北海道立市民活動促進センター"]),
        ({"area": "札幌市"}, ["札幌市市民活動サポートセンター"]),
        ({"area": "神奈川県"}, ["横浜市市民協働推進センター"]),
        (
            {"service": "training"},
            ["札幌市市民活動サポートセンター", "北海道立市民活動促進センター"],
        ),
        ({"service": "training", "area": "札幌市"}, ["札幌市市民活動サポートセンター"]),
        ({"service": "library"}, []),
        ({"kind": "prefectural"}, ["北海道立市民活動促進センター"]),
        ({"q": "協働"}, ["横浜市市民協働推進センター"]),
        ({"q": "サッポロ"}, ["札幌市市民活動サポートセンター"]),
    ],
)
def test_the_filters_narrow_the_list(
    client: Client, network: Network, query: dict[str, str], expected: list[str]
) -> None:
    # when
    response = client.get(LIST, query)
    # then
    assert response.status_code == 200
    assert names(response) == expected


def test_an_empty_result_says_so_and_offers_to_clear_the_filters(
    client: Client, network: Network
) -> None:
    # when
    page = client.get(LIST, {"service": "library"}).content.decode()
    # then
    assert "0件のセンター" in page
    assert "条件に合うセンターはありません" in page
    assert f'href="{LIST}"' in page


@pytest.mark.parametrize(
    "query",
    [
        {"area": "火星"},
        {"service": "teleportation"},
        {"kind": "<script>"},
        {"q": "あ" * 101},
    ],
)
def test_an_unknown_filter_value_is_reported_on_its_field_and_left_out(
    client: Client, network: Network, query: dict[str, str]
) -> None:
    # when
    response = client.get(LIST, query)
    # then
    assert response.status_code == 200
    assert len(response.context["centers"]) == 3
    field = next(iter(query))
    assert response.context["form"].errors[field]
    assert 'aria-invalid="true"' in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_a_valid_filter_still_applies_beside_an_invalid_one(
    client: Client, network: Network
) -> None:
    # when
    response = client.get(LIST, {"area": "札幌市", "service": "teleportation"})
    # then
    assert names(response) == ["札幌市市民活動サポートセンター"]


def test_an_htmx_request_gets_only_the_results_and_the_count(
    client: Client, network: Network
) -> None:
    # when
    response = client.get(LIST, {"area": "札幌市"}, headers={"HX-Request": "true"})
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="center-results"' in page
    assert 'id="center-count"' in page and 'hx-swap-oob="true"' in page
    assert "1件のセンター" in page
    assert "札幌市市民活動サポートセンター" in page
    assert "横浜市市民協働推進センター" not in page


def test_the_filter_form_works_without_javascript_and_enhances_with_htmx(
    client: Client, network: Network
) -> None:
    # when
    page = client.get(LIST).content.decode()
    # then
    assert f'<form method="get" action="{LIST}"' in page
    assert 'hx-get="' in page and 'hx-target="#center-results"' in page
    assert '<button type="submit"' in page


def test_the_list_takes_a_fixed_number_of_queries(
    client: Client, network: Network, django_assert_max_num_queries: Any
) -> None:
    # given
    for _ in range(30):
        CenterFactory.create(services=["consultation", "meeting_rooms"], parent=network.partner)
    # then
    with django_assert_max_num_queries(4):
        response = client.get(LIST, {"area": "北海道", "service": "consultation"})
    assert response.status_code == 200


# --- the page of a center -----------------------------------------------------------


def test_the_page_of_a_center_shows_its_public_profile(client: Client, network: Network) -> None:
    # given
    center = network.own
    center.address = "札幌市中央区北1条西1丁目"
    center.postcode = "060-0001"
    center.phone = "011-211-3061"
    center.website = "https://example.jp/sapporo/"
    center.opening_hours = "月曜日～土曜日 9:00～21:00\n日曜日・祝日 9:00～17:00"
    center.description = "市民活動を総合的に支援する拠点施設です。"
    center.established_on = datetime.date(2003, 9, 1)
    center.save()
    # when
    response = client.get(center.get_absolute_url())
    # then
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "札幌市市民活動サポートセンター",
        "〒060-0001 札幌市中央区北1条西1丁目",
        'href="tel:0112113061"',
        "https://example.jp/sapporo/",
        "月曜日～土曜日 9:00～21:00<br>日曜日・祝日 9:00～17:00",
        "市民活動を総合的に支援する拠点施設です。",
        "2003年9月",
        "平成15年9月",
        "札幌市内",
    ):
        assert text in page


def test_the_page_of_a_center_links_its_parent_children_and_partners(
    client: Client, network: Network
) -> None:
    # given
    ward = CenterFactory.create(
        name="鶴見区市民活動支援センター", kind=CenterKind.WARD, parent=network.own
    )
    CenterFactory.create(
        name="閉館した区センター", kind=CenterKind.WARD, parent=network.own, is_active=False
    )
    # when
    page = client.get(network.own.get_absolute_url()).content.decode()
    ward_page = client.get(ward.get_absolute_url()).content.decode()
    # then
    assert f'href="{ward.get_absolute_url()}"' in page
    assert "閉館した区センター" not in page
    assert f'href="{network.partner.get_absolute_url()}"' in page
    assert "研修・セミナー等での連携協力" in page
    assert f'href="{network.own.get_absolute_url()}"' in ward_page


def test_the_page_of_a_center_shows_no_staff_or_personal_data(
    client: Client, network: Network
) -> None:
    # given
    admin = UserFactory.create(display_name="伊藤 直子", email="ito.naoko@example.jp")
    StaffMembershipFactory.create(user=admin, center=network.own, role="center_admin")
    PartnershipFactory.create(first=network.own, second=CenterFactory.create())
    # when
    page = client.get(network.own.get_absolute_url()).content.decode()
    # then
    assert "伊藤" not in page
    assert "ito.naoko@example.jp" not in page
    assert "センター管理者" not in page


def test_an_unknown_or_closed_center_is_not_found(client: Client, network: Network) -> None:
    # given
    closed = CenterFactory.create(is_active=False)
    # then
    assert (
        client.get(reverse("centers:detail", kwargs={"slug": "no-such-center"})).status_code == 404
    )
    assert client.get(closed.get_absolute_url()).status_code == 404
