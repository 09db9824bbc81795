"""Reading イベント一覧 files: the layout, the 43 real files, typed values, broken files."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from kyodo.events.opendata.columns import COLUMNS, HEADER, REQUIRED, V1_HEADER
from kyodo.events.opendata.reader import (
    EventFileError,
    EventRow,
    ProblemKind,
    parse_time_text,
    read_event_file,
)

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
EVENTS = DATA / "events"
REAL_FILES = sorted(EVENTS.glob("*.csv")) if EVENTS.is_dir() else []
needs_real_files = pytest.mark.skipif(
    not REAL_FILES, reason="shared/data/events (the real イベント一覧 files) is not here"
)
REFERENCE = date(2022, 1, 20)


def make_csv(
    rows: list[dict[str, str]],
    *,
    header: tuple[str, ...] | list[str] = HEADER,
    encoding: str = "utf-8-sig",
    newline: str = "\r\n",
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode(encoding)


def a_row(**values: str) -> dict[str, str]:
    row = {
        "NO": "0000000001",
        "都道府県コード又は市区町村コード": "011002",
        "名称": "NPOマネジメント講座 会計入門",
        "名称(カナ)": "エヌピーオーマネジメントコウザ カイケイニュウモン",
        "説明": "NPO法人の会計担当者向けの講座です。",
        "開始日": "2022-02-05",
        "終了日": "2022-02-05",
        "開始時刻": "13:30",
        "終了時刻": "15:30",
        "場所名称": "札幌市市民活動サポートセンター",
        "住所都道府県": "北海道",
        "住所市区町村": "札幌市中央区",
        "住所町名": "南2条西7丁目",
        "住所丁目以下": "6",
        "建物名等": "フレスポ札幌 3階",
        "料金(基本)": "0",
        "定員": "30",
        "連絡先電話番号": "011-211-3061",
    }
    return row | values


def read_one(**values: str) -> EventRow:
    return read_event_file(make_csv([a_row(**values)]), reference=REFERENCE).rows[0]


# --- The layout ----------------------------------------------------------------------------


def test_the_layout_has_the_fifty_columns_of_the_schema_file_in_order():
    # given
    schema = DATA / "schemas" / "event_list_v2_columns_base_registry_2022.csv"
    if not schema.exists():
        pytest.skip("the schema file is not here")
    with schema.open(encoding="utf-8") as handle:
        expected = [row["column"] for row in csv.DictReader(handle)]
    # then
    assert list(HEADER) == expected
    assert [column.order for column in COLUMNS] == list(range(1, 51))


def test_required_columns_follow_the_v1_definition_of_the_dataset():
    # given
    schema = DATA / "schemas" / "recommended_dataset_v1_columns_14datasets.csv"
    if not schema.exists():
        pytest.skip("the schema file is not here")
    with schema.open(encoding="utf-8") as handle:
        v1 = [row for row in csv.DictReader(handle) if row["dataset"] == "イベント一覧"]
    # then
    assert [row["column"] for row in v1] == list(V1_HEADER)
    assert {"名称", "開始日", "終了日", "開始時刻", "終了時刻", "説明", "場所名称"} <= REQUIRED


# --- The real files ------------------------------------------------------------------------


@needs_real_files
def test_every_real_file_reads_with_one_typed_row_per_csv_record():
    # given
    assert len(REAL_FILES) == 43
    total = 0
    for path in REAL_FILES:
        data = path.read_bytes()
        records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        # when
        event_file = read_event_file(data, reference=REFERENCE)
        # then
        assert event_file.layout == "v2"
        assert event_file.encoding == "utf-8-sig"
        assert len(event_file.rows) == len(records) - 1, path.name
        total += len(event_file.rows)
    assert total == 853


@needs_real_files
def test_real_rows_are_typed_and_their_problems_are_named():
    # given
    kinds: Counter[str] = Counter()
    rejected = 0
    dated = 0
    for path in REAL_FILES:
        # when
        for row in read_event_file(path.read_bytes(), reference=REFERENCE).rows:
            kinds.update({problem.kind for problem in row.problems})
            rejected += row.is_rejected
            dated += row.start_on is not None
    # then
    assert dated == 838
    assert rejected == 13
    assert kinds[ProblemKind.NO_DATE] == 12
    assert kinds[ProblemKind.END_BEFORE_START] == 1
    assert kinds[ProblemKind.INVALID_DATE] == 0
    assert kinds[ProblemKind.INVALID_TIME] == 0


@needs_real_files
def test_a_recurring_real_row_keeps_its_schedule_and_its_remarks():
    # given
    path = EVENTS / "o1-xx5022_g1-000304.csv"
    # when
    row = read_event_file(path.read_bytes(), reference=REFERENCE).rows[0]
    # then
    assert row.start_on is None
    assert row.schedule is not None
    assert row.schedule.reading == "毎週 水曜日"
    assert row.start_time == time(14, 0)
    assert row.date_remarks == "毎週水曜日"
    assert not row.is_rejected


@needs_real_files
def test_the_cms_lines_of_the_remarks_are_taken_out_of_them():
    # given: 日時備考 "10月13日から3月23日(毎月第2、第4水曜)…\n終了日: 2022/3/23"
    found = []
    for path in REAL_FILES:
        for row in read_event_file(path.read_bytes(), reference=REFERENCE).rows:
            if "毎月第2、第4水曜" in row.text("日時備考"):
                found.append(row)
    # then
    assert found
    row = found[0]
    assert "終了日:" not in row.date_remarks
    assert row.end_on == date(2022, 3, 23)


# --- Typed values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2022-02-05", date(2022, 2, 5)),
        ("2022/2/5", date(2022, 2, 5)),
        ("2022年2月5日", date(2022, 2, 5)),
        ("令和4年2月5日", date(2022, 2, 5)),
        ("令和４年２月５日（土）", date(2022, 2, 5)),
        ("R4.2.5", date(2022, 2, 5)),
        ("20220205", date(2022, 2, 5)),
        ("2022/02/05 0:00:00", date(2022, 2, 5)),
    ],
)
def test_dates_are_read_in_every_common_spelling(written, expected):
    # when
    row = read_one(開始日=written, 終了日=written)
    # then
    assert row.start_on == expected
    assert not row.problems


@pytest.mark.parametrize("written", ["2月30日ごろ", "2022-02-30", "令和4年2月30日", "未定"])
def test_a_date_that_cannot_be_read_is_a_problem_of_its_column(written):
    # when
    row = read_one(終了日=written)
    # then
    assert row.end_on is None
    assert [p.column for p in row.problems if p.kind == ProblemKind.INVALID_DATE] == ["終了日"]
    assert not row.is_rejected


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("13:30", time(13, 30), None),
        ("9:05", time(9, 5), None),
        ("13:30:00", time(13, 30), None),
        ("午後1時30分", time(13, 30), None),
        ("13時半", time(13, 30), None),
        ("10:00～", time(10, 0), None),
        ("１０：００", time(10, 0), None),
        ("正午", time(12, 0), None),
        ("10:00～12:00", time(10, 0), time(12, 0)),
    ],
)
def test_times_are_read_from_free_text(written, start, end):
    # when
    found = parse_time_text(written)
    # then
    assert found == (start, end)


@pytest.mark.parametrize("written", ["午後", "夕方から", "10時と14時", "毎週水曜日10時", "25:00"])
def test_a_time_that_cannot_be_read_is_refused(written):
    # when / then
    with pytest.raises(ValueError):
        parse_time_text(written)


def test_a_range_in_the_start_time_column_gives_the_end_time():
    # when
    row = read_one(開始時刻="午前10時～正午", 終了時刻="")
    # then
    assert (row.start_time, row.end_time) == (time(10, 0), time(12, 0))


def test_an_unreadable_time_is_a_problem_and_the_row_is_kept():
    # when
    row = read_one(開始時刻="午後から")
    # then
    assert row.start_time is None
    assert [p.kind for p in row.problems] == [ProblemKind.INVALID_TIME]
    assert not row.is_rejected


@pytest.mark.parametrize(
    ("basic", "detail", "fee"),
    [
        ("0", "", 0),
        ("無料", "", 0),
        ("500円", "", 500),
        ("１，０００円", "", 1000),
        ("", "無料", 0),
        ("", "500円", 500),
        ("", "大人500円、子ども300円", None),
        ("", "", None),
    ],
)
def test_the_fee_is_read_when_it_is_clear(basic, detail, fee):
    # when
    row = read_one(**{"料金(基本)": basic, "料金(詳細)": detail})
    # then
    assert row.fee_yen == fee
    assert not row.problems


def test_an_unclear_fee_is_kept_as_text_with_a_warning():
    # when
    row = read_one(**{"料金(基本)": "材料費実費", "料金(詳細)": "当日集金"})
    # then
    assert row.fee_yen is None
    assert row.fee_text == "材料費実費\n当日集金"
    assert [p.kind for p in row.problems] == [ProblemKind.UNCLEAR_FEE]


@pytest.mark.parametrize(("written", "capacity"), [("30", 30), ("先着20名", 20), ("１５人", 15)])
def test_the_capacity_is_a_number_of_people(written, capacity):
    assert read_one(定員=written).capacity == capacity


@pytest.mark.parametrize("written", ["0", "多数", "-5"])
def test_a_capacity_that_is_not_a_positive_number_is_a_problem(written):
    # when
    row = read_one(定員=written)
    # then
    assert row.capacity is None
    assert [p.kind for p in row.problems] == [ProblemKind.INVALID_NUMBER]


def test_coordinates_url_phone_postcode_and_address_are_typed():
    # when
    row = read_one(
        緯度="43.055",
        経度="141.3485",
        URL="https://www.sapporo-community.jp/event/1",
        郵便番号="０６０－００６２",
        連絡先メールアドレス="info@example.jp",
    )
    # then
    assert (row.latitude, row.longitude) == (Decimal("43.055000"), Decimal("141.348500"))
    assert row.url == "https://www.sapporo-community.jp/event/1"
    assert row.postcode == "060-0062"
    assert row.contact_email == "info@example.jp"
    assert row.address == "北海道札幌市中央区南2条西7丁目6 フレスポ札幌 3階"
    assert row.local_government_code == "011002"
    assert not row.problems


def test_bad_coordinates_url_phone_and_e_mail_are_problems_of_their_columns():
    # when
    row = read_one(
        緯度="北緯43度",
        経度="141",
        URL="www.example.jp/イベント",
        連絡先電話番号="内線123",
        連絡先メールアドレス="info＠example",
    )
    # then
    assert {p.column for p in row.problems} == {
        "緯度",
        "URL",
        "連絡先電話番号",
        "連絡先メールアドレス",
    }
    assert (row.latitude, row.url, row.contact_email) == (None, "", "")
    assert row.text("連絡先電話番号") == "内線123"
    assert not row.is_rejected


def test_two_telephone_numbers_separated_by_a_slash_are_accepted():
    row = read_one(連絡先電話番号="(043)421-6133/(043)421-6134")
    assert not row.problems


@translation.override("en")
def test_a_row_without_a_name_or_a_date_is_rejected_with_the_reason():
    # when
    nameless = read_one(名称="")
    dateless = read_one(開始日="", 終了日="")
    backwards = read_one(開始日="2022-03-05", 終了日="2022-02-05")
    # then
    assert nameless.rejection_reasons == ["The event has no name (名称)."]
    assert [p.kind for p in dateless.problems if p.fatal] == [ProblemKind.NO_DATE]
    assert [p.kind for p in backwards.problems if p.fatal] == [ProblemKind.END_BEFORE_START]


def test_empty_required_columns_are_warnings():
    # when
    row = read_one(説明="", 開始時刻="", 終了時刻="")
    # then
    assert {p.column for p in row.problems} == {"説明", "開始時刻", "終了時刻"}
    assert {p.kind for p in row.problems} == {ProblemKind.MISSING_REQUIRED}
    assert not row.is_rejected


def test_recurring_days_in_the_remarks_become_a_schedule_over_the_period():
    # when
    row = read_one(
        開始日="2022-01-08",
        終了日="2022-03-26",
        開始時刻="10:00",
        終了時刻="12:00",
        日時備考="毎土曜日開催\n開始日: 2022/1/8\n終了日: 2022/3/26",
    )
    # then
    assert row.schedule is not None
    assert row.schedule.reading == "毎週 土曜日"
    assert row.date_remarks == "毎土曜日開催"
    assert [p.kind for p in row.problems] == [ProblemKind.SCHEDULE_PARTLY_READ]
    assert "開催" in row.problems[0].message


def test_several_time_slots_in_the_remarks_give_several_sessions_a_day():
    # when
    row = read_one(開始時刻="", 終了時刻="", 日時備考="14時30分~16時・19時~20時30分")
    # then
    assert [(s.start, s.end) for s in row.time_slots] == [
        (time(14, 30), time(16, 0)),
        (time(19, 0), time(20, 30)),
    ]


def test_reception_times_in_the_remarks_do_not_replace_the_start_time():
    # when
    row = read_one(開始時刻="10:30", 日時備考="受付は10:15~")
    # then
    assert row.start_time == time(10, 30)
    assert row.date_remarks == "受付は10:15~"
    assert row.schedule is None


def test_the_event_key_is_stable_across_width_and_spacing_and_tells_events_apart():
    # given
    first = read_one()
    same = read_one(名称="NPOマネジメント講座　会計入門")
    other = read_one(NO="0000000002")
    without_no = read_one(NO="")
    # then
    assert first.event_key == same.event_key
    assert first.event_key != other.event_key
    assert without_no.event_key != first.event_key


# --- Files in other shapes, and broken files ---------------------------------------------


@needs_real_files
def test_a_cp932_copy_of_a_real_file_reads_the_same_rows():
    # given
    original = (EVENTS / "o1-142018_g1-000304.csv").read_bytes()
    text = original.decode("utf-8-sig")
    # when
    copy = read_event_file(text.encode("cp932", errors="replace"), reference=REFERENCE)
    first = read_event_file(original, reference=REFERENCE)
    # then
    assert copy.encoding == "cp932"
    assert [row.title for row in copy.rows] == [row.title for row in first.rows]


def test_bom_less_utf8_lf_only_and_quoted_newlines_are_read():
    # given
    data = make_csv([a_row(説明='一行目\n二行目, "引用"')], encoding="utf-8", newline="\n")
    # when
    event_file = read_event_file(data, reference=REFERENCE)
    # then
    assert event_file.encoding == "utf-8"
    assert event_file.rows[0].text("説明") == '一行目\n二行目, "引用"'
    assert event_file.rows[0].line == 2


def test_line_numbers_count_the_lines_of_quoted_fields():
    # given
    data = make_csv([a_row(説明="一\n二\n三"), a_row(NO="2")])
    # when
    rows = read_event_file(data, reference=REFERENCE).rows
    # then
    assert [row.line for row in rows] == [2, 5]


def test_a_v1_layout_file_is_read_with_its_columns_renamed():
    # given
    header = list(V1_HEADER)
    row = {
        "イベント名": "ボランティア入門講座",
        "開始日": "令和4年2月5日",
        "終了日": "令和4年2月5日",
        "開始時間": "午後1時30分",
        "住所": "札幌市中央区南2条西7丁目",
        "都道府県名": "北海道",
    }
    # when
    event_file = read_event_file(make_csv([row], header=header), reference=REFERENCE)
    # then
    read = event_file.rows[0]
    assert event_file.layout == "v1"
    assert (read.title, read.start_on, read.start_time) == (
        "ボランティア入門講座",
        date(2022, 2, 5),
        time(13, 30),
    )
    assert read.address == "札幌市中央区南2条西7丁目"


@translation.override("en")
def test_an_extra_column_is_ignored_with_a_warning():
    # given
    data = make_csv([a_row() | {"独自列": "x"}], header=[*HEADER, "独自列"])
    # when
    event_file = read_event_file(data, reference=REFERENCE)
    # then
    assert event_file.warnings == [
        "These columns are not part of the layout and were ignored: 独自列."
    ]
    assert not event_file.rows[0].is_rejected


def test_a_missing_column_is_a_file_level_error_naming_it():
    # given
    header = [column for column in HEADER if column != "開始日"]
    # when
    with pytest.raises(EventFileError) as error:
        read_event_file(make_csv([a_row()], header=header))
    # then
    assert error.value.code == "missing_columns"
    assert "開始日" in str(error.value)


def test_a_row_with_too_few_fields_is_rejected_and_the_others_are_read():
    # given
    data = make_csv([a_row(), a_row(NO="2")]) + "3,011002,切れた行\r\n".encode()
    # when
    rows = read_event_file(data, reference=REFERENCE).rows
    # then
    assert [row.is_rejected for row in rows] == [False, False, True]
    assert rows[2].problems[0].kind == ProblemKind.BROKEN_RECORD


def test_a_file_cut_inside_a_quoted_field_rejects_its_last_row():
    # given
    data = make_csv([a_row(), a_row(NO="2", 説明="長い説明\nの途中")])
    cut = data[: data.index("の途中".encode())]
    # when
    rows = read_event_file(cut, reference=REFERENCE).rows
    # then
    assert not rows[0].is_rejected
    assert rows[-1].is_rejected


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf\r\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("名前,日付\r\n講座,2022-02-05\r\n".encode(), "not_event_list"),
        (b"\xff\xfe\x00", "binary"),
    ],
)
def test_files_that_are_not_event_lists_are_file_level_errors(data, code):
    with pytest.raises(EventFileError) as error:
        read_event_file(data)
    assert error.value.code == code
    assert str(error.value)


def test_random_bytes_and_truncations_never_raise_anything_but_a_file_error():
    # given
    generator = random.Random(20220120)
    valid = make_csv([a_row(), a_row(NO="2", 説明="改行\nあり")])
    samples = [bytes(generator.randrange(256) for _ in range(size)) for size in (1, 10, 500)]
    samples += [valid[:cut] for cut in range(0, len(valid), 97)]
    samples += [valid.decode("utf-8-sig").encode("cp932")[:cut] for cut in (100, 700, 1300)]
    samples += [valid.replace(b",", b";"), valid.replace(b'"', b"")]
    for sample in samples:
        # when
        try:
            event_file = read_event_file(sample, reference=REFERENCE)
        except EventFileError as error:
            # then
            assert str(error)
        else:
            assert all(row.number >= 1 for row in event_file.rows)
