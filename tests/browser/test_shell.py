"""The site shell in a real browser: axe-core, keyboard use, focus, phone width and zoom."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from kyodo import urls as site_urls
from tests.browser.plugin import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHELL_PAGES = ["/", "/about/", "/no-such-page/"]


# A page with a form in error, for the form component (test-only URL configuration).
class ApplicationForm(forms.Form):
    name = forms.CharField(label="お名前", max_length=20)
    email = forms.EmailField(label="メールアドレス", help_text="確認のメールを送ります。")
    topic = forms.ChoiceField(
        label="相談の種類",
        choices=[("npo", "NPO法人の設立"), ("room", "貸室の利用")],
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(label="利用規約に同意します")


FORM_PAGE = """{% extends "base.html" %}
{% block title %}申し込み{% endblock %}
{% block content %}
<h1>申し込み</h1>
<form method="post" novalidate>
  {% csrf_token %}
  {% include "components/form_fields.html" with form=form %}
  <div class="form-actions"><button type="submit" class="button">送信</button></div>
</form>
{% endblock %}"""


def application_form(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()
    template = engines["django"].from_string(FORM_PAGE)
    return HttpResponse(template.render({"form": form}, request))


urlpatterns = [
    path("test-only/form/", application_form),
    *site_urls.urlpatterns,
]
handler404 = site_urls.handler404


def has_horizontal_overflow(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth"))


def switch_to_english(page: Any) -> None:
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("domcontentloaded")


@pytest.mark.parametrize("address", SHELL_PAGES)
def test_shell_pages_pass_axe_in_japanese(page: Any, address: str) -> None:
    # when
    page.goto(address)

    # then
    assert page.locator("html").get_attribute("lang") == "ja"
    assert_accessible(page)


@pytest.mark.parametrize("address", SHELL_PAGES)
def test_shell_pages_pass_axe_in_english(page: Any, address: str) -> None:
    # given
    page.goto("/")
    switch_to_english(page)

    # when
    page.goto(address)

    # then
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)


def test_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_main(page: Any) -> None:
    # given
    page.goto("/about/")

    # when
    page.keyboard.press("Tab")

    # then
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()

    # when
    page.keyboard.press("Enter")

    # then
    assert page.evaluate("document.activeElement.id") == "main"


def test_keyboard_focus_is_visible_on_links(page: Any) -> None:
    # given
    page.goto("/")

    # when: tab past the skip link to the site name
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")

    # then
    style = page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            return {tag: document.activeElement.tagName, outline: s.outlineStyle,
                    width: parseFloat(s.outlineWidth)};
        }"""
    )
    assert style["tag"] == "A"
    assert style["outline"] != "none"
    assert style["width"] >= 2


def test_the_language_switcher_works_with_the_keyboard_alone(page: Any) -> None:
    # given
    page.goto("/about/")

    # when: tab until the English button has focus, then press Enter
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "English":
            break
    else:
        pytest.fail("The language switcher was not reachable by keyboard.")
    page.keyboard.press("Enter")
    page.wait_for_url("**/about/")

    # then: the same page, in English
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "About this site"


@pytest.mark.parametrize("address", SHELL_PAGES)
def test_phone_width_has_no_horizontal_scrolling(phone_page: Any, address: str) -> None:
    # when
    phone_page.goto(address)

    # then
    assert not has_horizontal_overflow(phone_page)
    assert_accessible(phone_page)


def test_at_200_percent_zoom_nothing_scrolls_sideways_and_the_menu_is_reachable(
    _browser: Any, live_server: Any
) -> None:
    # given: a 1280 px window zoomed to 200 % lays pages out at 640 CSS pixels
    context = _browser.new_context(
        locale="ja-JP",
        viewport={"width": 640, "height": 450},
        device_scale_factor=2,
        base_url=live_server.url,
    )
    zoomed = context.new_page()
    try:
        for address in SHELL_PAGES:
            # when
            zoomed.goto(address)

            # then
            assert not has_horizontal_overflow(zoomed), address
            menu = zoomed.get_by_role("navigation", name="メインメニュー")
            assert menu.get_by_role("link", name="センター一覧").is_visible()
            zoomed.keyboard.press("Tab")
            zoomed.keyboard.press("Tab")
            assert zoomed.evaluate("document.activeElement.className") == "site-name"
    finally:
        context.close()


@pytest.mark.urls(__name__)
def test_a_form_in_error_is_accessible_and_links_the_summary_to_the_fields(page: Any) -> None:
    # given
    page.goto("/test-only/form/")

    # when: send it empty
    page.get_by_role("button", name="送信").click()
    page.wait_for_load_state("domcontentloaded")

    # then
    summary = page.get_by_role("alert")
    assert "入力内容に誤りがあります" in summary.inner_text()
    email = page.get_by_label("メールアドレス")
    assert email.get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    # when: follow the summary's link to the field
    summary.get_by_role("link", name="お名前", exact=False).click()

    # then
    assert page.evaluate("location.hash") == "#id_name"


@pytest.mark.urls(__name__)
def test_a_form_works_at_phone_width(phone_page: Any) -> None:
    # when
    phone_page.goto("/test-only/form/")

    # then
    assert not has_horizontal_overflow(phone_page)
    assert_accessible(phone_page)


def test_htmx_is_loaded_with_the_site_configuration(page: Any) -> None:
    # when
    page.goto("/")
    page.wait_for_function("window.htmx !== undefined")

    # then
    config = page.evaluate(
        "({history: htmx.config.historyCacheSize, scripts: htmx.config.allowScriptTags})"
    )
    assert config == {"history": 0, "scripts": False}


def test_the_shell_works_without_javascript(_browser: Any, live_server: Any) -> None:
    # given
    context = _browser.new_context(
        locale="ja-JP", java_script_enabled=False, base_url=live_server.url
    )
    tab = context.new_page()
    try:
        tab.goto("/about/")

        # when
        tab.get_by_role("button", name="English").click()
        tab.wait_for_url("**/about/")

        # then
        assert tab.locator("html").get_attribute("lang") == "en"
        tab.get_by_role("navigation", name="Main menu").get_by_role("link", name="Centers").click()
        tab.wait_for_url("**/centers/")
    finally:
        context.close()
