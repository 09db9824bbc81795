from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kyodo.accounts.models import ApiToken, User
from kyodo.accounts.tests.factories import UserFactory
from kyodo.audit.models import Action, AuditEvent
from kyodo.centers.models import Center, CenterKind, Role, StaffMembership

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
TOKENS = reverse("accounts:token_create")


def make_center(slug: str = "sapporo", name: str = "札幌市市民活動サポートセンター") -> Center:
    return Center.objects.create(
        slug=slug,
        name=name,
        name_kana="サッポロシシミンカツドウサポートセンター",
        kind=CenterKind.CITY,
        prefecture="北海道",
        municipality="札幌市",
        area_served="札幌市内",
    )


def make_staff(role: str = Role.COORDINATOR) -> User:
    user = UserFactory.create()
    StaffMembership.objects.create(user=user, center=make_center(), role=role)
    return user


def test_the_profile_needs_sign_in(client: Any) -> None:
    # when
    response = client.get(PROFILE)

    # then
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={PROFILE}"


def test_a_person_edits_name_reading_and_language(client: Any) -> None:
    # given
    user = UserFactory.create(display_name="佐藤 花子", name_kana="サトウ ハナコ")
    client.force_login(user)

    # when
    response = client.post(
        PROFILE,
        {"display_name": "鈴木 花子", "name_kana": "スズキ ハナコ", "preferred_language": "en"},
    )

    # then the profile is saved and the pages switch to the chosen language
    assert response.status_code == 302
    assert response.url == PROFILE
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert (user.display_name, user.name_kana, user.preferred_language) == (
        "鈴木 花子",
        "スズキ ハナコ",
        "en",
    )
    page = client.get(PROFILE)
    assert page.context["LANGUAGE_CODE"] == "en"
    assert "Your profile has been saved." in page.content.decode()


def test_an_invalid_profile_edit_keeps_the_input_and_changes_nothing(client: Any) -> None:
    # given
    user = UserFactory.create(display_name="佐藤 花子")
    client.force_login(user)

    # when
    response = client.post(
        PROFILE, {"display_name": "", "name_kana": "Sato Hanako", "preferred_language": "fr"}
    )

    # then
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {
        "display_name",
        "name_kana",
        "preferred_language",
    }
    assert 'value="Sato Hanako"' in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "佐藤 花子"


def test_the_profile_lists_the_persons_current_roles(client: Any) -> None:
    # given
    user = make_staff(Role.CHIEF_COORDINATOR)
    other = Center.objects.create(
        slug="ebetsu",
        name="江別市民活動センター・あい",
        kind=CenterKind.PRIVATE_HUB,
        prefecture="北海道",
        area_served="江別市内",
    )
    StaffMembership.objects.create(
        user=user, center=other, role=Role.RECEPTION, started_on="2020-04-01", ended_on="2021-03-31"
    )
    client.force_login(user)

    # when
    response = client.get(PROFILE)

    # then only the current role is listed
    roles = [(m.center.name, m.role) for m in response.context["memberships"]]
    assert roles == [("札幌市市民活動サポートセンター", Role.CHIEF_COORDINATOR)]
    assert "江別市民活動センター・あい" not in response.content.decode()


def test_a_citizen_sees_no_api_tokens_and_cannot_create_one(client: Any) -> None:
    # given
    client.force_login(UserFactory.create())

    # when
    page = client.get(PROFILE)
    response = client.post(TOKENS, {"name": "集計スクリプト"})

    # then
    assert page.context["may_have_tokens"] is False
    assert 'id="tokens"' not in page.content.decode()
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_staff_create_a_token_that_is_shown_once_and_works(client: Any) -> None:
    # given
    user = make_staff()
    client.force_login(user)

    # when
    response = client.post(TOKENS, {"name": "集計スクリプト"})

    # then the token is shown on this page only, and works against the API
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = response.context["key"]
    assert key in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.name == "集計スクリプト"
    assert token.key_digest == ApiToken.digest(key)
    assert key not in client.get(PROFILE).content.decode()
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(token.pk)).exists()
    api = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 200


def test_a_token_needs_a_name(client: Any) -> None:
    # given
    client.force_login(make_staff())

    # when
    response = client.post(TOKENS, {"name": ""})

    # then
    assert response.status_code == 200
    assert "name" in response.context["token_form"].errors
    assert not ApiToken.objects.exists()


def test_staff_revoke_their_token(client: Any) -> None:
    # given
    user = make_staff()
    token, key = ApiToken.issue(user=user, name="集計スクリプト")
    client.force_login(user)

    # when
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))

    # then
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(token.pk))
    assert event.actor_id == user.pk
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert token not in client.get(PROFILE).context["tokens"]


def test_nobody_can_revoke_someone_elses_token(client: Any) -> None:
    # given
    token, _key = ApiToken.issue(user=make_staff())
    client.force_login(UserFactory.create())

    # when
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))

    # then
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_a_post(client: Any) -> None:
    # given
    user = make_staff()
    token, _key = ApiToken.issue(user=user)
    client.force_login(user)

    # when
    response = client.get(reverse("accounts:token_revoke", args=[token.pk]))

    # then
    assert response.status_code == 405


def test_the_profile_page_lists_tokens_in_a_fixed_number_of_queries(
    client: Any, django_assert_max_num_queries: Any
) -> None:
    # given
    user = make_staff()
    for n in range(8):
        ApiToken.issue(user=user, name=f"連携 {n}")
    client.force_login(user)

    # when / then
    with django_assert_max_num_queries(8):
        response = client.get(PROFILE)
    assert len(response.context["tokens"]) == 8
