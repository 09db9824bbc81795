"""Importing files from the staff screens: upload, map unknown columns, read the report."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kyodo.centers.models import Role
from kyodo.centers.tests.conftest import Network
from kyodo.organizations.models import (
    CenterRegistration,
    ImportRun,
    ImportStatus,
    Organization,
    RowOutcome,
)
from kyodo.organizations.tests.ui_data import signed_in, staff_member

IMPORTS = reverse("organizations_staff:imports")
MAPPING = reverse("organizations_staff:import_mapping")

CENTER_LIST = (
    "団体ID,名称,フリガナ,法人格,所在地,電話番号,活動分野,登録日\r\n"
    "S-0101,手稲あそびの会,テイネアソビノカイ,任意団体,札幌市手稲区前田,011-681-0000,子ども,2019-05-10\r\n"
    "S-0102,もいわ子育てひろば,モイワコソダテヒロバ,任意団体,札幌市南区川沿,,子ども・福祉,令和2年4月1日\r\n"
    "S-0103,北海道フードバンク,,NPO法人,札幌市東区,,,2021-01-01\r\n"
)
ODD_HEADERS = (
    "番号,グループのなまえ,まち\r\n"
    "1,手稲あそびの会,札幌市手稲区\r\n"
    "2,もいわ子育てひろば,札幌市南区\r\n"
)


@pytest.fixture(autouse=True)
def _staging(settings: Any, tmp_path: Path) -> None:
    settings.KYODO_ORGANIZATION_IMPORT_DIR = tmp_path / "staged"


@pytest.fixture
def coordinator(network: Network) -> Client:
    return signed_in(staff_member(network, Role.COORDINATOR))


def upload(name: str, data: str | bytes) -> SimpleUploadedFile:
    content = data.encode("utf-8") if isinstance(data, str) else data
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_staff_import_a_center_list_and_read_the_report(
    coordinator: Client, network: Network
) -> None:
    # when
    response = coordinator.post(
        IMPORTS,
        {
            "source": "center_list",
            "center": network.own.pk,
            "file": upload("list.csv", CENTER_LIST),
        },
    )
    # then
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations_staff:import_report", args=[run.pk])
    assert run.status == ImportStatus.SUCCEEDED and run.center == network.own
    assert run.counts[RowOutcome.CREATED] == 3
    assert CenterRegistration.objects.filter(center=network.own).count() == 3
    report = coordinator.get(response["Location"])
    page = report.content.decode()
    assert report.status_code == 200
    assert "手稲あそびの会" in page and "もいわ子育てひろば" in page
    assert "list.csv" in page


def test_an_htmx_upload_is_sent_on_to_the_report(coordinator: Client, network: Network) -> None:
    # when
    response = coordinator.post(
        IMPORTS,
        {
            "source": "center_list",
            "center": network.own.pk,
            "file": upload("list.csv", CENTER_LIST),
        },
        headers={"HX-Request": "true"},
    )
    # then
    run = ImportRun.objects.get()
    assert response["HX-Redirect"] == reverse("organizations_staff:import_report", args=[run.pk])


def test_a_list_with_unknown_headers_goes_through_the_column_mapping(
    coordinator: Client, network: Network
) -> None:
    # when
    first = coordinator.post(
        IMPORTS,
        {"source": "center_list", "center": network.own.pk, "file": upload("odd.csv", ODD_HEADERS)},
    )
    mapping = coordinator.get(MAPPING)
    # then
    assert first.status_code == 302 and first["Location"] == MAPPING
    assert not ImportRun.objects.exists()
    page = mapping.content.decode()
    assert "グループのなまえ" in page and "まち" in page
    # when
    done = coordinator.post(
        MAPPING, {"column_0": "center_group_id", "column_1": "name", "column_2": "address"}
    )
    # then
    assert done.status_code == 302
    run = ImportRun.objects.get()
    assert run.counts[RowOutcome.CREATED] == 2
    assert Organization.objects.get(name="手稲あそびの会").municipality == "札幌市手稲区"
    assert coordinator.get(MAPPING).status_code == 302  # the staged file is gone


def test_a_mapping_without_the_name_or_with_a_field_twice_is_refused(
    coordinator: Client, network: Network
) -> None:
    # given
    coordinator.post(
        IMPORTS,
        {"source": "center_list", "center": network.own.pk, "file": upload("odd.csv", ODD_HEADERS)},
    )
    # when
    no_name = coordinator.post(MAPPING, {"column_0": "center_group_id", "column_2": "address"})
    twice = coordinator.post(MAPPING, {"column_1": "name", "column_2": "name"})
    # then
    assert no_name.status_code == 200 and no_name.context["form"].errors
    assert twice.status_code == 200 and "column_2" in twice.context["form"].errors
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", "", "空"),
        ("noise.csv", b"\xff\xfe\x00\x81\x82\x83\xfd" * 20, "UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_message_on_the_field(
    coordinator: Client, network: Network, name: str, data: str | bytes, message: str
) -> None:
    # when
    response = coordinator.post(IMPORTS, {"source": "nta", "file": upload(name, data or b" ")})
    # then
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "file" in errors
    assert message in " ".join(errors["file"]) or errors["file"]
    assert not Organization.objects.exists()


def test_a_center_list_needs_the_center_and_only_the_persons_centers_are_offered(
    coordinator: Client, network: Network
) -> None:
    # when
    without = coordinator.post(
        IMPORTS, {"source": "center_list", "file": upload("list.csv", CENTER_LIST)}
    )
    elsewhere = coordinator.post(
        IMPORTS,
        {
            "source": "center_list",
            "center": network.unrelated.pk,
            "file": upload("list.csv", CENTER_LIST),
        },
    )
    # then
    assert "center" in without.context["form"].errors
    assert "center" in elsewhere.context["form"].errors
    assert not ImportRun.objects.exists()


def test_the_report_names_each_rejected_row_and_its_reason(
    coordinator: Client, network: Network
) -> None:
    # given
    data = "団体ID,名称,法人番号\r\nA1,正しい会,\r\nA2,番号違いの会,1430005014935\r\nA3,,\r\n"
    coordinator.post(
        IMPORTS,
        {"source": "center_list", "center": network.own.pk, "file": upload("bad.csv", data)},
    )
    run = ImportRun.objects.get()
    # when
    response = coordinator.get(
        reverse("organizations_staff:import_report", args=[run.pk]), {"outcome": "rejected"}
    )
    # then
    rows = response.context["rows"]
    assert [row.row_number for row in rows] == [3, 4]
    assert all(row.reason for row in rows)


def test_staff_import_an_xlsx_list(coordinator: Client, network: Network) -> None:
    # given
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["団体ID", "名称", "フリガナ", "所在地"])
    sheet.append(["X1", "発寒ひまわり町内会", "ハッサムヒマワリチョウナイカイ", "札幌市西区発寒"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # when
    response = coordinator.post(
        IMPORTS,
        {
            "source": "center_list",
            "center": network.own.pk,
            "file": SimpleUploadedFile("list.xlsx", buffer.getvalue()),
        },
    )
    # then
    assert response.status_code == 302
    assert Organization.objects.get().name == "発寒ひまわり町内会"


def test_only_staff_who_manage_organizations_may_import(network: Network) -> None:
    # given
    specialist = signed_in(staff_member(network, Role.SPECIALIST))
    # when
    response = specialist.post(IMPORTS, {"source": "nta", "file": upload("x.csv", "a")})
    # then
    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_the_list_of_imports_answers_in_a_fixed_number_of_queries(
    coordinator: Client, network: Network, django_assert_max_num_queries: Any
) -> None:
    # given
    for number in range(12):
        ImportRun.objects.create(
            source="nta", file_name=f"diff_{number}.csv", counts={"created": 1}
        )
    # then
    with django_assert_max_num_queries(14):
        response = coordinator.get(IMPORTS)
    assert len(response.context["runs"]) == 12
