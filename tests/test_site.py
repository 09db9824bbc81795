"""The site shell over HTTP: home, about, error pages, language switch and the shared
components (form fields, pagination, messages, breadcrumbs, staff navigation)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from kyodo import views
from kyodo.accounts.models import User
from kyodo.centers.models import Center, CenterKind, Partnership, Role, StaffMembership

pytestmark = pytest.mark.django_db

ATTRIBUTIONS = [
    "出典：国税庁法人番号公表サイト（国税庁）（https://www.houjin-bangou.nta.go.jp/）を加工して作成",
    "出典：内閣府「国民の祝日について」（https://www8.cao.go.jp/chosei/shukujitsu/gaiyou.html）",
    "出典：各自治体「イベント一覧」（デジタル庁 ベース・レジストリ・データカタログ掲載）",
]


def make_center(slug: str, name: str, municipality: str = "札幌市", **fields: Any) -> Center:
    defaults: dict[str, Any] = {
        "kind": CenterKind.CITY,
        "prefecture": "北海道",
        "municipality": municipality,
        "area_served": f"{municipality}内",
    }
    defaults.update(fields)
    return Center.objects.create(slug=slug, name=name, **defaults)


def make_user(email: str, name: str = "札幌 花子", **fields: Any) -> User:
    return User.objects.create_user(email, "correct-horse-battery", display_name=name, **fields)


def body_of(response: Any) -> str:
    return response.content.decode()


def switch_language(client: Client, language: str, next_url: str = "/") -> Any:
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


# --- pages -----------------------------------------------------------------------------


def test_home_page_is_in_japanese_by_default_with_the_network_in_numbers(client: Client) -> None:
    # given
    sapporo = make_center("sapporo", "札幌市市民活動サポートセンター")
    make_center(
        "hokkaido", "北海道立市民活動促進センター", municipality="", kind=CenterKind.PREFECTURAL
    )
    make_center("closed", "閉館したセンター", municipality="江別市", is_active=False)
    plaza = make_center("plaza", "北海道立女性プラザ")
    first, second = sorted([sapporo, plaza], key=lambda c: c.pk)
    Partnership.objects.create(first=first, second=second)

    # when
    response = client.get("/")

    # then
    assert response.status_code == 200
    html = body_of(response)
    assert '<html lang="ja">' in html
    assert "Kyodo（協働）へようこそ" in html
    assert response.context["numbers"] == {"centers": 3, "municipalities": 1, "partnerships": 1}
    assert 'href="/centers/"' in html


def test_home_page_needs_a_bounded_number_of_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    # given
    for number in range(30):
        make_center(f"ward-{number}", f"区民活動センター{number}", municipality=f"市{number}")

    # when / then
    with django_assert_max_num_queries(3):
        response = client.get("/")
    assert response.status_code == 200


def test_about_page_names_the_accessibility_target_and_the_data_sources(client: Client) -> None:
    # when
    response = client.get("/about/")

    # then
    assert response.status_code == 200
    html = body_of(response)
    assert 'id="accessibility"' in html
    assert "ウェブアクセシビリティ方針" in html
    assert "JIS X 8341-3:2016" in html
    for line in ATTRIBUTIONS:
        assert line in html


def test_every_page_starts_with_a_skip_link_to_main(client: Client) -> None:
    # when
    html = body_of(client.get("/about/"))

    # then
    body = html.split("<body", 1)[1]
    first_focusable = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body)
    assert first_focusable is not None
    assert 'class="skip-link"' in first_focusable.group(0)
    assert 'href="#main"' in first_focusable.group(0)
    assert '<main id="main" tabindex="-1">' in html
    assert "<header" in html and "<footer" in html and "<nav" in html


def test_the_title_names_the_page_and_the_site(client: Client) -> None:
    html = body_of(client.get("/about/"))
    assert "<title>このサイトについて | Kyodo</title>" in html


def test_anonymous_visitors_see_sign_in_and_sign_up_but_no_staff_link(client: Client) -> None:
    # when
    html = body_of(client.get("/"))

    # then
    assert 'href="/accounts/login/?next=/"' in html
    assert 'href="/accounts/signup/"' in html
    assert 'href="/staff/"' not in html


def test_staff_see_the_back_office_link_and_a_sign_out_form(client: Client) -> None:
    # given
    center = make_center("sapporo", "札幌市市民活動サポートセンター")
    staff = make_user("uketsuke@sapporo.example.jp", "受付 太郎")
    StaffMembership.objects.create(user=staff, center=center, role=Role.RECEPTION)
    client.force_login(staff)

    # when
    html = body_of(client.get("/"))

    # then
    assert 'href="/staff/"' in html
    assert re.search(r'<form class="inline-form" method="post" action="/accounts/logout/">', html)
    assert "受付 太郎" in html


def test_a_signed_in_citizen_sees_no_staff_link(client: Client) -> None:
    # given
    client.force_login(make_user("shimin@example.jp"))

    # when
    html = body_of(client.get("/"))

    # then
    assert 'href="/staff/"' not in html
    assert 'action="/accounts/logout/"' in html


# --- language --------------------------------------------------------------------------


def test_switching_to_english_keeps_the_page_and_shows_it_in_english(client: Client) -> None:
    # when
    response = switch_language(client, "en", next_url="/about/?from=footer")

    # then
    assert response.status_code == 302
    assert response["Location"] == "/about/?from=footer"
    page = client.get(response["Location"])
    html = body_of(page)
    assert '<html lang="en">' in html
    assert "<title>About this site | Kyodo</title>" in html
    assert "Web accessibility policy" in html
    # the switcher now offers Japanese, labelled in Japanese
    assert re.search(r'<button[^>]*name="language" value="ja" lang="ja">日本語</button>', html)


def test_switching_back_to_japanese(client: Client) -> None:
    # given
    switch_language(client, "en")

    # when
    switch_language(client, "ja", next_url="/")

    # then
    html = body_of(client.get("/"))
    assert '<html lang="ja">' in html
    assert re.search(r'<button[^>]*name="language" value="en" lang="en">English</button>', html)


def test_the_language_switcher_posts_the_current_address_as_next(client: Client) -> None:
    # when
    html = body_of(client.get("/about/?x=1"))

    # then
    form = re.search(r'<form class="inline-form language-switcher".*?</form>', html, re.S)
    assert form is not None
    assert 'action="/i18n/setlang/"' in form.group(0)
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert '<input type="hidden" name="next" value="/about/?x=1">' in form.group(0)


def test_an_unknown_language_is_refused_without_an_error(client: Client) -> None:
    # when
    response = switch_language(client, "xx", next_url="/about/")

    # then
    assert response.status_code == 302
    assert '<html lang="ja">' in body_of(client.get("/about/"))


def test_a_foreign_next_address_is_not_followed(client: Client) -> None:
    # when
    response = switch_language(client, "en", next_url="https://evil.example.com/")

    # then
    assert response.status_code == 302
    assert "evil.example.com" not in response["Location"]


# --- error pages -------------------------------------------------------------------------


def test_an_unknown_address_answers_a_styled_404_page(client: Client) -> None:
    # when
    response = client.get("/no-such-page/")

    # then
    assert response.status_code == 404
    html = body_of(response)
    assert "kyodo.css" in html
    assert '<main id="main" tabindex="-1">' in html
    assert "ページが見つかりません" in html
    assert 'href="/centers/"' in html


def test_the_404_page_follows_the_chosen_language(client: Client) -> None:
    # given
    switch_language(client, "en")

    # when
    response = client.get("/no-such-page/")

    # then
    assert response.status_code == 404
    assert '<html lang="en">' in body_of(response)
    assert "Page not found" in body_of(response)


@pytest.mark.parametrize(
    ("handler", "status"),
    [(views.bad_request, 400), (views.permission_denied, 403), (views.page_not_found, 404)],
)
def test_error_handlers_render_full_pages(handler: Any, status: int, rf: RequestFactory) -> None:
    # given
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/somewhere/")
    request.user = AnonymousUser()

    # when
    with translation.override("ja"):
        response = handler(request, Exception("boom"))

    # then
    assert response.status_code == status
    assert f"エラーコード：{status}" in body_of(response)
    assert "kyodo.css" in body_of(response)


def test_the_500_page_needs_no_database_and_no_request_context(
    rf: RequestFactory, django_assert_num_queries: Any
) -> None:
    # given: a request without a user or session, as after a failure in middleware
    request = rf.get("/")

    # when
    with django_assert_num_queries(0):
        response = views.server_error(request)

    # then
    assert response.status_code == 500
    html = body_of(response)
    assert "kyodo.css" in html
    assert '<main id="main"' in html
    assert "csrfmiddlewaretoken" not in html


# --- components ----------------------------------------------------------------------------


class ContactForm(forms.Form):
    name = forms.CharField(label="お名前", max_length=20)
    email = forms.EmailField(label="メールアドレス", help_text="確認のメールを送ります。")
    topic = forms.ChoiceField(
        label="相談の種類",
        choices=[("npo", "NPO法人の設立"), ("room", "貸室")],
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(label="利用規約に同意します")
    note = forms.CharField(label="備考", required=False, widget=forms.Textarea)

    def clean(self) -> dict[str, Any]:
        raise forms.ValidationError("同じ内容がすでに送られています。")


def render_form(form: forms.Form) -> str:
    return render_to_string("components/form_fields.html", {"form": form})


def test_form_fields_tie_labels_help_and_errors_to_their_inputs() -> None:
    # given
    form = ContactForm(data={"name": "", "email": "not-an-address", "note": "よろしく"})
    form.is_valid()

    # when
    html = render_form(form)

    # then: label for, described by help and error, marked invalid
    assert '<label class="field__label" for="id_email">' in html
    assert 'id="id_email_helptext"' in html
    assert 'id="id_email_error"' in html
    email_input = re.search(r"<input[^>]*name=\"email\"[^>]*>", html)
    assert email_input is not None
    assert 'aria-describedby="id_email_helptext id_email_error"' in email_input.group(0)
    assert 'aria-invalid="true"' in email_input.group(0)
    # input kept
    assert 'value="not-an-address"' in email_input.group(0)
    assert "よろしく" in html
    # a valid optional field is not marked invalid
    note = re.search(r"<textarea[^>]*>", html)
    assert note is not None and "aria-invalid" not in note.group(0)


def test_form_fields_start_with_an_error_summary_linking_to_each_field() -> None:
    # given
    form = ContactForm(data={"email": "x"})
    form.is_valid()

    # when
    html = render_form(form)

    # then
    summary = re.search(r'<div class="form-errors".*?</div>', html, re.S)
    assert summary is not None
    assert 'role="alert"' in summary.group(0)
    assert "同じ内容がすでに送られています。" in summary.group(0)
    assert 'href="#id_name"' in summary.group(0)
    assert 'href="#id_email"' in summary.group(0)
    assert 'href="#id_topic_0"' in summary.group(0)
    assert 'href="#id_agree"' in summary.group(0)


def test_a_valid_or_unbound_form_has_no_error_summary() -> None:
    assert "form-errors" not in render_form(ContactForm())


def test_required_fields_carry_a_text_mark_and_optional_ones_do_not() -> None:
    # when
    with translation.override("ja"):
        html = render_form(ContactForm())

    # then
    name_label = re.search(r'<label class="field__label" for="id_name">.*?</label>', html, re.S)
    note_label = re.search(r'<label class="field__label" for="id_note">.*?</label>', html, re.S)
    assert name_label is not None and note_label is not None
    assert '<span class="required-mark">必須</span>' in name_label.group(0)
    assert "required-mark" not in note_label.group(0)


def test_radio_buttons_are_a_fieldset_with_a_legend() -> None:
    # given
    form = ContactForm(data={})
    form.is_valid()

    # when
    html = render_form(form)

    # then
    fieldset = re.search(r"<fieldset[^>]*>.*?</fieldset>", html, re.S)
    assert fieldset is not None
    assert 'aria-describedby="id_topic_error"' in fieldset.group(0)
    assert '<legend class="field__label">相談の種類' in fieldset.group(0)
    assert 'type="radio"' in fieldset.group(0)


def test_pagination_keeps_the_filters_and_marks_the_current_page(rf: RequestFactory) -> None:
    # given
    page = Paginator(list(range(100)), 10).page(5)
    request = rf.get("/centers/", {"area": "札幌市", "page": "5"})

    # when
    html = render_to_string("components/pagination.html", {"page_obj": page}, request=request)

    # then
    assert '<nav class="pagination"' in html
    assert 'href="?area=%E6%9C%AD%E5%B9%8C%E5%B8%82&amp;page=4" rel="prev"' in html
    assert 'href="?area=%E6%9C%AD%E5%B9%8C%E5%B8%82&amp;page=6" rel="next"' in html
    current = re.search(r"<a[^>]*aria-current=\"page\"[^>]*>5</a>", html)
    assert current is not None
    assert "…" in html  # pages far away are elided


def test_pagination_is_not_shown_for_a_single_page(rf: RequestFactory) -> None:
    page = Paginator(list(range(5)), 10).page(1)
    html = render_to_string("components/pagination.html", {"page_obj": page}, request=rf.get("/"))
    assert "pagination" not in html


def test_messages_are_alerts_for_errors_and_status_for_the_rest() -> None:
    # given
    messages = [
        Message(message_levels.SUCCESS, "保存しました。"),
        Message(message_levels.ERROR, "保存できませんでした。"),
    ]

    # when
    html = render_to_string("components/messages.html", {"messages": messages})

    # then
    assert '<div class="alert alert--success" role="status">保存しました。</div>' in html
    assert '<div class="alert alert--error" role="alert">保存できませんでした。</div>' in html


def test_breadcrumbs_link_the_way_back_and_mark_the_current_page() -> None:
    # when
    html = render_to_string(
        "components/breadcrumbs.html",
        {"breadcrumbs": [("センター一覧", "/centers/"), ("札幌市市民活動サポートセンター", None)]},
    )

    # then
    assert '<a href="/centers/">センター一覧</a>' in html
    assert '<span aria-current="page">札幌市市民活動サポートセンター</span>' in html


def test_the_staff_menu_shows_the_links_a_center_administrator_may_use(
    rf: RequestFactory,
) -> None:
    # given
    center = make_center("sapporo", "札幌市市民活動サポートセンター")
    other = make_center("atsubetsu", "厚別区民センター")
    admin = make_user("kanri@sapporo.example.jp")
    StaffMembership.objects.create(user=admin, center=center, role=Role.CENTER_ADMIN)
    request = rf.get("/staff/centers/sapporo/")
    request.user = admin

    # when
    html = render_to_string(
        "staff/base.html",
        {"center": center, "staff_centers": [center, other], "user": admin},
        request=request,
    )

    # then
    menu = re.search(r'<details class="staff-nav".*?</details>', html, re.S)
    assert menu is not None
    assert "札幌市市民活動サポートセンター" in menu.group(0)
    assert 'href="/staff/"' in menu.group(0)
    assert 'href="/staff/centers/sapporo/" aria-current="page"' in menu.group(0)
    assert 'href="/staff/centers/sapporo/staff/"' in menu.group(0)
    assert 'href="/staff/centers/sapporo/sharing/"' in menu.group(0)
    assert "/staff/audit/?center=" in menu.group(0)
    assert '<option value="sapporo" selected>' in menu.group(0)
    assert '<option value="atsubetsu">' in menu.group(0)


def test_the_staff_menu_hides_what_reception_may_not_use(rf: RequestFactory) -> None:
    # given
    center = make_center("sapporo", "札幌市市民活動サポートセンター")
    reception = make_user("uketsuke@sapporo.example.jp")
    StaffMembership.objects.create(user=reception, center=center, role=Role.RECEPTION)
    request = rf.get("/staff/centers/sapporo/")
    request.user = reception

    # when
    html = render_to_string("staff/base.html", {"center": center}, request=request)

    # then
    assert 'href="/staff/centers/sapporo/"' in html
    assert "/sharing/" not in html
    assert "/staff/audit/" not in html
    assert "center-switcher" not in html
