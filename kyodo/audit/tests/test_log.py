"""The audit log: browsed and exported by administrators, never changed by anyone."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
import time_machine
from django.contrib.admin.sites import site as admin_site
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from kyodo.accounts.models import User
from kyodo.audit.actions import record_event
from kyodo.audit.models import Action, AuditEvent, AuditLogIsAppendOnly
from kyodo.centers.models import Center, Role
from kyodo.centers.tests.factories import CenterFactory, StaffMembershipFactory, UserFactory

LIST = reverse("audit:list")
EXPORT = reverse("audit:export")
JST = datetime.timezone(datetime.timedelta(hours=9))


@pytest.fixture
def centers(db: Any) -> tuple[Center, Center]:
    return (
        CenterFactory.create(name="札幌市市民活動サポートセンター"),
        CenterFactory.create(name="横浜市市民協働推進センター"),
    )


def person_with(role: str, center: Center) -> User:
    user: User = UserFactory.create()
    StaffMembershipFactory.create(user=user, center=center, role=role)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def event(center: Center | None, **fields: Any) -> AuditEvent:
    values: dict[str, Any] = {
        "actor": None,
        "action": Action.READ,
        "object_type": "consultations.consultation",
        "object_id": "42",
        "object_repr": "相談記録 42",
        "center": center,
    }
    values.update(fields)
    return record_event(**values)


# --- who may see it ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        Role.RECEPTION,
        Role.COORDINATOR,
        Role.CHIEF_COORDINATOR,
        Role.SPECIALIST,
        Role.MUNICIPAL_OFFICER,
    ],
)
def test_staff_other_than_administrators_cannot_see_or_export_the_log(
    centers: tuple[Center, Center], role: str
) -> None:
    # given
    client = signed_in(person_with(role, centers[0]))
    # then
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_an_administrator_sees_only_the_events_of_their_centers(
    centers: tuple[Center, Center],
) -> None:
    # given
    sapporo, yokohama = centers
    admin = person_with(Role.CENTER_ADMIN, sapporo)
    event(sapporo, object_repr="札幌の相談記録")
    event(yokohama, object_repr="横浜の相談記録")
    event(None, action=Action.SIGN_IN, object_type="accounts.user", object_repr="ログイン")
    # when
    response = signed_in(admin).get(LIST)
    asking_for_b = signed_in(admin).get(LIST, {"center": yokohama.pk})
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "札幌の相談記録" in page
    assert "横浜の相談記録" not in page
    assert "ログイン" not in [e.object_repr for e in response.context["events"]]
    assert asking_for_b.status_code == 200
    assert "横浜の相談記録" not in asking_for_b.content.decode()
    assert asking_for_b.context["form"].errors["center"]


def test_a_network_administrator_sees_every_event(centers: tuple[Center, Center]) -> None:
    # given
    sapporo, yokohama = centers
    event(sapporo)
    event(yokohama)
    event(None, action=Action.SIGN_IN, object_type="accounts.user")
    # when
    response = signed_in(UserFactory.create(is_network_admin=True)).get(LIST)
    # then
    assert response.context["page_obj"].paginator.count == 3


def test_browsing_the_log_is_itself_recorded(centers: tuple[Center, Center]) -> None:
    # given
    admin = person_with(Role.CENTER_ADMIN, centers[0])
    # when
    signed_in(admin).get(LIST, {"action": "update"})
    # then
    read = AuditEvent.objects.get(actor=admin, action=Action.READ)
    assert read.object_type == "audit.auditevent"
    assert read.details == {"action": "update"}


# --- filters and pages ---------------------------------------------------------------


def test_the_log_filters_by_center_action_dates_operator_and_kind_of_record(
    centers: tuple[Center, Center],
) -> None:
    # given
    sapporo, yokohama = centers
    admin = person_with(Role.CENTER_ADMIN, sapporo)
    StaffMembershipFactory.create(user=admin, center=yokohama, role=Role.CENTER_ADMIN)
    coordinator = UserFactory.create(email="suzuki.kenta@example.jp")
    with time_machine.travel(datetime.datetime(2026, 4, 1, 10, 0, tzinfo=JST), tick=False):
        event(sapporo, actor=coordinator, action=Action.UPDATE, object_repr="対象の記録")
    with time_machine.travel(datetime.datetime(2026, 4, 2, 10, 0, tzinfo=JST), tick=False):
        event(sapporo, actor=coordinator, action=Action.UPDATE, object_repr="翌日の記録")
        event(yokohama, actor=coordinator, action=Action.UPDATE, object_repr="横浜の記録")
    event(sapporo, action=Action.READ, object_repr="読んだだけ", object_type="centers.center")
    # when
    response = signed_in(admin).get(
        LIST,
        {
            "center": str(sapporo.pk),
            "action": "update",
            "date_from": "2026-04-01",
            "date_to": "2026-04-01",
            "actor": "suzuki",
        },
    )
    # then
    assert [e.object_repr for e in response.context["events"]] == ["対象の記録"]


def test_the_kind_of_record_filter_offers_the_models_and_filters_by_them(
    centers: tuple[Center, Center],
) -> None:
    # given
    admin = person_with(Role.CENTER_ADMIN, centers[0])
    event(centers[0], object_type="centers.center", object_repr="センターの記録")
    event(centers[0], object_type="accounts.user", object_repr="人の記録")
    # when
    response = signed_in(admin).get(LIST, {"record_type": "centers.center"})
    # then
    assert "centers.center" in dict(response.context["form"].fields["record_type"].choices)
    assert [e.object_repr for e in response.context["events"]] == ["センターの記録"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"action": "erase"}, "action"),
        ({"date_from": "2026-13-45"}, "date_from"),
        ({"date_from": "2026-04-02", "date_to": "2026-04-01"}, "date_to"),
        ({"record_type": "secrets.secret"}, "record_type"),
        ({"center": "abc"}, "center"),
    ],
)
def test_bad_filters_are_reported_on_their_field_and_the_page_still_renders(
    centers: tuple[Center, Center], query: dict[str, str], field: str
) -> None:
    # given
    admin = person_with(Role.CENTER_ADMIN, centers[0])
    event(centers[0])
    # when
    response = signed_in(admin).get(LIST, query)
    # then
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_log_is_paged_by_fifty_newest_first(centers: tuple[Center, Center]) -> None:
    # given
    admin = person_with(Role.CENTER_ADMIN, centers[0])
    for n in range(60):
        event(centers[0], object_id=str(n), object_repr=f"記録{n}")
    client = signed_in(admin)
    # when
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})
    beyond = client.get(LIST, {"page": "abc"})
    # then
    assert len(first.context["events"]) == 50
    assert first.context["events"][0].object_repr == "記録59"
    # the first page's reading is now the newest event, so one more row moved down
    assert len(second.context["events"]) == 11
    assert second.context["events"][-1].object_repr == "記録0"
    assert beyond.status_code == 200


def test_the_log_takes_a_fixed_number_of_queries(
    centers: tuple[Center, Center], django_assert_max_num_queries: Any
) -> None:
    # given
    admin = person_with(Role.CENTER_ADMIN, centers[0])
    for n in range(60):
        event(centers[0], object_id=str(n), actor=admin)
    client = signed_in(admin)
    # then
    with django_assert_max_num_queries(14):
        response = client.get(LIST)
    assert response.status_code == 200


# --- export ----------------------------------------------------------------------------


def test_the_export_is_utf8_with_a_bom_crlf_and_japanese_headers(
    centers: tuple[Center, Center],
) -> None:
    # given
    sapporo, yokohama = centers
    admin = person_with(Role.CENTER_ADMIN, sapporo)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 10, 30, tzinfo=JST), tick=False):
        event(sapporo, actor=admin, action=Action.UPDATE, object_repr="相談記録 42")
    event(yokohama, object_repr="横浜の記録")
    # when
    response = signed_in(admin).get(EXPORT)
    # then
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == [
        "日時",
        "操作者",
        "操作",
        "記録の種類",
        "記録ID",
        "記録",
        "センター",
        "接続元",
        "クライアント",
        "画面",
    ]
    data = [row for row in rows[1:] if row[5] == "相談記録 42"]
    assert data == [
        [
            "2026-04-01 10:30:00",
            admin.email,
            "更新",
            "consultations.consultation",
            "42",
            "相談記録 42",
            "札幌市市民活動サポートセンター",
            "",
            "",
            "",
        ]
    ]
    assert "横浜の記録" not in text


def test_exporting_is_recorded_before_the_rows_are_sent(centers: tuple[Center, Center]) -> None:
    # given
    admin = person_with(Role.CENTER_ADMIN, centers[0])
    # when
    response = signed_in(admin).get(EXPORT, {"action": "update"})
    # then
    exported = AuditEvent.objects.get(actor=admin, action=Action.EXPORT)
    assert exported.details == {"action": "update"}
    assert exported.object_type == "audit.auditevent"
    b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_defused(
    centers: tuple[Center, Center],
) -> None:
    # given
    admin = person_with(Role.CENTER_ADMIN, centers[0])
    event(centers[0], object_repr='=HYPERLINK("http://example.com","開く")')
    # when
    text = b"".join(signed_in(admin).get(EXPORT).streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    # then
    assert "'=HYPERLINK" in text


def test_the_export_streams_a_long_log(
    centers: tuple[Center, Center], django_assert_max_num_queries: Any
) -> None:
    # given
    admin = person_with(Role.CENTER_ADMIN, centers[0])
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                action=Action.READ,
                object_type="centers.center",
                object_id=str(n),
                center=centers[0],
            )
            for n in range(2500)
        ]
    )
    # when
    response = signed_in(admin).get(EXPORT)
    # then
    assert response.streaming
    lines = b"".join(response.streaming_content).count(b"\r\n")  # type: ignore[attr-defined]
    assert lines == 1 + 2500 + 1  # headers, rows, and the export's own event


# --- append only -------------------------------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_events(centers: tuple[Center, Center]) -> None:
    # given
    row = event(centers[0])
    # then
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=row.pk).update(object_repr="改ざん")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=row.pk).delete()
    row.object_repr = "改ざん"
    with pytest.raises(AuditLogIsAppendOnly):
        row.save()
    with pytest.raises(AuditLogIsAppendOnly):
        row.delete()
    assert AuditEvent.objects.get(pk=row.pk).object_repr == "相談記録 42"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET object_repr = 'tampered' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_raw_changes_to_events(
    centers: tuple[Center, Center], statement: str
) -> None:
    # given
    row = event(centers[0])
    # then
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [row.pk])
    assert AuditEvent.objects.get(pk=row.pk).object_repr == "相談記録 42"


def test_the_admin_shows_events_read_only(db: Any) -> None:
    # given
    model_admin = admin_site._registry[AuditEvent]
    request = RequestFactory().get("/")
    request.user = UserFactory.create(is_staff=True, is_superuser=True)
    # then
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_no_url_of_the_log_changes_anything(centers: tuple[Center, Center]) -> None:
    # given
    admin = person_with(Role.CENTER_ADMIN, centers[0])
    row = event(centers[0])
    client = signed_in(admin)
    # when
    responses = [client.post(LIST, {"id": row.pk}), client.post(EXPORT), client.delete(LIST)]
    # then
    assert [r.status_code for r in responses] == [405, 405, 405]
    assert AuditEvent.objects.filter(pk=row.pk).exists()
