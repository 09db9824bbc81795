"""Importing the Cabinet Office NPO portal's bulk CSV (60 columns, CP932).

No real rows of that file are available, so the files here are built from the published
layout (../shared/data/npo/npo_portal_gyousei_csv_columns.csv) with real NPO names and
addresses from the NTA data."""

from __future__ import annotations

import datetime

import pytest

from kyodo.organizations.importers import ImportFileError
from kyodo.organizations.importers.npo_portal import COLUMNS, COLUMNS_2019
from kyodo.organizations.models import (
    ActivityField,
    CertificationKind,
    DissolutionReason,
    FieldSource,
    LegalForm,
    Organization,
    RowOutcome,
    SourceKind,
    Status,
)
from kyodo.organizations.tests.conftest import Importer
from kyodo.organizations.tests.test_import_nta import KAZAGURUMA, nta_row

pytestmark = pytest.mark.django_db

FILE_NAME = "000_AdministrativeInputData_20250301.csv"


def portal_row(**cells: str) -> list[str]:
    """A row of the 60-column layout; ``cells`` by column name, 活動分野N as ``field_N``."""
    row = dict.fromkeys(COLUMNS, "")
    for key, value in cells.items():
        row[COLUMNS[11 + int(key[6:])] if key.startswith("field_") else key] = value
    return [row[column] for column in COLUMNS]


KAZAGURUMA_ROW = {
    "法人名称": "特定非営利活動法人子育て応援かざぐるま",
    "法人名称カナ": "コソダテオウエンカザグルマ",
    "所轄庁": "札幌市",
    "主たる事務所の所在地": "札幌市中央区南三条西２８丁目１番２０号第３睦マンション１０２号室",
    "主たる事業所の郵便番号": "064-0803",
    "代表者氏名": "高橋 恵子",
    "団体代表者名（フリガナ）": "タカハシ ケイコ",
    "法人設立認証年月日": "2007/11/08",
    "設立年月日": "2007/12/03",
    "定款に記載された目的": "この法人は、子育て中の親子に交流と学びの場を提供する事業を行う。",
    "field_1": "○",
    "field_13": "○",
    "法人情報URL": "https://www.npo-homepage.go.jp/npoportal/detail/101000456",
    "法人番号": KAZAGURUMA,
    "特定非営利活動に係る事業": "子育て支援事業、交流事業",
}
RIKUBETSU_ROW = {
    "法人名称": "特定非営利活動法人りくべつエヌピーオー優愛館",
    "所轄庁": "北海道",
    "主たる事務所の所在地": "足寄郡陸別町字陸別東一条４丁目１番地",
    "法人設立認証年月日": "2003/05/12",
    "field_1": "○",
    "認定（認定・特例認定１）": "○",
    "認定（認定開始日）": "2021/04/01",
    "認定（認定満了日）": "2026/03/31",
    "法人情報URL": "https://www.npo-homepage.go.jp/npoportal/detail/001000789",
    "法人番号": "6460105001445",
}
DISSOLVED_ROW = {
    "法人名称": "特定非営利活動法人余市水泳協会",
    "所轄庁": "北海道",
    "主たる事務所の所在地": "余市郡余市町大川町９丁目３番地",
    "法人設立認証年月日": "2009/06/01",
    "解散情報": "2021年07月02日 社員総会の決議(清算結了)",
    "法人情報URL": "https://www.npo-homepage.go.jp/npoportal/detail/001000321",
    "法人番号": "4430005008289",
}


def portal_csv(*rows: dict[str, str], header: bool = True, encoding: str = "cp932") -> bytes:
    lines = [",".join(COLUMNS)] if header else []
    for row in rows:
        lines.append(",".join(f'"{cell}"' for cell in portal_row(**row)))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def test_a_cp932_file_creates_npo_corporations_with_fields_and_certifications(
    run_import: Importer,
) -> None:
    # when
    report = run_import(
        "npo_portal", portal_csv(KAZAGURUMA_ROW, RIKUBETSU_ROW), file_name=FILE_NAME
    )

    # then
    assert report.counts["created"] == 2
    kazaguruma = Organization.objects.get(corporate_number=KAZAGURUMA)
    assert kazaguruma.competent_authority == "札幌市"
    assert (kazaguruma.prefecture, kazaguruma.municipality) == ("北海道", "札幌市中央区")
    assert kazaguruma.street.startswith("南三条西２８丁目")  # as written
    assert kazaguruma.postcode == "0640803"
    assert kazaguruma.certified_on == datetime.date(2007, 11, 8)
    assert kazaguruma.established_on == datetime.date(2007, 12, 3)
    assert kazaguruma.activity_field_codes() == [
        ActivityField.HEALTH_WELFARE,
        ActivityField.CHILDREN,
    ]
    assert kazaguruma.legal_form == LegalForm.NPO_CORPORATION
    rikubetsu = Organization.objects.get(corporate_number="6460105001445")
    assert rikubetsu.legal_form == LegalForm.CERTIFIED_NPO
    certification = rikubetsu.certifications.get()
    assert certification.kind == CertificationKind.CERTIFIED
    assert certification.expires_on == datetime.date(2026, 3, 31)
    source = FieldSource.objects.get(organization=kazaguruma, field="name")
    assert (source.kind, source.as_of) == (SourceKind.NPO_PORTAL, datetime.date(2025, 3, 1))


def test_the_dissolution_text_dissolves_the_organization(run_import: Importer) -> None:
    # when
    run_import("npo_portal", portal_csv(DISSOLVED_ROW), file_name=FILE_NAME)

    # then
    organization = Organization.objects.get()
    assert organization.status == Status.DISSOLVED
    assert organization.dissolved_on == datetime.date(2021, 7, 2)
    assert organization.dissolution_reason == DissolutionReason.GENERAL_MEETING
    assert organization.dissolution_note.startswith("2021年07月02日")


def test_the_portal_links_to_the_nta_record_by_corporate_number_and_the_newer_wins(
    run_import: Importer,
) -> None:
    # given: the NTA row of 2021 (with the NTA's way of writing the address)
    run_import(
        "nta",
        nta_row(
            2647,
            KAZAGURUMA,
            "01",
            "2021-07-19",
            "2015-10-05",
            "特定非営利活動法人子育て応援かざぐるま",
            street="南三条西２８丁目１番２０号",
            postcode="0640803",
            kana="コソダテオウエンカザグルマ",
        ),
    )

    # when: the portal file of 2025
    report = run_import("npo_portal", portal_csv(KAZAGURUMA_ROW), file_name=FILE_NAME)

    # then
    assert report.rows[0].outcome == RowOutcome.LINKED
    organization = Organization.objects.get()
    assert organization.competent_authority == "札幌市"  # only the portal knows it
    assert organization.street == "南三条西２８丁目１番２０号第３睦マンション１０２号室"
    assert organization.source_records.count() == 2


def test_a_file_without_header_in_utf8_with_bom_is_read_by_position(run_import: Importer) -> None:
    # when
    report = run_import(
        "npo_portal",
        b"\xef\xbb\xbf" + portal_csv(KAZAGURUMA_ROW, header=False, encoding="utf-8"),
        file_name="gyousei_101.csv",
    )

    # then
    assert report.counts["created"] == 1
    assert Organization.objects.get().representative == "高橋 恵子"


def test_the_2019_layout_of_45_columns_is_read_too(run_import: Importer) -> None:
    # given
    full = dict(zip(COLUMNS, portal_row(**KAZAGURUMA_ROW), strict=True))
    row = ",".join(full[column] for column in COLUMNS_2019)

    # when
    report = run_import("npo_portal", row.encode("cp932"), file_name="000_Data_20190223.csv")

    # then
    assert len(COLUMNS_2019) == 45
    assert report.counts["created"] == 1
    organization = Organization.objects.get()
    assert organization.corporate_number == KAZAGURUMA
    assert organization.certified_on == datetime.date(2007, 11, 8)


def test_importing_the_same_portal_file_again_changes_nothing(run_import: Importer) -> None:
    # given
    data = portal_csv(KAZAGURUMA_ROW, RIKUBETSU_ROW, DISSOLVED_ROW)
    run_import("npo_portal", data, file_name=FILE_NAME)

    # when
    report = run_import("npo_portal", data, file_name=FILE_NAME)

    # then
    assert report.counts["unchanged"] == 3
    assert Organization.objects.count() == 3


def test_a_row_with_an_unreadable_date_is_rejected_naming_the_column(run_import: Importer) -> None:
    # given
    bad = {**RIKUBETSU_ROW, "設立年月日": "令和元年4月1日"}  # 令和 began on 5月1日

    # when
    report = run_import("npo_portal", portal_csv(KAZAGURUMA_ROW, bad), file_name=FILE_NAME)

    # then
    rejected = report.rows[1]
    assert (rejected.row, rejected.outcome) == (3, RowOutcome.REJECTED)
    assert "設立年月日" in rejected.reason
    assert Organization.objects.count() == 1


def test_a_file_of_another_layout_is_refused_and_nothing_is_saved(run_import: Importer) -> None:
    # when
    with pytest.raises(ImportFileError) as error:
        run_import("npo_portal", "名称,電話\nひまわり会,011\n".encode("cp932"), file_name="x.csv")

    # then
    assert "60" in str(error.value)
    assert not Organization.objects.exists()


def test_a_later_nta_row_does_not_undo_the_certification_the_portal_gave(
    run_import: Importer,
) -> None:
    # given: certified according to the portal
    run_import("npo_portal", portal_csv(RIKUBETSU_ROW), file_name=FILE_NAME)

    # when: the NTA reports a move in 2025 (it knows nothing of 認定)
    run_import(
        "nta",
        nta_row(
            9,
            "6460105001445",
            "12",
            "2025-06-02",
            "2025-05-20",
            "特定非営利活動法人りくべつエヌピーオー優愛館",
            municipality="足寄郡陸別町",
            street="字陸別東二条１丁目１番地",
        ),
    )

    # then
    organization = Organization.objects.get()
    assert organization.legal_form == LegalForm.CERTIFIED_NPO
    assert organization.street == "字陸別東二条１丁目１番地"
