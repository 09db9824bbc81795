"""Staff import an イベント一覧 file from the back office: upload, preview, import, report."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kyodo.audit.models import AuditEvent
from kyodo.events.models import Event
from kyodo.events.opendata.columns import HEADER

from .test_opendata_reader import a_row, make_csv


@pytest.fixture(autouse=True)
def staging(settings: Any, tmp_path: Any) -> Any:
    settings.KYODO_EVENT_IMPORT_DIR = tmp_path / "event-imports"
    return settings.KYODO_EVENT_IMPORT_DIR


def _rows() -> list[dict[str, str]]:
    return [
        a_row(),
        a_row(NO="0000000002", 名称="助成金申請講座", 開始日="2022-03-05", 終了日="2022-03-05"),
        a_row(NO="0000000003", 名称="", 開始日="2022-03-12"),  # no 名称: not imported
    ]


def _upload(client: Any, center: Any, data: bytes, name: str = "event_list.csv") -> Any:
    return client.post(
        reverse("events_staff:import"),
        {"center": center.pk, "file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_staff_preview_then_import_a_file_in_one_go(
    net: Any, client: Any, encoding: str, django_assert_max_num_queries: Any
) -> None:
    # given
    client.force_login(net.city_staff)
    data = make_csv(_rows(), encoding=encoding)
    # when they upload it
    preview = _upload(client, net.city, data)
    # then they see what each row would become, and nothing is saved
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "助成金申請講座" in body
    assert preview.context["preview"]["counts"] == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert not Event.objects.exists()
    # when they confirm
    response = client.post(reverse("events_staff:import_run"))
    # then the events are saved and the report lists every row
    assert response.status_code == 302
    assert Event.objects.filter(center=net.city).count() == 2
    with django_assert_max_num_queries(15):
        report = client.get(response["Location"])
    text = report.content.decode()
    assert report.status_code == 200
    for event in Event.objects.all():
        assert reverse("events_staff:detail", args=[event.pk]) in text
    assert AuditEvent.objects.filter(object_type="events.event_list_import").count() == 1
    # the staged file is gone: a second confirmation imports nothing twice
    again = client.post(reverse("events_staff:import_run"))
    assert again["Location"] == reverse("events_staff:import")
    assert Event.objects.count() == 2


def test_importing_the_same_file_again_would_change_nothing(net: Any, client: Any) -> None:
    client.force_login(net.city_staff)
    data = make_csv(_rows())
    _upload(client, net.city, data)
    client.post(reverse("events_staff:import_run"))
    preview = _upload(client, net.city, data)
    assert preview.context["changes"] == 0
    assert reverse("events_staff:import_run") not in preview.content.decode()


def test_an_excel_sheet_is_imported_like_a_csv_file(net: Any, client: Any) -> None:
    import datetime

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(HEADER))
    row = a_row()
    values: list[Any] = [row.get(name, "") for name in HEADER]
    values[HEADER.index("開始日")] = datetime.datetime(2022, 2, 5)  # Excel stores dates
    values[HEADER.index("終了日")] = datetime.datetime(2022, 2, 5)
    values[HEADER.index("開始時刻")] = datetime.time(13, 30)
    sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(net.city_staff)
    preview = _upload(client, net.city, buffer.getvalue(), "event_list.xlsx")
    assert preview.status_code == 200
    assert preview.context["preview"]["counts"]["created"] == 1
    client.post(reverse("events_staff:import_run"))
    session = Event.objects.get().sessions.get()
    assert session.date == datetime.date(2022, 2, 5)
    assert session.start_time == datetime.time(13, 30)


@pytest.mark.parametrize(
    "data",
    [
        "名前,日付,場所\r\nマチなか×NPO,2026/12/5,札幌\r\n".encode(),  # another layout
        make_csv([a_row()], header=HEADER[:20]),  # columns missing
        b"\x00\x01\x02PDF",  # not text
        b"",  # empty
        b"PK\x03\x04 not really a workbook",  # a broken .xlsx
    ],
)
def test_a_file_in_the_wrong_layout_is_reported_on_the_form_and_nothing_is_saved(
    net: Any, client: Any, data: bytes
) -> None:
    client.force_login(net.city_staff)
    response = _upload(client, net.city, data)
    assert response.status_code == 422
    form = response.context["form"]
    assert form.has_error("file")
    assert f'value="{net.city.pk}" selected' in response.content.decode()  # the choice is kept
    assert not Event.objects.exists()


def test_staff_import_only_into_their_own_centers(net: Any, client: Any) -> None:
    client.force_login(net.city_staff)
    response = _upload(client, net.prefecture, make_csv(_rows()))
    assert response.status_code == 422
    assert response.context["form"].has_error("center")
    client.force_login(net.citizen)
    assert client.get(reverse("events_staff:import")).status_code == 403
    assert client.post(reverse("events_staff:import_run")).status_code == 403
    assert not Event.objects.exists()


def test_the_staff_events_list_links_to_the_import(net: Any, client: Any) -> None:
    client.force_login(net.city_staff)
    page = client.get(reverse("events_staff:list")).content.decode()
    assert reverse("events_staff:import") in page
    assert client.get(reverse("events_staff:import")).status_code == 200
