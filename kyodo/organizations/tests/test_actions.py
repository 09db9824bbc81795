"""Review decisions, merges and splits, unlinking, staff and group edits: what they change,
who may do them, and the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kyodo.accounts.models import User
from kyodo.audit.models import AuditEvent
from kyodo.centers.models import Role
from kyodo.centers.tests.factories import StaffMembershipFactory, UserFactory
from kyodo.japanese.corporate_number import check_digit
from kyodo.organizations import actions
from kyodo.organizations.actions import linking
from kyodo.organizations.models import (
    CenterRegistration,
    FieldChange,
    FieldSource,
    MatchReview,
    MemberStatus,
    MergeRecord,
    NewsItem,
    Organization,
    OrganizationMember,
    OrganizationName,
    ProposedChange,
    RegistrationStatus,
    ReviewStatus,
    SourceKind,
    SourceRecord,
    Status,
)
from kyodo.organizations.tests.conftest import Importer, Network
from kyodo.organizations.tests.factories import OrganizationFactory
from kyodo.organizations.tests.test_import_nta import KAZAGURUMA, nta_row

pytestmark = pytest.mark.django_db

KAZAGURUMA_NTA = nta_row(
    2647, KAZAGURUMA, "01", "2021-07-19", "2015-10-05", "特定非営利活動法人子育て応援かざぐるま",
    street="南三条西２８丁目１番２０号", postcode="0640803", kana="コソダテオウエンカザグルマ",
)  # fmt: skip


def staff_of(network: Network) -> User:
    user = UserFactory.create()
    StaffMembershipFactory(user=user, center=network.own, role=Role.COORDINATOR)
    return user


def audit_operations() -> list[str]:
    """The operations of the audit events about organizations (imports have none)."""
    events = AuditEvent.objects.order_by("pk")
    return [e.details["operation"] for e in events if "operation" in e.details]


def center_row(run_import: Importer, network: Network, row: str) -> None:
    header = "団体ID,団体名,所在地,郵便番号,電話番号,登録日\n"
    run_import("center_list", header + row + "\n", center=network.own)


def test_deciding_same_links_the_waiting_record_with_its_registration(
    run_import: Importer, network: Network
) -> None:
    # given: the center's row waits for review (same name, nothing else to go on)
    run_import("nta", KAZAGURUMA_NTA)
    center_row(run_import, network, "0012,子育て応援かざぐるま,,,011-611-0000,2023-04-01")
    review = MatchReview.objects.get()
    by = staff_of(network)

    # when
    organization = actions.decide_match_review(review=review, same=True, by=by)

    # then
    assert organization is not None and organization.corporate_number == KAZAGURUMA
    assert organization.phone == "011-611-0000"
    registration = organization.registrations.get()
    assert (registration.center, registration.center_group_id) == (network.own, "0012")
    record = SourceRecord.objects.get(source=SourceKind.CENTER_LIST)
    assert (record.organization, record.how_linked) == (organization, "reviewed")
    review.refresh_from_db()
    assert (review.status, review.decided_by) == (ReviewStatus.LINKED, by)
    assert audit_operations()[-1] == "decide_match"
    with pytest.raises(ValidationError):
        actions.decide_match_review(review=review, same=False, by=by)


def test_deciding_different_makes_the_waiting_record_a_new_organization(
    run_import: Importer, network: Network
) -> None:
    # given
    run_import("nta", KAZAGURUMA_NTA)
    center_row(run_import, network, "0012,子育て応援かざぐるま,,,,")
    review = MatchReview.objects.get()

    # when
    created = actions.decide_match_review(review=review, same=False, by=staff_of(network))

    # then
    assert created is not None and created.corporate_number == ""
    assert Organization.objects.count() == 2
    assert created.registrations.get().center == network.own


def test_a_citizen_may_not_decide_reviews_merge_or_edit(
    run_import: Importer, network: Network
) -> None:
    # given
    run_import("nta", KAZAGURUMA_NTA)
    center_row(run_import, network, "0012,子育て応援かざぐるま,,,,")
    citizen = UserFactory.create()
    organization = Organization.objects.get()

    # then
    with pytest.raises(PermissionDenied):
        actions.decide_match_review(review=MatchReview.objects.get(), same=True, by=citizen)
    with pytest.raises(PermissionDenied):
        actions.apply_staff_edit(organization=organization, changes={"phone": "1"}, by=citizen)
    with pytest.raises(PermissionDenied):
        actions.merge_organizations(
            keep=organization, remove=OrganizationFactory.create(), by=citizen
        )


def test_merging_takes_the_stronger_values_moves_everything_and_split_restores_it(
    run_import: Importer, network: Network
) -> None:
    # given: a center's record (with phone and registration) and the official one
    center_row(
        run_import, network, "0012,子育て応援かざぐるま,札幌市北区北7条西2丁目,,011-611-0000,"
    )
    run_import("nta", KAZAGURUMA_NTA)  # a doubtful match: created and queued
    keep = Organization.objects.get(corporate_number="")
    remove = Organization.objects.get(corporate_number=KAZAGURUMA)
    by = staff_of(network)

    # when
    merge = actions.merge_organizations(keep=keep, remove=remove, by=by)

    # then: official values win over the center's, the phone stays, all rows moved
    keep.refresh_from_db()
    remove.refresh_from_db()
    assert keep.corporate_number == KAZAGURUMA
    assert keep.name == "特定非営利活動法人子育て応援かざぐるま"
    assert keep.municipality == "札幌市中央区"
    assert keep.phone == "011-611-0000"
    assert keep.source_records.count() == 2
    assert keep.registrations.count() == 1
    assert (remove.status, remove.merged_into, remove.corporate_number) == (
        Status.MERGED,
        keep,
        "",
    )
    assert Organization.objects.current().count() == 1
    assert MatchReview.objects.get().status == ReviewStatus.LINKED
    assert FieldSource.objects.get(organization=keep, field="name").kind == SourceKind.NTA

    # when
    restored = actions.split_organization(merge_record=merge, by=by)

    # then
    keep.refresh_from_db()
    restored.refresh_from_db()
    assert (keep.name, keep.corporate_number, keep.municipality) == (
        "子育て応援かざぐるま",
        "",
        "札幌市北区",
    )
    assert (restored.status, restored.corporate_number) == (Status.ACTIVE, KAZAGURUMA)
    assert restored.source_records.get().source == SourceKind.NTA
    assert keep.source_records.get().source == SourceKind.CENTER_LIST
    assert FieldSource.objects.get(organization=keep, field="name").kind == SourceKind.CENTER_LIST
    assert not keep.names.filter(name=restored.name).exists()
    assert audit_operations()[-2:] == ["merge", "split"]
    with pytest.raises(ValidationError):
        actions.split_organization(merge_record=MergeRecord.objects.get(), by=by)


def test_records_with_different_corporate_numbers_cannot_be_merged(network: Network) -> None:
    # given
    a = OrganizationFactory.create(corporate_number="8430005004276")
    b = OrganizationFactory.create(corporate_number="4430005013181")

    # then
    with pytest.raises(ValidationError):
        actions.merge_organizations(keep=a, remove=b, by=staff_of(network))
    assert not MergeRecord.objects.exists()


def test_deciding_a_pair_review_same_merges_the_two_records(
    run_import: Importer, network: Network
) -> None:
    # given
    center_row(run_import, network, "0012,子育て応援かざぐるま,札幌市北区北7条西2丁目,,,")
    run_import("nta", KAZAGURUMA_NTA)
    review = MatchReview.objects.get()

    # when
    actions.decide_match_review(review=review, same=True, by=staff_of(network))

    # then
    assert Organization.objects.current().get().corporate_number == KAZAGURUMA
    assert MergeRecord.objects.count() == 1


def test_unlinking_a_wrong_link_gives_the_old_values_back_and_moves_the_registration(
    run_import: Importer, network: Network
) -> None:
    # given: a center's row linked automatically, changing the phone
    run_import("nta", KAZAGURUMA_NTA)
    organization = Organization.objects.get()
    actions.apply_staff_edit(
        organization=organization, changes={"phone": "011-000-1111"}, by=staff_of(network)
    )
    organization.refresh_from_db()
    FieldSource.objects.filter(organization=organization, field="phone").update(
        kind=SourceKind.CENTER_LIST
    )  # as if an earlier center list had set it
    center_row(
        run_import,
        network,
        "0012,子育て応援かざぐるま,札幌市中央区南3条西28丁目1-20,064-0803,011-611-0000,",
    )
    organization.refresh_from_db()
    assert organization.phone == "011-611-0000"
    record = SourceRecord.objects.get(source=SourceKind.CENTER_LIST)

    # when
    new = actions.unlink_source_record(source_record=record, by=staff_of(network))

    # then
    organization.refresh_from_db()
    assert organization.phone == "011-000-1111"
    assert not organization.registrations.exists()
    assert new.registrations.get().center_group_id == "0012"
    record.refresh_from_db()
    assert (record.organization, record.how_linked) == (new, SourceRecord.HowLinked.CREATED)
    assert audit_operations()[-1] == "unlink"


def test_a_staff_edit_wins_over_a_later_import(run_import: Importer, network: Network) -> None:
    # given
    run_import("nta", KAZAGURUMA_NTA)
    organization = Organization.objects.get()
    by = staff_of(network)

    # when
    changed = actions.apply_staff_edit(
        organization=organization,
        changes={"street": "南3条西28丁目1-20 かざぐるまハウス", "phone_is_public": True},
        by=by,
    )
    run_import(
        "nta",
        nta_row(
            3000,
            KAZAGURUMA,
            "12",
            "2024-06-01",
            "2024-05-20",
            "特定非営利活動法人子育て応援かざぐるま",
            street="南四条西１丁目",
        ),
    )

    # then
    organization.refresh_from_db()
    assert changed == ["street", "phone_is_public"]
    assert organization.street == "南3条西28丁目1-20 かざぐるまハウス"
    assert organization.phone_is_public
    change = FieldChange.objects.get(field="street")
    assert (change.kind, change.changed_by, change.old_value) == (
        SourceKind.STAFF,
        by,
        "南三条西２８丁目１番２０号",
    )
    assert audit_operations()[-1] == "staff_edit"


def test_a_staff_edit_is_validated(network: Network) -> None:
    # given
    organization = OrganizationFactory.create()
    # (the factory runs out of real 法人番号 after its rows: give this one its own)
    base = "600001001234"
    other = OrganizationFactory.create(corporate_number=f"{check_digit(base)}{base}")

    # then
    by = staff_of(network)
    with pytest.raises(ValidationError):
        actions.apply_staff_edit(
            organization=organization, changes={"corporate_number": "1234567890123"}, by=by
        )
    with pytest.raises(ValidationError):
        actions.apply_staff_edit(
            organization=organization, changes={"corporate_number": other.corporate_number}, by=by
        )
    with pytest.raises(ValidationError):
        actions.apply_staff_edit(organization=organization, changes={"name_key": "x"}, by=by)


def test_a_group_edit_applies_at_once_but_a_new_name_waits_for_staff(network: Network) -> None:
    # given
    organization = OrganizationFactory.create(name="特定非営利活動法人子育て応援かざぐるま")
    member = UserFactory.create()

    # when
    changed, proposed = actions.propose_organization_changes(
        organization=organization,
        changes={
            "name": "特定非営利活動法人かざぐるま",
            "website": "https://kazaguruma.example.jp/",
        },
        by=member,
    )

    # then
    organization.refresh_from_db()
    assert changed == ["website"]
    assert organization.name == "特定非営利活動法人子育て応援かざぐるま"
    assert [(p.field, p.value, p.status) for p in proposed] == [
        ("name", "特定非営利活動法人かざぐるま", ProposedChange.Status.PENDING)
    ]

    # when
    applied = actions.decide_proposed_change(change=proposed[0], approve=True, by=staff_of(network))

    # then
    organization.refresh_from_db()
    assert applied and organization.name == "特定非営利活動法人かざぐるま"
    assert organization.names.get(kind=OrganizationName.Kind.FORMER).name.endswith(
        "子育て応援かざぐるま"
    )
    assert FieldSource.objects.get(organization=organization, field="name").kind == SourceKind.GROUP


def test_staff_register_suspend_and_end_a_registration(network: Network) -> None:
    # given
    organization = OrganizationFactory.create(voluntary=True)
    by = staff_of(network)

    # when
    actions.set_center_registration(
        organization=organization,
        center=network.own,
        status=RegistrationStatus.REGISTERED,
        registered_on=datetime.date(2024, 4, 1),
        center_group_id="0158",
        by=by,
    )
    ended = actions.set_center_registration(
        organization=organization,
        center=network.own,
        status=RegistrationStatus.ENDED,
        ended_on=datetime.date(2025, 3, 31),
        by=by,
    )

    # then
    assert (ended.status, ended.ended_on, ended.center_group_id) == (
        RegistrationStatus.ENDED,
        datetime.date(2025, 3, 31),
        "0158",
    )
    assert CenterRegistration.objects.count() == 1
    with pytest.raises(PermissionDenied):
        actions.set_center_registration(
            organization=organization,
            center=network.unrelated,
            status=RegistrationStatus.REGISTERED,
            by=by,
        )


def test_possible_duplicates_in_the_registry_are_queued_once(network: Network) -> None:
    # given
    OrganizationFactory.create(
        name="特定非営利活動法人手と手", municipality="札幌市豊平区", corporate_number=""
    )
    OrganizationFactory.create(name="手と手", municipality="札幌市豊平区", voluntary=True)
    OrganizationFactory.create(name="特定非営利活動法人北海道環境技術推進機構")

    # when
    first = actions.queue_possible_duplicates(by=staff_of(network))
    again = actions.queue_possible_duplicates()

    # then
    assert (first, again) == (1, 0)
    review = MatchReview.objects.get()
    assert review.other_organization is not None and review.source_record is None


def test_linking_a_waiting_record_by_hand_to_any_organization(
    run_import: Importer, network: Network
) -> None:
    # given
    run_import("nta", KAZAGURUMA_NTA)
    center_row(run_import, network, "0012,子育て応援かざぐるま,,,,")
    record = SourceRecord.objects.get(source=SourceKind.CENTER_LIST)
    chosen = OrganizationFactory.create(voluntary=True)

    # when
    actions.link_source_record(source_record=record, organization=chosen, by=staff_of(network))

    # then
    record.refresh_from_db()
    assert (record.organization, record.how_linked) == (chosen, SourceRecord.HowLinked.MANUAL)
    assert MatchReview.objects.get().status == ReviewStatus.SEPARATE


def test_a_merge_moves_news_and_members_and_a_split_takes_them_back(network: Network) -> None:
    # given
    keep = OrganizationFactory.create(voluntary=True, name="子育て応援かざぐるま")
    remove = OrganizationFactory.create(name="特定非営利活動法人子育て応援かざぐるま")
    news = NewsItem.objects.create(
        organization=remove, title="夏の親子工作会", body="7月20日に開催します。"
    )
    member = OrganizationMember.objects.create(
        organization=remove, user=UserFactory.create(), status=MemberStatus.APPROVED
    )
    by = staff_of(network)

    # when
    merge = actions.merge_organizations(keep=keep, remove=remove, by=by)

    # then
    news.refresh_from_db()
    member.refresh_from_db()
    assert (news.organization, member.organization) == (keep, keep)

    # when
    actions.split_organization(merge_record=merge, by=by)

    # then
    news.refresh_from_db()
    member.refresh_from_db()
    assert (news.organization, member.organization) == (remove, remove)


def test_merges_know_the_foreign_keys_of_other_apps_to_organizations() -> None:
    # given: every concrete key of another app pointing at Organization
    from django.apps import apps

    expected = {
        (model, field.name)
        for model in apps.get_models()
        if model._meta.app_label != "organizations"
        for field in model._meta.get_fields()
        if getattr(field, "related_model", None) is Organization and field.concrete
    }

    # then
    assert set(linking._outside_relations()) == expected
