"""The public directory as CSV (UTF-8 with BOM, CRLF) and JSON, with the current filters;
and the proof that no private field leaves through a page, the API or an export."""

from __future__ import annotations

import csv
import io
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
    Directory,
    make_directory,
)

CSV = reverse("organizations:export_csv")
JSON = reverse("organizations:export_json")
PRIVATE = (PRIVATE_PHONE, PRIVATE_EMAIL, PRIVATE_STREET, PRIVATE_REPRESENTATIVE)


@pytest.fixture
def directory(network: Network) -> Directory:
    return make_directory(network)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_csv_export_opens_in_excel_with_japanese_headers(
    client: Client, directory: Directory
) -> None:
    # when
    response = client.get(CSV)
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="organizations-' in response["Content-Disposition"]
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["ID", "名称", "フリガナ", "法人格"]
    assert [row[1] for row in rows[1:]] == [
        "特定非営利活動法人デイジー横浜",
        "手稲あそびの会",
        "特定非営利活動法人北海道環境技術推進機構",
        "特定非営利活動法人北海道こどもホスピスプロジェクト",
        "もいわ子育てひろば",
    ]


def test_the_csv_export_applies_the_filters_of_the_directory(
    client: Client, directory: Directory
) -> None:
    # when
    data = body(client.get(CSV, {"q": "子育", "page": "3"})).decode("utf-8-sig")
    # then
    rows = list(csv.reader(io.StringIO(data, newline="")))
    assert [row[1] for row in rows[1:]] == ["もいわ子育てひろば"]
    assert "子どもの健全育成" in data


def test_the_json_export_gives_the_items_of_the_api(client: Client, directory: Directory) -> None:
    # when
    response = client.get(JSON, {"field": "13"})
    # then
    assert response["Content-Type"] == "application/json"
    data = json.loads(body(response))
    assert "国税庁法人番号公表サイト" in data["attribution"]
    assert [item["name"] for item in data["results"]] == [
        "手稲あそびの会",
        "特定非営利活動法人北海道こどもホスピスプロジェクト",
        "もいわ子育てひろば",
    ]
    assert data["results"][0]["legal_form"] == "neighborhood_association"


def test_an_export_of_nothing_is_a_valid_empty_file(client: Client, directory: Directory) -> None:
    # when
    data = json.loads(body(client.get(JSON, {"q": "存在しない団体名"})))
    rows = body(client.get(CSV, {"q": "存在しない団体名"})).decode("utf-8-sig").splitlines()
    # then
    assert data["results"] == []
    assert len(rows) == 1


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text(
    client: Client, network: Network
) -> None:
    # given
    OrganizationFactory.create(
        name='=HYPERLINK("x")の会', name_kana="イコールノカイ", corporate_number=""
    )
    # when
    data = body(client.get(CSV)).decode("utf-8-sig")
    # then
    assert "'=HYPERLINK" in data


def test_exports_stream_in_a_fixed_number_of_queries(
    client: Client, network: Network, django_assert_max_num_queries: Any
) -> None:
    # given
    for number in range(40):
        OrganizationFactory.create(
            name=f"ふれあい会{number}", name_kana="フレアイカイ", corporate_number="", fields=[1]
        )
    # then
    with django_assert_max_num_queries(12):
        assert body(client.get(CSV)).count(b"\r\n") == 41
    with django_assert_max_num_queries(12):
        assert len(json.loads(body(client.get(JSON)))["results"]) == 40


def test_no_private_field_appears_in_any_export_api_response_or_public_page(
    client: Client, directory: Directory
) -> None:
    # given: the hospice keeps its phone, e-mail, street and representative private
    hospice = directory.hospice.pk
    responses = {
        "directory": client.get(reverse("organizations:list"), {"status": "all"}),
        "search": client.get(reverse("organizations:list"), {"q": "ホスピス"}),
        "page": client.get(reverse("organizations:detail", args=[hospice])),
        "csv": client.get(CSV, {"status": "all"}),
        "json": client.get(JSON, {"status": "all"}),
        "api list": client.get("/api/v1/organizations", {"status": "all"}),
        "api one": client.get(f"/api/v1/organizations/{hospice}"),
    }
    # then
    for label, response in responses.items():
        raw = body(response) if response.streaming else response.content
        text = raw.decode("utf-8-sig")
        if label.startswith(("api", "json")):
            text = json.dumps(json.loads(text), ensure_ascii=False)
        assert "北海道こどもホスピスプロジェクト" in text, label
        for private in PRIVATE:
            assert private not in text, (label, private)
