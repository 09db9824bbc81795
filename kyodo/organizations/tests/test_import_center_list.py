"""Importing a center's list of registered groups (CSV or .xlsx, columns by header)."""

from __future__ import annotations

import datetime
import io

import pytest

from kyodo.organizations.importers import ImportFileError, ImportReport, detect_columns
from kyodo.organizations.importers.common import activity_fields_from_text, split_address
from kyodo.organizations.models import (
    ActivityField,
    CenterRegistration,
    ImportRun,
    ImportStatus,
    LegalForm,
    MatchReview,
    Organization,
    RowOutcome,
    SourceRecord,
)
from kyodo.organizations.tests.conftest import Importer, Network
from kyodo.organizations.tests.factories import OrganizationFactory
from kyodo.organizations.tests.test_import_nta import nta_row

pytestmark = pytest.mark.django_db

# A list as a center keeps it: a title row, then headers with the usual variants.
SAPPORO_LIST = (
    "登録団体一覧（令和7年4月1日現在）,,,,,,,,,,,\n"
    "団体ID,団体名,フリガナ ,法人番号（13桁）,法人格,所在地,郵便番号,TEL,代表者,活動分野,"
    "設立年月日,登録日\n"
    "0012,子育て応援かざぐるま,こそだておうえんかざぐるま,8430005004276,NPO法人,"
    "札幌市中央区南3条西28丁目1-20,064-0803,011-611-0000,高橋 恵子,子ども・福祉,"
    "平成19年12月3日,２０２３/４/１\n"
    "0158,手稲あそびの会,テイネアソビノカイ,,任意団体,札幌市手稲区前田1条11丁目,006-0811,"
    "090-1234-5678,佐藤 花子,子育て、まちづくり,R2.4.1,令和5年6月1日\n"
)


def import_list(
    run_import: Importer, network: Network, text: str, **kwargs: object
) -> ImportReport:
    encoding = str(kwargs.pop("encoding", "utf-8-sig"))
    return run_import(
        "center_list", text.encode(encoding), file_name="登録団体.csv", center=network.own, **kwargs
    )


def test_a_list_with_a_title_row_and_header_variants_creates_groups_and_registrations(
    run_import: Importer, network: Network
) -> None:
    # when
    report = import_list(run_import, network, SAPPORO_LIST)

    # then
    assert report.counts["created"] == 2
    group = Organization.objects.get(name="手稲あそびの会")
    assert group.legal_form == LegalForm.VOLUNTARY_GROUP
    assert group.established_on == datetime.date(2020, 4, 1)
    assert (group.municipality, group.street) == ("札幌市手稲区", "前田1条11丁目")
    assert group.activity_field_codes() == [
        ActivityField.COMMUNITY_DEVELOPMENT,
        ActivityField.CHILDREN,
    ]
    assert not group.address_is_public and not group.phone_is_public
    registration = CenterRegistration.objects.get(organization=group)
    assert (registration.center, registration.center_group_id) == (network.own, "0158")
    assert registration.registered_on == datetime.date(2023, 6, 1)
    npo = Organization.objects.get(corporate_number="8430005004276")
    assert npo.name_kana == "コソダテオウエンカザグルマ"  # hiragana made katakana
    assert npo.registrations.get().registered_on == datetime.date(2023, 4, 1)
    assert npo.address_is_public


def test_a_cp932_list_is_read_as_well(run_import: Importer, network: Network) -> None:
    # when
    report = import_list(run_import, network, SAPPORO_LIST, encoding="cp932")

    # then
    assert report.counts["created"] == 2


def test_importing_the_list_again_changes_nothing_and_a_changed_row_updates(
    run_import: Importer, network: Network
) -> None:
    # given
    import_list(run_import, network, SAPPORO_LIST)

    # when
    again = import_list(run_import, network, SAPPORO_LIST)
    changed = import_list(
        run_import, network, SAPPORO_LIST.replace("090-1234-5678", "011-681-0000")
    )

    # then
    assert again.counts["unchanged"] == 2
    assert [r.outcome for r in changed.rows] == [
        RowOutcome.UNCHANGED,
        RowOutcome.UPDATED,
    ]
    assert Organization.objects.get(name="手稲あそびの会").phone == "011-681-0000"
    assert Organization.objects.count() == 2


def test_bad_cells_reject_their_row_naming_row_and_column_and_the_rest_is_imported(
    run_import: Importer, network: Network
) -> None:
    # given
    text = (
        "団体名,法人番号,設立年月日,センター\n"
        "ひばりが丘読み聞かせサークル,,平成30年4月1日,\n"
        "北海道こどもホスピスプロジェクト,2430005014934,,\n"  # check digit of 1430005014934
        "もいわ子育てひろば,,令和元年4月1日,\n"  # 令和 began on 5月1日
        "港北まちの写真クラブ,,,横浜北部センター\n"
    )

    # when
    report = import_list(run_import, network, text)

    # then
    rows = report.rows
    assert [(r.row, r.outcome) for r in rows] == [
        (2, RowOutcome.CREATED),
        (3, RowOutcome.REJECTED),
        (4, RowOutcome.REJECTED),
        (5, RowOutcome.REJECTED),
    ]
    assert "法人番号" in rows[1].reason
    assert "設立年月日" in rows[2].reason
    assert "センター" in rows[3].reason and "横浜北部センター" in rows[3].reason
    assert list(Organization.objects.values_list("name", flat=True)) == [
        "ひばりが丘読み聞かせサークル"
    ]


def test_a_list_without_a_name_column_is_refused_and_nothing_is_saved(
    run_import: Importer, network: Network
) -> None:
    # when
    with pytest.raises(ImportFileError) as error:
        import_list(run_import, network, "電話番号,住所\n011-000-0000,札幌市\n")

    # then
    assert "名称" in str(error.value)
    assert not Organization.objects.exists()
    assert ImportRun.objects.get().status == ImportStatus.FAILED


def test_a_list_needs_its_center(run_import: Importer) -> None:
    # when / then
    with pytest.raises(ImportFileError):
        run_import("center_list", SAPPORO_LIST, file_name="a.csv")


def test_another_layout_is_imported_with_an_explicit_column_map(
    run_import: Importer, network: Network
) -> None:
    # given
    text = "グループ,連絡先,分類\nもいわ子育てひろば,011-582-0000,子育て支援\n"
    detection = detect_columns(["グループ", "連絡先", "分類"])
    assert detection.mapping == {} and detection.missing_required == ["name"]

    # when
    report = import_list(
        run_import,
        network,
        text,
        column_map={"name": "グループ", "phone": "連絡先", "activity_fields": "分類"},
    )

    # then
    assert report.counts["created"] == 1
    group = Organization.objects.get()
    assert (group.name, group.phone) == ("もいわ子育てひろば", "011-582-0000")
    assert group.activity_field_codes() == [ActivityField.CHILDREN]


def test_detect_columns_tolerates_width_spaces_and_notes_in_headers() -> None:
    # when
    detection = detect_columns(
        ["団体名", "フリガナ ", "法人番号（13桁）", "ＴＥＬ", "備考", "住所"]
    )

    # then
    assert detection.mapping == {
        "name": "団体名",
        "name_kana": "フリガナ ",
        "corporate_number": "法人番号（13桁）",
        "phone": "ＴＥＬ",
        "address": "住所",
    }
    assert detection.unknown == ["備考"]


def test_a_group_of_the_list_links_to_the_official_record_by_name_and_address(
    run_import: Importer, network: Network
) -> None:
    # given: the NTA's record (no phone), written the NTA's way
    run_import(
        "nta",
        nta_row(
            1,
            "3430005015451",
            "01",
            "2021-09-01",
            "2021-08-20",
            "特定非営利活動法人北海道フードバンクネットワーク",
            municipality="札幌市東区",
            street="北十四条東１０丁目１番２１号ＰＯＬＡ１階",
            postcode="0650014",
        ),
    )
    official = Organization.objects.get()

    # when: the center writes it without legal form or corporate number
    report = import_list(
        run_import,
        network,
        "団体名,所在地,郵便番号,電話番号\n"
        "北海道フードバンクネットワーク,札幌市東区北14条東10丁目1-21,065-0014,011-788-0000\n",
    )

    # then
    row = report.rows[0]
    assert (row.outcome, row.organization_id) == (RowOutcome.LINKED, official.pk)
    official.refresh_from_db()
    assert official.phone == "011-788-0000"  # a field the official source lacks
    assert official.name == "特定非営利活動法人北海道フードバンクネットワーク"
    assert official.registrations.get().center == network.own


def test_a_doubtful_match_waits_for_review_and_stays_waiting_on_reimport(
    run_import: Importer, network: Network
) -> None:
    # given: the same short name in another ward
    official = OrganizationFactory.create(
        name="特定非営利活動法人あすなろ", municipality="札幌市北区"
    )
    text = "団体名,所在地\nあすなろ,札幌市南区真駒内\n"

    # when
    first = import_list(run_import, network, text)
    second = import_list(run_import, network, text)

    # then
    assert first.rows[0].outcome == RowOutcome.NEEDS_REVIEW
    record = SourceRecord.objects.get()
    assert record.organization is None
    review = MatchReview.objects.get()
    assert (review.source_record, review.organization) == (record, official)
    assert second.rows[0].outcome == RowOutcome.UNCHANGED
    assert Organization.objects.count() == 1


def test_the_same_group_twice_in_one_list_becomes_one_record(
    run_import: Importer, network: Network
) -> None:
    # given
    text = (
        "団体ID,団体名,所在地,電話番号\n"
        "101,ひきこもり家族の集いあすなろ,札幌市北区北8条西3丁目,011-700-0000\n"
        "102,ひきこもり家族の集い　あすなろ,札幌市北区北8条西3丁目,011-700-0000\n"
    )

    # when
    report = import_list(run_import, network, text)

    # then
    assert [r.outcome for r in report.rows] == [
        RowOutcome.CREATED,
        RowOutcome.LINKED,
    ]
    assert Organization.objects.count() == 1


def test_an_xlsx_list_is_read_with_dates_and_numbers_as_excel_stores_them(
    run_import: Importer, network: Network
) -> None:
    # given
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl is not installed")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["登録団体一覧"])
    sheet.append(["団体ID", "団体名", "郵便番号", "電話番号", "設立年月日", "登録日"])
    sheet.append([12, "港北まちの写真クラブ", 2220013, 455310000, datetime.date(2018, 5, 1),
                  datetime.datetime(2024, 4, 1, 0, 0)])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)

    # when
    report = run_import(
        "center_list", buffer.getvalue(), file_name="登録団体.xlsx", center=network.own
    )

    # then
    assert report.counts["created"] == 1
    group = Organization.objects.get()
    assert (group.postcode, group.phone) == ("2220013", "0455310000")
    assert group.established_on == datetime.date(2018, 5, 1)
    registration = group.registrations.get()
    assert (registration.center_group_id, registration.registered_on) == (
        "12",
        datetime.date(2024, 4, 1),
    )


def test_a_broken_xlsx_file_is_refused(run_import: Importer, network: Network) -> None:
    # given
    pytest.importorskip("openpyxl", reason="openpyxl is not installed")

    # when / then
    with pytest.raises(ImportFileError):
        run_import("center_list", b"PK\x03\x04broken", file_name="a.xlsx", center=network.own)


@pytest.mark.parametrize(
    ("text", "codes", "unknown"),
    [
        ("福祉・まちづくり、子ども", [1, 3, 13], []),
        ("子ども教育/環境", [7, 13], []),
        ("13、19", [13, 19], []),
        ("国際交流;ペット", [11], ["ペット"]),
        ("その他", [99], []),
    ],
)
def test_fields_of_activity_are_read_from_keywords_and_numbers(
    text: str, codes: list[int], unknown: list[str]
) -> None:
    assert activity_fields_from_text(text) == (codes, unknown)


@pytest.mark.parametrize(
    ("address", "parts"),
    [
        ("北海道札幌市中央区南9条西4丁目1-7", ("北海道", "札幌市中央区", "南9条西4丁目1-7")),
        ("横浜市港北区錦が丘7番6号", ("神奈川県", "横浜市港北区", "錦が丘7番6号")),
        ("余市郡余市町大川町９丁目３番地", ("", "余市郡余市町", "大川町９丁目３番地")),
        ("江別市2条1丁目", ("", "江別市", "2条1丁目")),
        ("東京都千代田区永田町1-7-1", ("東京都", "千代田区", "永田町1-7-1")),
    ],
)
def test_addresses_are_split_into_prefecture_municipality_and_street(
    address: str, parts: tuple[str, str, str]
) -> None:
    assert split_address(address) == parts
