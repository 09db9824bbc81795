"""Importing the National Tax Agency's corporate-number files (the real Hokkaido and
Yokohama subsets in ../shared/data/npo, and small files built from their rows)."""

from __future__ import annotations

import datetime

import pytest

from kyodo.organizations.importers import ImportFileError
from kyodo.organizations.importers.nta import COLUMNS
from kyodo.organizations.models import (
    DissolutionReason,
    FieldSource,
    ImportRun,
    ImportStatus,
    LegalForm,
    MatchReview,
    Organization,
    OrganizationName,
    RowOutcome,
    SourceKind,
    SourceRecord,
    Status,
)
from kyodo.organizations.tests.conftest import HOKKAIDO, YOKOHAMA, Importer, requires_nta_files
from kyodo.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

HEADER = "source_diff_file," + ",".join(COLUMNS)


def nta_row(
    serial: int,
    number: str,
    code: str,
    updated_on: str,
    changed_on: str,
    name: str,
    *,
    municipality: str = "札幌市中央区",
    street: str = "南九条西４丁目１－７",
    postcode: str = "0640809",
    closed_on: str = "",
    closure: str = "",
    latest: str = "1",
    kana: str = "",
    kind: str = "399",
) -> str:
    """One row of the official 30-column layout."""
    cells = [str(serial), number, code, "0", updated_on, changed_on, name, "", kind, "北海道",
             municipality, street, "", "01", "101", postcode, "", "", closed_on, closure, "", "",
             "2015-10-05", latest, "", "", "", "", kana, "0"]  # fmt: skip
    assert len(cells) == len(COLUMNS)
    return ",".join(cells)


KAZAGURUMA = "8430005004276"  # 特定非営利活動法人子育て応援かざぐるま (real)
MINDAN = "4430005013181"  # 特定非営利活動法人民団福祉会 (real)


@requires_nta_files
def test_the_hokkaido_file_gives_one_record_per_corporate_number(run_import: Importer) -> None:
    # when
    report = run_import("nta", HOKKAIDO.read_bytes(), file_name=HOKKAIDO.name)

    # then: 1,548 rows of 1,119 corporations
    assert len(report.rows) == 1548
    assert report.counts["created"] == 1119
    assert report.counts["rejected"] == 0
    assert Organization.objects.count() == 1119
    assert SourceRecord.objects.filter(source=SourceKind.NTA).count() == 1119
    # whose newest row closed the registration (処理区分 21): 337
    assert Organization.objects.dissolved().count() == 337
    assert ImportRun.objects.get().status == ImportStatus.SUCCEEDED


@requires_nta_files
def test_a_name_change_keeps_the_former_name_with_its_dates(run_import: Importer) -> None:
    # when
    run_import("nta", HOKKAIDO.read_bytes(), file_name=HOKKAIDO.name)

    # then: 処理区分 11 of 2022-03-03, changed on 2022-02-22
    organization = Organization.objects.get(corporate_number="8430005005423")
    assert organization.name == "特定非営利活動法人みんなの北海道２１００"
    assert organization.name_kana == "ミンナノホッカイドウニセンヒャク"
    former = organization.names.get(kind=OrganizationName.Kind.FORMER)
    assert former.name == "特定非営利活動法人住んでみたい北海道推進会議"
    assert former.valid_to == datetime.date(2022, 2, 21)
    assert organization.street == "大通西１０丁目４番地南大通ビル４階"  # moved a floor in 2024
    assert Organization.objects.search("住んでみたい").get() == organization
    source = FieldSource.objects.get(organization=organization, field="name")
    assert (source.kind, source.as_of) == (SourceKind.NTA, datetime.date(2022, 2, 22))


@requires_nta_files
def test_a_closure_dissolves_the_organization_with_its_date_and_reason(
    run_import: Importer,
) -> None:
    # when
    run_import("nta", HOKKAIDO.read_bytes(), file_name=HOKKAIDO.name)

    # then: 北海道ファミリーハウス, closed 2025-12-26 (事由 01 清算の結了等)
    organization = Organization.objects.get(corporate_number="9430005005001")
    assert organization.status == Status.DISSOLVED
    assert organization.dissolved_on == datetime.date(2025, 12, 26)
    assert organization.dissolution_reason == DissolutionReason.LIQUIDATION_COMPLETED
    assert organization.municipality == "札幌市中央区"  # moved from 北区 in 2021


@requires_nta_files
def test_importing_the_same_file_again_leaves_every_row_unchanged(run_import: Importer) -> None:
    # given
    run_import("nta", HOKKAIDO.read_bytes(), file_name=HOKKAIDO.name)
    names = OrganizationName.objects.count()

    # when
    report = run_import("nta", HOKKAIDO.read_bytes(), file_name=HOKKAIDO.name)

    # then
    assert report.counts["unchanged"] == 1548
    assert Organization.objects.count() == 1119
    assert OrganizationName.objects.count() == names


@requires_nta_files
def test_past_states_sent_again_do_not_undo_a_later_name(run_import: Importer) -> None:
    # when: 5430005012926 renamed to そらち自然学校 in 2024; in 2025 the NTA re-sent its
    # whole history (訂正区分 1, 最新履歴 0) under the old name ごはん５…
    run_import("nta", HOKKAIDO.read_bytes(), file_name=HOKKAIDO.name)

    # then
    organization = Organization.objects.get(corporate_number="5430005012926")
    assert organization.name == "ＮＰＯ法人そらち自然学校"
    assert organization.name_kana == "ソラチシゼンガッコウ"  # from the 2025 correction
    assert organization.street == "字幌新３８１－１"  # the 2026 move
    assert organization.names.filter(name__startswith="ＮＰＯ法人ごはん５").exists()


@requires_nta_files
def test_the_yokohama_file_in_cp932_without_our_column_or_header_reads_the_same(
    run_import: Importer,
) -> None:
    # given: the official layout: 30 columns, no header, CP932
    lines = YOKOHAMA.read_text(encoding="utf-8").splitlines()[1:]
    official = "\r\n".join(line.split(",", 1)[1] for line in lines if line)

    # when
    report = run_import("nta", official.encode("cp932"), file_name="diff_20260820.csv")

    # then
    assert report.counts["rejected"] == 0
    assert Organization.objects.count() == 910
    assert Organization.objects.dissolved().count() == 263
    assert Organization.objects.filter(legal_form=LegalForm.COMPANY).count() == 2


def test_rows_are_applied_in_the_order_of_their_update_date(run_import: Importer) -> None:
    # given: the rename of 2024 before the creation of 2021 in the file
    data = "\n".join(
        [
            HEADER,
            "diff_20240301.csv,"
            + nta_row(
                5, KAZAGURUMA, "11", "2024-03-01", "2024-02-20", "特定非営利活動法人かざぐるま"
            ),
            "diff_20210719.csv,"
            + nta_row(
                2647,
                KAZAGURUMA,
                "01",
                "2021-07-19",
                "2015-10-05",
                "特定非営利活動法人子育て応援かざぐるま",
            ),
        ]
    )

    # when
    report = run_import("nta", data)

    # then
    organization = Organization.objects.get()
    assert organization.name == "特定非営利活動法人かざぐるま"
    assert [r.outcome for r in report.rows] == [RowOutcome.UPDATED, RowOutcome.CREATED]
    assert organization.names.get().name == "特定非営利活動法人子育て応援かざぐるま"


def test_a_revival_makes_a_dissolved_organization_active_again(run_import: Importer) -> None:
    # given
    name = "特定非営利活動法人民団福祉会"
    run_import(
        "nta",
        "\n".join(
            [
                nta_row(1, MINDAN, "01", "2021-07-15", "2017-07-20", name),
                nta_row(
                    2,
                    MINDAN,
                    "21",
                    "2023-05-01",
                    "2023-04-20",
                    name,
                    closed_on="2023-04-20",
                    closure="21",
                ),
            ]
        ),
    )
    assert Organization.objects.get().dissolution_reason == DissolutionReason.CLOSED_BY_REGISTRAR

    # when
    report = run_import("nta", nta_row(9, MINDAN, "22", "2024-01-10", "2024-01-05", name))

    # then
    organization = Organization.objects.get()
    assert report.rows[0].outcome == RowOutcome.UPDATED
    assert (organization.status, organization.dissolved_on) == (Status.ACTIVE, None)
    assert organization.dissolution_reason == ""


def test_a_row_with_a_wrong_check_digit_is_rejected_and_the_others_are_imported(
    run_import: Importer,
) -> None:
    # given: the first digit of a real number changed
    data = "\n".join(
        [
            nta_row(
                1, "9430005013181", "01", "2021-07-15", "2017-07-20", "特定非営利活動法人民団福祉会"
            ),
            nta_row(
                2,
                KAZAGURUMA,
                "01",
                "2021-07-19",
                "2015-10-05",
                "特定非営利活動法人子育て応援かざぐるま",
            ),
        ]
    )

    # when
    report = run_import("nta", data)

    # then
    rejected = report.rows[0]
    assert (rejected.row, rejected.outcome) == (1, RowOutcome.REJECTED)
    assert "法人番号" in rejected.reason
    assert list(Organization.objects.values_list("corporate_number", flat=True)) == [KAZAGURUMA]


def test_a_row_with_a_missing_column_is_rejected_naming_its_row(run_import: Importer) -> None:
    # given
    good = nta_row(
        1, KAZAGURUMA, "01", "2021-07-19", "2015-10-05", "特定非営利活動法人子育て応援かざぐるま"
    )
    short = nta_row(2, MINDAN, "01", "2021-07-15", "2017-07-20", "特定非営利活動法人民団福祉会")
    short = short.rsplit(",", 1)[0]

    # when
    report = run_import("nta", f"{good}\n{short}\n")

    # then
    assert [(r.row, r.outcome) for r in report.rows] == [
        (1, RowOutcome.CREATED),
        (2, RowOutcome.REJECTED),
    ]
    assert "29" in report.rows[1].reason


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "空"),
        ("名称,電話番号\nひまわり会,011-000-0000\n".encode(), "30"),
        (b"\x82\xa0\xff\xfe\x80\x81,\x82", "UTF-8"),
    ],
    ids=["empty", "another layout", "neither utf-8 nor cp932"],
)
def test_a_file_level_error_saves_nothing_and_says_why(
    run_import: Importer, data: bytes, message: str
) -> None:
    # given
    OrganizationFactory.create()

    # when
    with pytest.raises(ImportFileError) as error:
        run_import("nta", data, file_name="bad.csv")

    # then
    assert message in str(error.value)
    assert Organization.objects.count() == 1
    assert not SourceRecord.objects.exists()
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED and message in run.error


def test_a_corporation_found_in_a_center_list_before_is_linked_not_duplicated(
    run_import: Importer, network: object
) -> None:
    # given: a center's list without the corporate number, same name and address
    center_list = (
        "団体名,所在地,郵便番号\n"
        "子育て応援かざぐるま,札幌市中央区南3条西28丁目1-20第3睦マンション102号室,064-0803\n"
    )
    run_import("center_list", center_list, center=network.own)  # type: ignore[attr-defined]

    # when
    report = run_import(
        "nta",
        nta_row(
            2647,
            KAZAGURUMA,
            "01",
            "2021-07-19",
            "2015-10-05",
            "特定非営利活動法人子育て応援かざぐるま",
            street="南三条西２８丁目１番２０号第３睦マンション１０２号室",
            postcode="0640803",
        ),
    )

    # then
    organization = Organization.objects.get()
    assert report.rows[0].outcome == RowOutcome.LINKED
    assert organization.corporate_number == KAZAGURUMA
    assert organization.name == "特定非営利活動法人子育て応援かざぐるま"  # official wins
    assert organization.registrations.count() == 1


def test_a_doubtful_match_creates_the_corporation_and_queues_the_pair(
    run_import: Importer, network: object
) -> None:
    # given: the same name in another ward, no postcode
    run_import(
        "center_list",
        "団体名,所在地\n子育て応援かざぐるま,札幌市北区北7条西2丁目\n",
        center=network.own,  # type: ignore[attr-defined]
    )

    # when
    report = run_import(
        "nta",
        nta_row(
            2647,
            KAZAGURUMA,
            "01",
            "2021-07-19",
            "2015-10-05",
            "特定非営利活動法人子育て応援かざぐるま",
        ),
    )

    # then
    assert report.rows[0].outcome == RowOutcome.NEEDS_REVIEW
    assert Organization.objects.count() == 2
    review = MatchReview.objects.get()
    assert review.other_organization == Organization.objects.get(corporate_number=KAZAGURUMA)
    assert review.source_record is None


def test_the_report_calls_progress_as_rows_are_applied(run_import: Importer) -> None:
    # given
    calls: list[tuple[int, int]] = []
    data = "\n".join(
        nta_row(i, number, "01", "2021-07-19", "2015-10-05", name)
        for i, (number, name) in enumerate(
            [
                (KAZAGURUMA, "特定非営利活動法人子育て応援かざぐるま"),
                (MINDAN, "特定非営利活動法人民団福祉会"),
            ]
        )
    )

    # when
    run_import("nta", data, progress=lambda done, total: calls.append((done, total)))

    # then
    assert calls[-1] == (2, 2)
