"""Importing and exporting イベント一覧 files: real files, idempotency, round trip, command."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import translation

from kyodo.audit.models import AuditEvent
from kyodo.centers.models import CenterKind, Role
from kyodo.centers.tests.factories import CenterFactory, StaffMembershipFactory
from kyodo.events.models import Event, EventKind, EventSession, EventStatus
from kyodo.events.opendata.columns import HEADER
from kyodo.events.opendata.exporter import events_for_export, export_events, prefecture_code
from kyodo.events.opendata.importer import import_event_file
from kyodo.events.opendata.mapping import SOURCE, compose_description, split_description
from kyodo.events.opendata.reader import EventFileError

from .test_opendata_reader import EVENTS, REAL_FILES, a_row, make_csv, needs_real_files

pytestmark = [pytest.mark.django_db]

REFERENCE = date(2022, 1, 20)


@pytest.fixture
def english() -> Any:
    """These tests read the reports in English; the command speaks the active language
    (Japanese by default)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2022-01-20 10:00 +09:00", tick=False):
        yield


def run_command(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_events", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


# --- Real files ----------------------------------------------------------------------------


@needs_real_files
def test_importing_every_real_file_reports_each_row_and_a_second_import_changes_nothing():
    # given
    center = CenterFactory.create()
    first: Counter[str] = Counter()
    second: Counter[str] = Counter()
    # when
    for path in REAL_FILES:
        report = import_event_file(center=center, data=path.read_bytes(), file_name=path.name)
        first.update(report.counts)
    events = Event.objects.filter(center=center).count()
    sessions = EventSession.objects.filter(event__center=center).count()
    for path in REAL_FILES:
        report = import_event_file(center=center, data=path.read_bytes(), file_name=path.name)
        second.update(report.counts)
    # then
    assert sum(first.values()) == 853
    assert first["rejected"] == 13
    assert first["created"] == 840 and first["updated"] == 0
    assert second == Counter({"unchanged": 840, "rejected": 13, "created": 0, "updated": 0})
    assert Event.objects.filter(center=center).count() == events
    assert EventSession.objects.filter(event__center=center).count() == sessions


@needs_real_files
def test_rows_sharing_a_no_and_a_name_become_one_event_with_sessions():
    # given: 横須賀市 publishes 横須賀ジオツアー (全4回) as four rows with one NO
    center = CenterFactory.create()
    path = EVENTS / "o1-142018_g1-000304.csv"
    # when
    report = import_event_file(center=center, data=path.read_bytes(), file_name=path.name)
    # then
    tour = Event.objects.get(center=center, title__startswith="横須賀ジオツアー")
    assert [s.date for s in tour.sessions.all()] == [
        date(2022, 2, 5),
        date(2022, 2, 20),
        date(2022, 3, 5),
        date(2022, 3, 21),
    ]
    assert {s.start_time for s in tour.sessions.all()} == {time(10, 0)}
    assert {r.event_id for r in report.rows if r.title.startswith("横須賀ジオツアー")} == {tour.pk}
    assert tour.source == SOURCE
    assert tour.status == EventStatus.PUBLISHED
    assert not tour.accepts_registrations


@needs_real_files
def test_a_weekly_real_event_without_dates_is_stored_as_a_recurring_schedule():
    # given
    center = CenterFactory.create()
    path = EVENTS / "o1-xx5022_g1-000304.csv"
    # when
    import_event_file(center=center, data=path.read_bytes(), file_name=path.name)
    # then
    event = Event.objects.get(center=center)
    assert event.schedule_text == "毎週水曜日 14:00～16:00"
    assert event.schedule_reading.startswith("毎週 水曜日")
    sessions = list(event.sessions.all()[:2])
    assert [(s.date, s.start_time) for s in sessions] == [
        (date(2022, 1, 26), time(14, 0)),
        (date(2022, 2, 2), time(14, 0)),
    ]


@needs_real_files
def test_the_venue_given_in_the_meeting_place_column_becomes_the_venue():
    # given
    center = CenterFactory.create()
    path = EVENTS / "o1-142018_g1-000304.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    # when
    import_event_file(center=center, data=path.read_bytes())
    # then
    event = Event.objects.filter(center=center).order_by("pk").first()
    assert event is not None
    assert event.venue_name == rows[0]["集合場所"]
    assert "【集合場所】" not in event.description


# --- Idempotency, updates, failures --------------------------------------------------------


def test_a_changed_row_updates_its_event_and_removes_a_session_no_longer_listed():
    # given
    center = CenterFactory.create()
    rows = [a_row(), a_row(開始日="2022-02-12", 終了日="2022-02-12")]
    import_event_file(center=center, data=make_csv(rows))
    # when
    changed = [a_row(定員="40")]
    report = import_event_file(center=center, data=make_csv(changed))
    # then
    event = Event.objects.get(center=center)
    assert report.counts["updated"] == 1
    assert event.capacity == 40
    assert [s.date for s in event.sessions.all()] == [date(2022, 2, 5)]
    assert event.starts_on == event.ends_on == date(2022, 2, 5)


def test_a_failing_row_never_blocks_the_others(english: None):
    # given
    center = CenterFactory.create()
    rows = [a_row(), a_row(NO="2", 名称=""), a_row(NO="3", 名称="長" * 201), a_row(NO="4")]
    # when
    report = import_event_file(center=center, data=make_csv(rows))
    # then
    assert [r.outcome for r in report.rows] == ["created", "rejected", "rejected", "created"]
    assert report.rows[1].reason == "The event has no name (名称)."
    assert "200" in report.rows[2].reason
    assert Event.objects.filter(center=center).count() == 2


def test_a_file_level_error_saves_nothing():
    # given
    center = CenterFactory.create()
    header = [column for column in HEADER if column != "名称"]
    # when
    with pytest.raises(EventFileError):
        import_event_file(center=center, data=make_csv([a_row()], header=header))
    # then
    assert not Event.objects.exists()
    assert not AuditEvent.objects.filter(object_type="events.event_list_import").exists()


def test_the_same_file_imported_into_two_centers_makes_separate_events():
    # given
    first, second = CenterFactory.create(), CenterFactory.create()
    data = make_csv([a_row()])
    # when
    import_event_file(center=first, data=data)
    report = import_event_file(center=second, data=data)
    # then
    assert report.counts["created"] == 1
    key = Event.objects.get(center=second).external_id
    assert Event.objects.filter(external_id=key).count() == 2


def test_values_are_mapped_to_the_event_fields():
    # given
    center = CenterFactory.create()
    row = a_row(
        **{
            "イベント種類": "セミナー",
            "対象者": "市内で活動するNPO法人の会計担当者",
            "料金(基本)": "500円",
            "申込期限日": "令和4年1月31日",
            "申込期限時刻": "17:00",
            "主催団体": "札幌市市民文化局",
            "備考": "駐車場はありません。",
            "状態": "中止",
        }
    )
    # when
    import_event_file(center=center, data=make_csv([row]))
    # then
    event = Event.objects.get(center=center)
    assert event.kind == EventKind.SEMINAR
    assert event.audience_codes == ["npos"]
    assert event.fee_yen == 500
    assert event.capacity == 30
    assert event.status == EventStatus.CANCELLED
    assert event.venue_address == "北海道札幌市中央区南2条西7丁目6 フレスポ札幌 3階"
    assert event.application_closes_at is not None
    assert event.application_closes_at.isoformat() == "2022-01-31T08:00:00+00:00"
    text, blocks = split_description(event.description)
    assert text == "NPO法人の会計担当者向けの講座です。"
    assert blocks == {"主催団体": "札幌市市民文化局", "備考": "駐車場はありません。"}


def test_staff_without_the_right_to_manage_events_cannot_import():
    # given
    center = CenterFactory.create()
    specialist = StaffMembershipFactory.create(center=center, role=Role.SPECIALIST).user
    # when / then
    with pytest.raises(PermissionDenied):
        import_event_file(center=center, data=make_csv([a_row()]), by=specialist)
    assert not Event.objects.exists()


def test_a_coordinator_imports_and_the_import_is_in_the_audit_log():
    # given
    center = CenterFactory.create()
    coordinator = StaffMembershipFactory.create(center=center, role=Role.COORDINATOR).user
    # when
    import_event_file(center=center, data=make_csv([a_row()]), file_name="a.csv", by=coordinator)
    # then
    audit = AuditEvent.objects.get(object_type="events.event_list_import")
    assert audit.actor == coordinator
    assert audit.details["created"] == 1


# --- Export and round trip -----------------------------------------------------------------


def test_the_export_has_the_exact_header_bom_crlf_and_iso_dates():
    # given
    center = CenterFactory.create(kind=CenterKind.PREFECTURAL, prefecture="北海道")
    import_event_file(center=center, data=make_csv([a_row(開始日="令和4年2月5日")]))
    # when
    data = export_events(events_for_export(center))
    # then
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADER)
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    row = next(csv.DictReader(io.StringIO(text, newline="")))
    assert row["開始日"] == "2022-02-05"
    assert row["開始時刻"] == "13:30"
    assert row["都道府県コード又は市区町村コード"] == "010006"


def test_prefecture_codes_carry_their_check_digit():
    assert [prefecture_code(p) for p in ("北海道", "東京都", "神奈川県", "埼玉県", "火星")] == [
        "010006",
        "130001",
        "140007",
        "110001",
        "",
    ]


def test_drafts_and_cancelled_sessions_are_not_exported():
    # given
    center = CenterFactory.create()
    import_event_file(center=center, data=make_csv([a_row(), a_row(NO="2", 名称="下書き")]))
    Event.objects.filter(title="下書き").update(status=EventStatus.DRAFT)
    # when
    text = export_events(events_for_export(center)).decode("utf-8-sig")
    # then
    assert "下書き" not in text
    assert len(list(csv.DictReader(io.StringIO(text, newline="")))) == 1


def _snapshot(event: Event) -> dict[str, object]:
    fields = [
        "title",
        "title_kana",
        "kind",
        "summary",
        "description",
        "audience_note",
        "venue_name",
        "venue_address",
        "url",
        "schedule_text",
        "series_starts_on",
        "series_ends_on",
        "schedule_note",
        "capacity",
        "fee_yen",
        "fee_details",
        "application_closes_at",
        "how_to_apply",
        "contact_name",
        "contact_phone",
        "contact_email",
        "status",
    ]
    values: dict[str, object] = {name: getattr(event, name) for name in fields}
    values["sessions"] = [
        (s.date, s.start_time, s.end_time) for s in event.sessions.filter(is_cancelled=False)
    ]
    values["audiences"] = sorted(event.audience_codes)
    return values


def test_export_then_import_into_another_center_gives_the_same_events():
    # given
    source = CenterFactory.create()
    rows = [
        a_row(URL="https://example.jp/1", 主催団体="札幌市", 申込方法="電話で"),
        a_row(URL="https://example.jp/1", 開始日="2022-02-12", 終了日="2022-02-12"),
        a_row(
            NO="2",
            名称="子ども食堂",
            URL="https://example.jp/2",
            対象者="小学生と保護者",
            開始日="2022-01-08",
            終了日="2022-03-26",
            日時備考="毎週土曜日\n受付は開始15分前から",
            **{"料金(基本)": "", "料金(詳細)": "大人300円"},
        ),
        a_row(
            NO="3",
            名称="写真展",
            URL="https://example.jp/3",
            開始日="2022-02-01",
            終了日="2022-02-10",
            開始時刻="10:00",
            終了時刻="16:00",
        ),
    ]
    import_event_file(center=source, data=make_csv(rows))
    target = CenterFactory.create()
    # when
    exported = export_events(events_for_export(source))
    report = import_event_file(center=target, data=exported)
    again = import_event_file(center=target, data=exported)
    # then
    originals = sorted(Event.objects.filter(center=source), key=lambda e: e.title)
    copies = sorted(Event.objects.filter(center=target), key=lambda e: e.title)
    assert report.counts["rejected"] == 0
    assert len(copies) == len(originals) == 3
    for original, copy in zip(originals, copies, strict=True):
        copied, original_values = _snapshot(copy), _snapshot(original)
        copied_text, copied_blocks = split_description(str(copied.pop("description")))
        text, blocks = split_description(str(original_values.pop("description")))
        assert copied == original_values
        assert copied_text == text
        # the organiser travels with the event: the source center unless the row named one
        assert copied_blocks == blocks | {"主催団体": blocks.get("主催団体", source.name)}
    assert again.counts == {
        "created": 0,
        "updated": 0,
        "unchanged": report.counts["created"] + report.counts["updated"],
        "rejected": 0,
    }


def test_description_blocks_split_back_into_their_columns():
    # given
    description = compose_description("本文", [("主催団体", "札幌市"), ("備考", "一\n二")])
    # when
    text, blocks = split_description(description)
    # then
    assert text == "本文"
    assert blocks == {"主催団体": "札幌市", "備考": "一\n二"}


# --- The command ---------------------------------------------------------------------------


def test_the_command_prints_a_json_report(tmp_path: Path):
    # given
    center = CenterFactory.create()
    path = tmp_path / "events.csv"
    path.write_bytes(make_csv([a_row(), a_row(NO="2", 開始日="", 終了日="")]))
    # when
    status, out, err = run_command("--center", center.slug, str(path), "--json")
    # then
    report = json.loads(out)
    assert status == 0 and not err
    assert report["file"] == "events.csv"
    assert report["center"] == center.slug
    assert report["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert [(r["row"], r["id"], r["outcome"]) for r in report["rows"]] == [
        (1, "0000000001", "created"),
        (2, "2", "rejected"),
    ]
    assert report["rows"][0]["event_id"] == Event.objects.get().pk
    assert report["rows"][1]["reason"]


def test_the_command_finds_the_center_by_id_and_prints_a_text_report(tmp_path: Path, english: None):
    # given
    center = CenterFactory.create()
    path = tmp_path / "events.csv"
    path.write_bytes(make_csv([a_row()]).decode("utf-8-sig").encode("cp932"))
    # when
    status, out, _err = run_command("--center", str(center.pk), str(path))
    # then
    assert status == 0
    assert "1 created, 0 updated, 0 unchanged, 0 rejected" in out
    assert Event.objects.filter(center=center).count() == 1


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02garbage\xff", "名前,日付\r\n".encode(), b"\x82\xa0\x82\xa2,\xff\xfe\xfd"],
)
def test_the_command_reports_a_bad_file_on_stderr_and_exits_1(
    tmp_path: Path, content: bytes, english: None
):
    # given
    center = CenterFactory.create()
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    # when
    status, out, err = run_command("--center", center.slug, str(path), "--json")
    # then
    assert status == 1
    assert out == ""
    assert err.startswith("bad.csv: ")
    assert "Traceback" not in err
    assert not Event.objects.exists()


def test_the_command_reports_an_unknown_center_or_a_missing_file(tmp_path: Path):
    # given
    center = CenterFactory.create()
    # when
    no_center = run_command("--center", "nowhere", str(tmp_path / "x.csv"))
    no_file = run_command("--center", center.slug, str(tmp_path / "x.csv"))
    # then
    assert no_center[0] == 1 and "nowhere" in no_center[2]
    assert no_file[0] == 1 and "x.csv" in no_file[2]


def test_the_command_reports_in_japanese_by_default(tmp_path: Path) -> None:
    # given
    center = CenterFactory.create()
    path = tmp_path / "bad.csv"
    path.write_bytes(b"")
    stderr = io.StringIO()

    # when
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_events", "--center", str(center.pk), str(path), stderr=stderr)

    # then
    assert exit_info.value.code == 1
    assert "ファイルが空です" in stderr.getvalue()
