"""Group self-service: claim the group's page, staff decide, members edit the profile and
post news shown on the page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kyodo.accounts.models import User
from kyodo.centers.models import Role
from kyodo.centers.tests.conftest import Network
from kyodo.centers.tests.factories import CenterFactory, StaffMembershipFactory, UserFactory
from kyodo.organizations.models import (
    FieldSource,
    MemberRole,
    MemberStatus,
    NewsItem,
    Organization,
    OrganizationMember,
    ProposedChange,
    SourceKind,
)
from kyodo.organizations.tests.ui_data import (
    Directory,
    make_directory,
    signed_in,
    staff_member,
)

NOW = datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def directory(network: Network) -> Directory:
    return make_directory(network)


@pytest.fixture
def person() -> User:
    return UserFactory.create(display_name="中村 翔太", email="nakamura@example.jp")


@pytest.fixture
def member(person: User, directory: Directory) -> User:
    OrganizationMember.objects.create(
        organization=directory.moiwa,
        user=person,
        role=MemberRole.REPRESENTATIVE,
        role_in_group="代表",
        status=MemberStatus.APPROVED,
    )
    return person


def url(name: str, organization: Organization, *args: Any) -> str:
    return reverse(f"organizations:{name}", args=[organization.pk, *args])


def staff_url(name: str, *args: Any) -> str:
    return reverse(f"organizations_staff:{name}", args=args)


def profile_data(organization: Organization, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": organization.name,
        "name_kana": organization.name_kana,
        "corporate_number": organization.corporate_number,
        "competent_authority": organization.competent_authority,
        "representative": organization.representative,
        "purpose": organization.purpose,
        "activities": organization.activities,
        "phone": organization.phone,
        "fax": organization.fax,
        "email": organization.email,
        "contact_person": organization.contact_person,
        "website": organization.website,
        "activity_fields": [str(code) for code in organization.activity_field_codes()],
        "activity_areas": "\n".join(organization.activity_area_names()),
        "links": "",
    }
    for flag in ("representative_is_public", "phone_is_public", "fax_is_public",
                 "email_is_public", "contact_person_is_public", "address_is_public"):  # fmt: skip
        if getattr(organization, flag):
            data[flag] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Claims -------------------------------------------------------------------------------------


def test_a_signed_in_person_asks_to_manage_the_page_of_their_group(
    person: User, directory: Directory
) -> None:
    # given
    client = signed_in(person)
    # when
    form = client.get(url("claim", directory.moiwa))
    response = client.post(
        url("claim", directory.moiwa),
        {
            "role": "representative",
            "role_in_group": "代表",
            "phone": "０１１-５５５-０１２３",
            "message": "代表の中村です。",
        },
    )
    # then
    assert form.status_code == 200
    assert response.status_code == 302
    claim = OrganizationMember.objects.get()
    assert claim.status == MemberStatus.REQUESTED
    assert claim.role == MemberRole.REPRESENTATIVE
    assert claim.phone == "011-555-0123"
    page = client.get(url("detail", directory.moiwa)).content.decode()
    assert "承認を待っています" in page or "waiting" in page


def test_an_anonymous_visitor_is_asked_to_sign_in_before_claiming(
    client: Client, directory: Directory
) -> None:
    # when
    response = client.get(url("claim", directory.moiwa))
    # then
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_person_without_a_verified_address_cannot_claim_yet(directory: Directory) -> None:
    # given
    client = signed_in(UserFactory.create(email_verified_at=None))
    # when
    page = client.get(url("claim", directory.moiwa)).content.decode()
    response = client.post(
        url("claim", directory.moiwa),
        {"role": "member", "role_in_group": "会計", "phone": "011-555-0123"},
    )
    # then
    assert "accounts/verify/again/" in page
    assert response.status_code == 200
    assert not OrganizationMember.objects.exists()


def test_a_wrong_claim_is_shown_again_with_the_input_kept(
    person: User, directory: Directory
) -> None:
    # when
    response = signed_in(person).post(
        url("claim", directory.moiwa),
        {"role": "boss", "role_in_group": "", "phone": "12", "message": "残す文章"},
    )
    # then
    assert response.status_code == 200
    assert {"role", "role_in_group", "phone"} <= set(response.context["form"].errors)
    assert "残す文章" in response.content.decode()
    assert not OrganizationMember.objects.exists()


def test_a_second_claim_by_the_same_person_is_not_created(
    person: User, directory: Directory
) -> None:
    # given
    client = signed_in(person)
    data = {"role": "member", "role_in_group": "会計", "phone": "011-555-0123"}
    client.post(url("claim", directory.moiwa), data)
    # when
    response = client.post(url("claim", directory.moiwa), data)
    # then
    assert response.status_code == 302
    assert OrganizationMember.objects.count() == 1


def test_staff_of_the_center_where_the_group_is_registered_approve_the_claim(
    person: User,
    directory: Directory,
    network: Network,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    claim = OrganizationMember.objects.create(
        organization=directory.moiwa, user=person, role_in_group="代表", phone="011-555-0123"
    )
    staff = signed_in(staff_member(network, Role.RECEPTION))
    # when
    queue = staff.get(staff_url("claims"))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            staff_url("decide_claim", claim.pk), {"decision": "yes", "note": "電話で確認済み"}
        )
    # then
    assert "中村 翔太" in queue.content.decode()
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == MemberStatus.APPROVED
    assert claim.decision_note == "電話で確認済み"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nakamura@example.jp"]
    assert f"/organizations/{directory.moiwa.pk}/manage/" in mail.outbox[0].body


def test_staff_of_another_center_neither_see_nor_decide_the_claim(
    person: User, directory: Directory
) -> None:
    # given
    claim = OrganizationMember.objects.create(organization=directory.moiwa, user=person)
    elsewhere = UserFactory.create()
    StaffMembershipFactory.create(
        user=elsewhere, center=CenterFactory.create(), role=Role.COORDINATOR
    )
    client = signed_in(elsewhere)
    # when
    queue = client.get(staff_url("claims"))
    response = client.post(staff_url("decide_claim", claim.pk), {"decision": "yes"})
    # then
    assert queue.context["members"] == []
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == MemberStatus.REQUESTED


def test_staff_reject_a_claim_and_the_person_is_told(
    person: User, directory: Directory, network: Network, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    claim = OrganizationMember.objects.create(organization=directory.moiwa, user=person)
    staff = signed_in(staff_member(network))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(staff_url("decide_claim", claim.pk), {"decision": "no"})
    # then
    claim.refresh_from_db()
    assert claim.status == MemberStatus.REJECTED
    assert len(mail.outbox) == 1


def test_a_claim_on_a_group_registered_nowhere_is_decided_by_any_center_s_staff(
    person: User, directory: Directory
) -> None:
    # given
    claim = OrganizationMember.objects.create(organization=directory.asobi, user=person)
    elsewhere = UserFactory.create()
    StaffMembershipFactory.create(
        user=elsewhere, center=CenterFactory.create(), role=Role.COORDINATOR
    )
    # when
    signed_in(elsewhere).post(staff_url("decide_claim", claim.pk), {"decision": "yes"})
    # then
    claim.refresh_from_db()
    assert claim.status == MemberStatus.APPROVED


# --- Managing the page ------------------------------------------------------------------------


def test_only_approved_members_manage_the_page(person: User, directory: Directory) -> None:
    # given
    OrganizationMember.objects.create(organization=directory.moiwa, user=person)
    client = signed_in(person)
    # when
    manage = client.get(url("manage", directory.moiwa))
    edit = client.get(url("edit_profile", directory.moiwa))
    # then
    assert manage.status_code == 403 and edit.status_code == 403


def test_a_member_edits_the_profile_and_it_shows_at_once_with_the_group_as_source(
    member: User, directory: Directory, client: Client
) -> None:
    # given
    organization = directory.moiwa
    data = profile_data(
        organization,
        purpose="乳幼児と保護者の居場所づくりをしています。",
        email="moiwa@example.jp",
        email_is_public="on",
        phone="011-555-0100",
        activity_areas="南区\n札幌市内",
        links="https://www.instagram.com/moiwa_hiroba/",
    )
    # when
    response = signed_in(member).post(url("edit_profile", organization), data)
    # then
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.purpose == "乳幼児と保護者の居場所づくりをしています。"
    assert organization.email_is_public and not organization.phone_is_public
    assert (
        FieldSource.objects.get(organization=organization, field="purpose").kind == SourceKind.GROUP
    )
    page = client.get(url("detail", organization)).content.decode()
    assert "moiwa@example.jp" in page
    assert "011-555-0100" not in page
    assert "https://www.instagram.com/moiwa_hiroba/" in page


def test_a_change_of_name_waits_for_staff_before_it_shows(
    member: User, directory: Directory, client: Client
) -> None:
    # given
    organization = directory.moiwa
    # when
    signed_in(member).post(
        url("edit_profile", organization), profile_data(organization, name="もいわ子育てネット")
    )
    # then
    organization.refresh_from_db()
    assert organization.name == "もいわ子育てひろば"
    change = ProposedChange.objects.get()
    assert change.field == "name" and change.value == "もいわ子育てネット"
    assert "もいわ子育てネット" not in client.get(url("detail", organization)).content.decode()
    manage = signed_in(member).get(url("manage", organization)).content.decode()
    assert "もいわ子育てネット" in manage


def test_a_wrong_profile_is_shown_again_with_the_errors_on_their_fields(
    member: User, directory: Directory
) -> None:
    # when
    response = signed_in(member).post(
        url("edit_profile", directory.moiwa),
        profile_data(
            directory.moiwa,
            email="not-an-address",
            corporate_number="123",
            purpose="残す目的",
            links="ftp://example.jp/",
        ),
    )
    # then
    assert response.status_code == 200
    assert {"email", "corporate_number", "links"} <= set(response.context["form"].errors)
    assert "残す目的" in response.content.decode()
    assert not ProposedChange.objects.exists()


# --- News ---------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_member_posts_news_that_shows_on_the_page(
    member: User, directory: Directory, client: Client
) -> None:
    # when
    response = signed_in(member).post(
        url("news_create", directory.moiwa),
        {"title": "7月の子育てサロン", "body": "毎週火曜日に開きます。", "is_published": "on"},
    )
    # then
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.published_at == timezone.now() and item.created_by == member
    page = client.get(url("detail", directory.moiwa)).content.decode()
    assert "7月の子育てサロン" in page and "毎週火曜日に開きます。" in page
    api = client.get(f"/api/v1/organizations/{directory.moiwa.pk}").json()
    assert api["news"][0]["title"] == "7月の子育てサロン"


@time_machine.travel(NOW, tick=False)
def test_drafts_and_items_dated_later_do_not_show_yet(
    member: User, directory: Directory, client: Client
) -> None:
    # given
    client_member = signed_in(member)
    client_member.post(url("news_create", directory.moiwa), {"title": "下書き", "body": "まだ"})
    client_member.post(
        url("news_create", directory.moiwa),
        {
            "title": "予約投稿",
            "body": "あとで",
            "published_at": "2026-08-01T09:00",
            "is_published": "on",
        },
    )
    # when
    page = client.get(url("detail", directory.moiwa)).content.decode()
    # then
    assert NewsItem.objects.count() == 2
    assert "下書き" not in page and "予約投稿" not in page


def test_a_member_edits_and_deletes_their_news(member: User, directory: Directory) -> None:
    # given
    item = NewsItem.objects.create(
        organization=directory.moiwa, title="古い題", body="本文", created_by=member
    )
    client = signed_in(member)
    # when
    edited = client.post(
        url("news_edit", directory.moiwa, item.pk),
        {
            "title": "新しい題",
            "body": "本文",
            "published_at": "2026-06-01T10:00",
            "is_published": "on",
        },
    )
    # then
    assert edited.status_code == 302
    item.refresh_from_db()
    assert item.title == "新しい題"
    # when
    confirm = client.get(url("news_delete", directory.moiwa, item.pk))
    deleted = client.post(url("news_delete", directory.moiwa, item.pk))
    # then
    assert confirm.status_code == 200 and deleted.status_code == 302
    assert not NewsItem.objects.exists()


def test_an_empty_news_item_is_refused_with_the_input_kept(
    member: User, directory: Directory
) -> None:
    # when
    response = signed_in(member).post(
        url("news_create", directory.moiwa),
        {"title": "", "body": "残す本文", "published_at": "昨日"},
    )
    # then
    assert response.status_code == 200
    assert {"title", "published_at"} <= set(response.context["form"].errors)
    assert "残す本文" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_a_member_cannot_change_news_of_another_group_or_of_another_member(
    member: User, directory: Directory
) -> None:
    # given
    other_group = NewsItem.objects.create(organization=directory.asobi, title="よそ", body="x")
    colleague = UserFactory.create()
    OrganizationMember.objects.create(
        organization=directory.moiwa, user=colleague, status=MemberStatus.APPROVED
    )
    theirs = NewsItem.objects.create(
        organization=directory.moiwa, title="代表の記事", body="x", created_by=member
    )
    client = signed_in(colleague)
    # when
    foreign = client.post(url("news_delete", directory.moiwa, other_group.pk))
    not_own = client.post(url("news_delete", directory.moiwa, theirs.pk))
    # then
    assert foreign.status_code == 404
    assert not_own.status_code == 403
    assert NewsItem.objects.count() == 2


def test_the_persons_groups_are_listed(member: User, directory: Directory) -> None:
    # when
    page = signed_in(member).get(reverse("organizations:mine")).content.decode()
    # then
    assert "もいわ子育てひろば" in page
    assert url("manage", directory.moiwa) in page


def test_the_claims_queue_answers_in_a_fixed_number_of_queries(
    network: Network, directory: Directory, django_assert_max_num_queries: Any
) -> None:
    # given
    for organization in (directory.moiwa, directory.asobi, directory.kankyo):
        for _ in range(4):
            OrganizationMember.objects.create(organization=organization, user=UserFactory.create())
    staff = signed_in(staff_member(network))
    # then
    with django_assert_max_num_queries(14):
        response = staff.get(staff_url("claims"))
    assert len(response.context["members"]) == 12
