"""The staff screens of the registry: search, the record with its sources, edit, history,
registration at a center, the review queue, proposed changes, merge and split."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kyodo.audit.models import Action, AuditEvent
from kyodo.centers.models import Role
from kyodo.centers.tests.conftest import Network
from kyodo.centers.tests.factories import UserFactory
from kyodo.organizations import actions
from kyodo.organizations.models import (
    CenterRegistration,
    FieldSource,
    MatchReview,
    MergeRecord,
    Organization,
    ProposedChange,
    ReviewStatus,
    SourceKind,
    SourceRecord,
    Status,
)
from kyodo.organizations.tests.factories import OrganizationFactory, SourceRecordFactory
from kyodo.organizations.tests.ui_data import (
    PRIVATE_PHONE,
    Directory,
    make_directory,
    signed_in,
    staff_member,
)

SEARCH = reverse("organizations_staff:search")


@pytest.fixture
def directory(network: Network) -> Directory:
    return make_directory(network)


@pytest.fixture
def coordinator(network: Network) -> Client:
    return signed_in(staff_member(network, Role.COORDINATOR, display_name="鈴木 健太"))


def url(name: str, *args: Any) -> str:
    return reverse(f"organizations_staff:{name}", args=args)


def edit_data(organization: Organization, **changes: Any) -> dict[str, Any]:
    """The edit form as it comes filled in, with ``changes``."""
    data: dict[str, Any] = {
        "name": organization.name,
        "name_kana": organization.name_kana,
        "legal_form": organization.legal_form,
        "corporate_number": organization.corporate_number,
        "competent_authority": organization.competent_authority,
        "postcode": organization.postcode,
        "prefecture": organization.prefecture,
        "municipality": organization.municipality,
        "street": organization.street,
        "established_on": organization.established_on.isoformat()
        if organization.established_on
        else "",
        "certified_on": "",
        "representative": organization.representative,
        "representative_kana": "",
        "purpose": organization.purpose,
        "activities": organization.activities,
        "phone": organization.phone,
        "fax": "",
        "email": organization.email,
        "contact_person": "",
        "website": organization.website,
        "status": organization.status,
        "dissolved_on": "",
        "dissolution_reason": "",
        "dissolution_note": "",
        "activity_fields": [str(code) for code in organization.activity_field_codes()],
        "activity_areas": "\n".join(organization.activity_area_names()),
        "links": "\n".join(link.url for link in organization.links.all()),
    }
    for flag in ("is_public", "address_is_public", "representative_is_public", "phone_is_public",
                 "fax_is_public", "email_is_public", "contact_person_is_public"):  # fmt: skip
        if getattr(organization, flag):
            data[flag] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Who may open the registry ----------------------------------------------------------------


def test_a_citizen_cannot_open_the_registry_and_an_anonymous_visitor_is_asked_to_sign_in(
    client: Client, directory: Directory
) -> None:
    # given
    citizen = signed_in(UserFactory.create())
    # when
    anonymous = client.get(SEARCH)
    refused = citizen.get(url("record", directory.hospice.pk))
    # then
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert refused.status_code == 403


def test_a_specialist_may_read_the_registry_but_not_change_it(
    network: Network, directory: Directory
) -> None:
    # given
    specialist = signed_in(staff_member(network, Role.SPECIALIST))
    # when
    read = specialist.get(url("record", directory.hospice.pk))
    edit = specialist.get(url("edit", directory.hospice.pk))
    queue = specialist.get(url("reviews"))
    # then
    assert read.status_code == 200
    assert edit.status_code == 403 and queue.status_code == 403


# --- Search -----------------------------------------------------------------------------------


def test_staff_search_finds_hidden_and_dissolved_records_too(
    coordinator: Client, directory: Directory
) -> None:
    # when
    response = coordinator.get(SEARCH)
    # then
    assert response.status_code == 200
    names = [o.name for o in response.context["organizations"]]
    assert "特定非営利活動法人非公開の会" in names
    assert "特定非営利活動法人楽園プロジェクト" in names
    assert len(names) == 7


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("0115550199", "特定非営利活動法人北海道こどもホスピスプロジェクト"),
        (PRIVATE_PHONE, "特定非営利活動法人北海道こどもホスピスプロジェクト"),
        ("private.contact@example", "特定非営利活動法人北海道こどもホスピスプロジェクト"),
        ("1430005014934", "特定非営利活動法人北海道こどもホスピスプロジェクト"),
        ("秘密", "特定非営利活動法人北海道こどもホスピスプロジェクト"),
        ("ひこうかい", "特定非営利活動法人非公開の会"),
    ],
)
def test_staff_search_also_finds_numbers_addresses_and_representatives(
    coordinator: Client, directory: Directory, query: str, expected: str
) -> None:
    # when
    response = coordinator.get(SEARCH, {"q": query})
    # then
    assert [o.name for o in response.context["organizations"]] == [expected]


def test_staff_search_filters_hidden_records(coordinator: Client, directory: Directory) -> None:
    # when
    response = coordinator.get(SEARCH, {"listed": "no", "status": "bogus"})
    # then
    assert response.status_code == 200
    assert [o.name for o in response.context["organizations"]] == ["特定非営利活動法人非公開の会"]


def test_staff_search_answers_in_a_fixed_number_of_queries(
    coordinator: Client, network: Network, django_assert_max_num_queries: Any
) -> None:
    # given
    for number in range(30):
        OrganizationFactory.create(
            name=f"つばさの会{number}", name_kana="ツバサノカイ", corporate_number=""
        )
    # then
    with django_assert_max_num_queries(18):
        response = coordinator.get(SEARCH, {"q": "つばさ"})
    assert len(response.context["organizations"]) == 30


# --- A record ------------------------------------------------------------------------------------


def test_the_record_shows_private_contacts_to_staff_and_the_reading_is_audited(
    coordinator: Client, directory: Directory
) -> None:
    # when
    response = coordinator.get(url("record", directory.hospice.pk))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert PRIVATE_PHONE in page
    assert "非公開" in page
    event = AuditEvent.objects.get(action=Action.READ, object_id=str(directory.hospice.pk))
    assert event.object_type == "organizations.organization"


def test_the_record_names_the_source_of_each_value(
    coordinator: Client, network: Network, directory: Directory
) -> None:
    # given
    admin = staff_member(network, Role.CENTER_ADMIN)
    actions.apply_staff_edit(
        organization=directory.kankyo, changes={"purpose": "環境教育を進める。"}, by=admin
    )
    # when
    page = coordinator.get(url("record", directory.kankyo.pk)).content.decode()
    # then
    assert "環境教育を進める。" in page
    assert "職員による編集" in page or "Staff edit" in page


def test_staff_edit_a_record_and_their_values_win(
    coordinator: Client, directory: Directory
) -> None:
    # given
    organization = directory.moiwa
    data = edit_data(
        organization,
        purpose="子育てサロンと一時預かりを行っています。",
        activity_areas="南区\n札幌市内",
        activity_fields=["13", "1"],
        links="https://www.instagram.com/moiwa_hiroba/\nhttps://moiwa.example.jp/blog",
        email="moiwa@example.jp",
        email_is_public="on",
    )
    # when
    response = coordinator.post(url("edit", organization.pk), data)
    # then
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.purpose == "子育てサロンと一時預かりを行っています。"
    assert organization.activity_area_names() == ["南区", "札幌市内"]
    assert organization.activity_field_codes() == [1, 13]
    assert organization.email_is_public
    assert [(link.kind, link.url) for link in organization.links.all()] == [
        ("instagram", "https://www.instagram.com/moiwa_hiroba/"),
        ("other", "https://moiwa.example.jp/blog"),
    ]
    source = FieldSource.objects.get(organization=organization, field="purpose")
    assert source.kind == SourceKind.STAFF


def test_a_wrong_edit_is_shown_again_with_the_input_kept(
    coordinator: Client, directory: Directory
) -> None:
    # given
    organization = directory.kankyo
    data = edit_data(
        organization,
        name="",
        corporate_number="1430005014935",
        name_kana="ひらがなのよみ",
        postcode="12345",
        purpose="残しておく入力",
        links="not a url",
    )
    # when
    response = coordinator.post(url("edit", organization.pk), data)
    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert {"name", "corporate_number", "name_kana", "postcode", "links"} <= set(form.errors)
    page = response.content.decode()
    assert "残しておく入力" in page
    assert 'aria-invalid="true"' in page
    organization.refresh_from_db()
    assert organization.name == "特定非営利活動法人北海道環境技術推進機構"


def test_a_corporate_number_of_another_record_is_refused(
    coordinator: Client, directory: Directory
) -> None:
    # when
    response = coordinator.post(
        url("edit", directory.moiwa.pk),
        edit_data(directory.moiwa, corporate_number=directory.kankyo.corporate_number),
    )
    # then
    assert response.status_code == 200
    assert "corporate_number" in response.context["form"].errors


def test_the_history_lists_each_change_with_its_source_and_who_made_it(
    coordinator: Client, network: Network, directory: Directory
) -> None:
    # given
    admin = staff_member(network, Role.CENTER_ADMIN, display_name="伊藤 直子")
    actions.apply_staff_edit(
        organization=directory.kankyo, changes={"representative": "山田 一郎"}, by=admin
    )
    # when
    response = coordinator.get(url("history", directory.kankyo.pk))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "佐藤 花子" in page and "山田 一郎" in page
    assert "伊藤 直子" in page


def test_staff_register_a_group_at_their_center(
    coordinator: Client, network: Network, directory: Directory
) -> None:
    # when
    response = coordinator.post(
        url("register", directory.asobi.pk),
        {
            "center": network.own.pk,
            "status": "registered",
            "registered_on": "2024-04-01",
            "center_group_id": "S-0101",
        },
    )
    # then
    assert response.status_code == 302
    registration = CenterRegistration.objects.get(organization=directory.asobi)
    assert registration.center == network.own
    assert registration.registered_on == datetime.date(2024, 4, 1)


def test_staff_cannot_register_a_group_at_another_center(
    coordinator: Client, network: Network, directory: Directory
) -> None:
    # when
    response = coordinator.post(
        url("register", directory.asobi.pk),
        {"center": network.unrelated.pk, "status": "registered"},
    )
    # then
    assert response.status_code == 302
    assert not CenterRegistration.objects.filter(organization=directory.asobi).exists()


# --- The review queue ----------------------------------------------------------------------------


@pytest.fixture
def match(network: Network, directory: Directory) -> MatchReview:
    record = SourceRecordFactory.create(
        center=network.own,
        origin_id="S-0301",
        values={
            "name": "NPO法人北海道環境技術推進機構",
            "municipality": "札幌市東区",
            "center_id": network.own.pk,
        },
    )
    return MatchReview.objects.create(
        source_record=record,
        organization=directory.kankyo,
        score=72.5,
        reasons=[{"code": "same_name", "points": 60}, {"code": "same_municipality", "points": 10}],
    )


def test_the_queue_lists_the_matches_with_their_score_and_reasons(
    coordinator: Client, match: MatchReview
) -> None:
    # when
    response = coordinator.get(url("reviews"))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "72.5" in page
    assert "NPO法人北海道環境技術推進機構" in page


def test_the_review_shows_both_records_side_by_side(
    coordinator: Client, match: MatchReview
) -> None:
    # when
    response = coordinator.get(url("review", match.pk))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "特定非営利活動法人北海道環境技術推進機構" in page
    assert "NPO法人北海道環境技術推進機構" in page
    assert '<th scope="row">' in page
    rows = {row["name"]: row for row in response.context["comparison"]}
    assert rows["name"]["differs"] and not rows["municipality"]["differs"]


def test_staff_link_the_imported_record_to_the_master_record(
    coordinator: Client, match: MatchReview
) -> None:
    # when
    response = coordinator.post(url("review", match.pk), {"decision": "yes"})
    # then
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == ReviewStatus.LINKED
    record = SourceRecord.objects.get(pk=match.source_record.pk)  # type: ignore[union-attr]
    assert record.organization_id == match.organization_id


def test_staff_keep_the_records_apart_and_the_imported_one_becomes_a_new_record(
    coordinator: Client, match: MatchReview
) -> None:
    # when
    response = coordinator.post(url("review", match.pk), {"decision": "no"})
    # then
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == ReviewStatus.SEPARATE
    record = SourceRecord.objects.get(pk=match.source_record.pk)  # type: ignore[union-attr]
    assert record.organization_id not in (None, match.organization_id)


def test_a_decided_match_cannot_be_decided_again(coordinator: Client, match: MatchReview) -> None:
    # given
    coordinator.post(url("review", match.pk), {"decision": "no"})
    # when
    response = coordinator.post(url("review", match.pk), {"decision": "yes"})
    # then
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == ReviewStatus.SEPARATE


def test_a_nonsense_decision_is_refused_without_change(
    coordinator: Client, match: MatchReview
) -> None:
    # when
    response = coordinator.post(url("review", match.pk), {"decision": "maybe"})
    # then
    assert response.status_code == 200
    match.refresh_from_db()
    assert match.status == ReviewStatus.OPEN


# --- Changes proposed by groups ------------------------------------------------------------------


def test_staff_approve_a_change_of_name_a_group_asked_for(
    coordinator: Client, directory: Directory
) -> None:
    # given
    change = ProposedChange.objects.create(
        organization=directory.moiwa, field="name", value="もいわ子育てひろば・ぽけっと"
    )
    # when
    listing = coordinator.get(url("proposed_changes"))
    response = coordinator.post(url("decide_change", change.pk), {"decision": "yes"})
    # then
    assert "もいわ子育てひろば・ぽけっと" in listing.content.decode()
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.APPROVED
    assert Organization.objects.get(pk=directory.moiwa.pk).name == "もいわ子育てひろば・ぽけっと"


def test_staff_reject_a_proposed_change(coordinator: Client, directory: Directory) -> None:
    # given
    change = ProposedChange.objects.create(
        organization=directory.moiwa, field="name", value="別の名前"
    )
    # when
    coordinator.post(url("decide_change", change.pk), {"decision": "no"})
    # then
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.REJECTED
    assert Organization.objects.get(pk=directory.moiwa.pk).name == "もいわ子育てひろば"


# --- Merge and split ------------------------------------------------------------------------


@pytest.fixture
def duplicate(directory: Directory) -> Organization:
    return OrganizationFactory.create(
        name="NPO法人北海道環境技術推進機構",
        name_kana="",
        corporate_number="",
        municipality="札幌市東区",
        purpose="",
        representative="",
        phone="011-555-0123",
    )


def test_the_merge_screen_finds_the_other_record_and_previews_the_result(
    coordinator: Client, directory: Directory, duplicate: Organization
) -> None:
    # when
    found = coordinator.get(url("merge", directory.kankyo.pk), {"q": "環境技術"})
    preview = coordinator.get(url("merge", directory.kankyo.pk), {"other": duplicate.pk})
    # then
    assert [o.pk for o in found.context["candidates"]] == [duplicate.pk]
    assert preview.status_code == 200
    rows = {row["name"]: row for row in preview.context["comparison"]}
    assert rows["phone"]["result"] == directory.kankyo.phone
    assert rows["corporate_number"]["result"] == "9430005005562"
    assert Organization.objects.get(pk=duplicate.pk).status == Status.ACTIVE
    assert not MergeRecord.objects.exists()


def test_staff_merge_two_records_and_undo_the_merge(
    coordinator: Client, directory: Directory, duplicate: Organization
) -> None:
    # when
    merged = coordinator.post(
        url("merge", directory.kankyo.pk) + f"?other={duplicate.pk}", {"keep": directory.kankyo.pk}
    )
    # then
    assert merged.status_code == 302
    assert Organization.objects.get(pk=duplicate.pk).status == Status.MERGED
    merge = MergeRecord.objects.get()
    assert merge.kept_id == directory.kankyo.pk
    # when
    confirm = coordinator.get(url("split", merge.pk))
    split = coordinator.post(url("split", merge.pk))
    # then
    assert confirm.status_code == 200
    assert split.status_code == 302
    assert Organization.objects.get(pk=duplicate.pk).status == Status.ACTIVE
    merge.refresh_from_db()
    assert merge.is_undone


def test_a_merge_with_an_unknown_record_is_refused_on_the_field(
    coordinator: Client, directory: Directory
) -> None:
    # when
    response = coordinator.get(url("merge", directory.kankyo.pk), {"other": "999999"})
    # then
    assert response.status_code == 200
    assert "other" in response.context["other_form"].errors


def test_two_records_with_different_corporate_numbers_cannot_be_merged(
    coordinator: Client, directory: Directory
) -> None:
    # when
    preview = coordinator.get(url("merge", directory.kankyo.pk), {"other": directory.hospice.pk})
    response = coordinator.post(
        url("merge", directory.kankyo.pk) + f"?other={directory.hospice.pk}",
        {"keep": directory.kankyo.pk},
    )
    # then
    assert preview.context["preview_error"]
    assert response.status_code == 200
    assert not MergeRecord.objects.exists()


def test_the_review_queue_answers_in_a_fixed_number_of_queries(
    coordinator: Client, network: Network, directory: Directory, django_assert_max_num_queries: Any
) -> None:
    # given
    for number in range(15):
        record = SourceRecordFactory.create(
            center=network.own, values={"name": f"候補{number}", "municipality": "札幌市"}
        )
        MatchReview.objects.create(
            source_record=record, organization=directory.kankyo, score=60 + number, reasons=[]
        )
    # then
    with django_assert_max_num_queries(12):
        response = coordinator.get(url("reviews"))
    assert len(response.context["reviews"]) == 15
