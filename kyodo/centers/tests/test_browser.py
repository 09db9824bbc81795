"""The centers pages, the back office and the audit log in a real browser, each checked
with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers.models import CenterKind, RecordKind, Role
from kyodo.centers.tests.factories import (
    PASSWORD,
    CenterFactory,
    PartnershipFactory,
    SharingRuleFactory,
    StaffMembershipFactory,
    UserFactory,
)
from tests.browser.plugin import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sapporo() -> Any:
    center = CenterFactory.create(
        slug="sapporo",
        name="札幌市市民活動サポートセンター",
        name_kana="サッポロシシミンカツドウサポートセンター",
        prefecture="北海道",
        municipality="札幌市",
        area_served="札幌市内",
        services=["consultation", "training", "office_booths"],
    )
    prefectural = CenterFactory.create(
        slug="hokkaido",
        name="北海道立市民活動促進センター",
        name_kana="ホッカイドウリツシミンカツドウソクシンセンター",
        kind=CenterKind.PREFECTURAL,
        prefecture="北海道",
        municipality="",
        area_served="全道",
        services=["intermediary_support", "training"],
    )
    CenterFactory.create(
        slug="yokohama",
        name="横浜市市民協働推進センター",
        name_kana="ヨコハマシシミンキョウドウスイシンセンター",
        prefecture="神奈川県",
        municipality="横浜市",
        area_served="横浜市内",
        services=["collaboration"],
    )
    PartnershipFactory.create(
        first=center, second=prefectural, description="研修・セミナー等での連携協力"
    )
    SharingRuleFactory.create(owner=prefectural, partner=center, kind=RecordKind.CONSULTATION_LISTS)
    return center


@pytest.fixture
def admin(sapporo: Any) -> Any:
    user = UserFactory.create(display_name="伊藤 直子", email="ito.naoko@example.jp")
    StaffMembershipFactory.create(user=user, center=sapporo, role=Role.CENTER_ADMIN)
    StaffMembershipFactory.create(center=sapporo, role=Role.RECEPTION)
    record_event(
        actor=user, action=Action.UPDATE, target=sapporo, center=sapporo, details={"fields": []}
    )
    return user


def test_the_center_list_filters_with_the_keyboard_and_is_accessible(
    page: Any, sapporo: Any
) -> None:
    # given
    page.emulate_media(reduced_motion="reduce")
    page.goto("/centers/")
    assert_accessible(page)
    # when: type a keyword and press Enter
    page.get_by_label("キーワード").focus()
    page.keyboard.type("横浜")
    page.keyboard.press("Enter")
    # then
    status = page.locator("#center-count")
    status.filter(has_text="1件のセンター").wait_for()
    assert page.locator("#center-results .card").count() == 1
    assert page.get_by_label("キーワード").input_value() == "横浜"
    assert "q=" in page.url
    # when: choose an area in the select, from the keyboard
    page.get_by_label("キーワード").fill("")
    page.get_by_label("地域").focus()
    page.get_by_label("地域").select_option("北海道")
    page.get_by_role("button", name="センターを表示").press("Enter")
    # then
    status.filter(has_text="2件のセンター").wait_for()
    assert page.locator("#center-results .card").count() == 2
    page.wait_for_function(
        "getComputedStyle(document.getElementById('center-results-loading')).opacity === '0'"
    )
    assert_accessible(page)


def test_the_center_list_works_without_javascript(
    _browser: Any, live_server: Any, sapporo: Any
) -> None:
    # given
    context = _browser.new_context(
        java_script_enabled=False, base_url=live_server.url, locale="ja-JP"
    )
    page = context.new_page()
    try:
        page.goto("/centers/")
        # when
        page.get_by_label("地域").select_option("札幌市")
        page.get_by_role("button", name="センターを表示").click()
        # then
        assert page.locator("#center-count").inner_text() == "1件のセンター"
        assert "area=" in page.url
    finally:
        context.close()


def test_the_page_of_a_center_is_accessible(page: Any, sapporo: Any) -> None:
    # when
    page.goto("/centers/sapporo/")
    # then
    assert page.get_by_role("heading", level=1).inner_text() == "札幌市市民活動サポートセンター"
    page.get_by_role("link", name="北海道立市民活動促進センター").wait_for()
    assert_accessible(page)


def test_the_back_office_pages_are_accessible(page: Any, admin: Any) -> None:
    # given
    sign_in(page, admin.email, PASSWORD)
    for path, heading in [
        ("/staff/", "業務画面"),
        ("/staff/centers/sapporo/", "札幌市市民活動サポートセンター"),
        ("/staff/centers/sapporo/staff/", "札幌市市民活動サポートセンターの職員"),
        ("/staff/centers/sapporo/sharing/", "連携施設との共有"),
        ("/staff/centers/sapporo/profile/", "公開情報"),
        ("/staff/audit/", "監査ログ"),
    ]:
        # when
        page.goto(path)
        # then
        assert page.get_by_role("heading", level=1).inner_text() == heading, path
        assert_accessible(page)


def test_a_failed_form_is_accessible_and_keeps_the_input(page: Any, admin: Any) -> None:
    # given
    sign_in(page, admin.email, PASSWORD)
    page.goto("/staff/centers/sapporo/staff/")
    # when
    page.get_by_label("メールアドレス").fill("nobody@example.jp")
    page.get_by_role("combobox", name="役割").select_option("reception")
    page.get_by_role("button", name="役割を付与する").click()
    # then
    page.locator(".form-errors").wait_for()
    assert page.get_by_label("メールアドレス").input_value() == "nobody@example.jp"
    assert_accessible(page)


def test_sharing_is_saved_from_the_checkboxes(page: Any, admin: Any) -> None:
    # given
    sign_in(page, admin.email, PASSWORD)
    page.goto("/staff/centers/sapporo/sharing/")
    # when
    page.get_by_label("イベント").check()
    page.get_by_role("button", name="保存する").click()
    # then
    page.get_by_role("status").filter(has_text="共有を保存しました").wait_for()
    assert page.get_by_label("イベント").is_checked()
    assert_accessible(page)
