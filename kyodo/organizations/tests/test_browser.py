"""The organization pages in a real browser, each checked with axe-core; the directory
searched and browsed by its 50音 index with the keyboard only."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kyodo.centers.models import Role
from kyodo.centers.tests.factories import PASSWORD, CenterFactory, UserFactory
from kyodo.organizations import actions
from kyodo.organizations.models import MatchReview, MemberRole, MemberStatus, OrganizationMember
from kyodo.organizations.tests.factories import SourceRecordFactory
from kyodo.organizations.tests.ui_data import Directory, make_directory, staff_member
from tests.browser.plugin import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory() -> Directory:
    from kyodo.centers.tests.conftest import Network

    own = CenterFactory.create(
        slug="sapporo",
        name="札幌市市民活動サポートセンター",
        name_kana="サッポロシシミンカツドウサポートセンター",
        prefecture="北海道",
        municipality="札幌市",
    )
    network = Network(own=own, partner=CenterFactory.create(), unrelated=CenterFactory.create())
    found = make_directory(network)
    found.network = network  # type: ignore[attr-defined]
    return found


def test_the_directory_is_searched_and_browsed_with_the_keyboard_only(
    page: Any, directory: Directory
) -> None:
    # given
    page.emulate_media(reduced_motion="reduce")
    page.goto("/organizations/")
    assert_accessible(page)
    # when: Tab to the keyword box, type, and send with Enter
    page.keyboard.press("Tab")  # the skip link
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "q":
            break
    page.keyboard.type("子育")
    page.keyboard.press("Enter")
    # then (the results are swapped in by htmx: wait for them, not for the network, which
    # can be idle before the request starts)
    expect(page.locator("#organization-count")).to_have_text("1件の団体")
    assert page.get_by_role("heading", name="もいわ子育てひろば").is_visible()
    assert_accessible(page)
    # when: the 50音 index, reached and followed with the keyboard
    page.goto("/organizations/")
    link = page.get_by_role("navigation", name="50音索引").get_by_role("link", name="ま行")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    # then
    expect(page.locator("#organization-count")).to_have_text("1件の団体")
    assert "row=" in page.url
    assert page.get_by_role("heading", name="もいわ子育てひろば").is_visible()
    assert_accessible(page)


def test_a_one_character_search_explains_itself_accessibly(page: Any, directory: Directory) -> None:
    # when
    page.goto("/organizations/?q=子")
    # then
    assert page.get_by_text("2文字以上").first.is_visible()
    assert_accessible(page)


def test_the_page_of_an_organization_is_accessible(page: Any, directory: Directory) -> None:
    # when
    page.goto(f"/organizations/{directory.hospice.pk}/")
    # then
    assert page.get_by_role("heading", level=1).inner_text() == (
        "特定非営利活動法人北海道こどもホスピスプロジェクト"
    )
    assert_accessible(page)


def test_the_claim_form_is_accessible(page: Any, directory: Directory) -> None:
    # given
    person = UserFactory.create()
    sign_in(page, person.email, PASSWORD)
    # when
    page.goto(f"/organizations/{directory.moiwa.pk}/claim/")
    # then
    assert_accessible(page)


def test_the_group_profile_form_shows_an_error_accessibly(page: Any, directory: Directory) -> None:
    # given
    person = UserFactory.create()
    OrganizationMember.objects.create(
        organization=directory.moiwa,
        user=person,
        role=MemberRole.REPRESENTATIVE,
        status=MemberStatus.APPROVED,
    )
    sign_in(page, person.email, PASSWORD)
    page.goto(f"/organizations/{directory.moiwa.pk}/manage/profile/")
    assert_accessible(page)
    # when
    page.get_by_label("メールアドレス", exact=True).fill("まちがい")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    # then
    assert page.locator(".form-errors").is_visible()
    assert page.get_by_label("メールアドレス", exact=True).get_attribute("aria-invalid") == "true"
    assert_accessible(page)


@pytest.fixture
def coordinator(page: Any, directory: Directory) -> Any:
    user = staff_member(directory.network, Role.COORDINATOR)  # type: ignore[attr-defined]
    sign_in(page, user.email, PASSWORD)
    return user


def test_the_staff_search_and_record_are_accessible(
    page: Any, directory: Directory, coordinator: Any
) -> None:
    # when
    page.goto("/staff/organizations/?q=ホスピス")
    # then
    assert_accessible(page)
    # when
    page.get_by_role("link", name="特定非営利活動法人北海道こどもホスピスプロジェクト").click()
    page.wait_for_load_state("networkidle")
    # then
    assert_accessible(page)


def test_the_review_of_a_match_side_by_side_is_accessible(
    page: Any, directory: Directory, coordinator: Any
) -> None:
    # given
    record = SourceRecordFactory.create(
        center=directory.network.own,  # type: ignore[attr-defined]
        values={"name": "NPO法人北海道環境技術推進機構", "municipality": "札幌市東区"},
    )
    MatchReview.objects.create(
        source_record=record,
        organization=directory.kankyo,
        score=72.5,
        reasons=[{"code": "same_name", "points": 60}],
    )
    # when
    page.goto("/staff/organizations/reviews/")
    assert_accessible(page)
    page.get_by_role("link", name="比較").first.click()
    page.wait_for_load_state("networkidle")
    # then
    assert page.get_by_role("table").is_visible()
    assert_accessible(page)


def test_the_import_report_is_accessible(page: Any, directory: Directory, coordinator: Any) -> None:
    # given
    report = actions.import_organizations(
        source="center_list",
        data="団体ID,名称\r\nA1,発寒ひまわり町内会\r\nA2,\r\n".encode(),
        file_name="list.csv",
        center=directory.network.own,  # type: ignore[attr-defined]
    )
    # when
    page.goto("/staff/organizations/imports/")
    assert_accessible(page)
    page.goto(f"/staff/organizations/imports/{report.run_id}/")
    # then
    assert "list.csv" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
