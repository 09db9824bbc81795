from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kyodo.accounts.models import User
from kyodo.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client: Any) -> Any:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    return client


def test_operators_list_and_search_people(operator_client: Any) -> None:
    # given
    UserFactory.create(display_name="渡辺 美咲", email="misaki.watanabe@example.jp")
    UserFactory.create(display_name="山田 太郎", email="taro.yamada@example.jp")

    # when
    response = operator_client.get(reverse("admin:accounts_user_changelist"), {"q": "渡辺"})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "misaki.watanabe@example.jp" in html
    assert "taro.yamada@example.jp" not in html


def test_operators_add_a_person_by_email(operator_client: Any) -> None:
    # when
    response = operator_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Daisuke.Kobayashi@Example.jp",
            "display_name": "小林 大輔",
            "usable_password": "false",
            "password1": "",
            "password2": "",
        },
    )

    # then
    assert response.status_code == 302
    user = User.objects.get(email="daisuke.kobayashi@example.jp")
    assert user.display_name == "小林 大輔"
    assert not user.has_usable_password()


def test_operators_open_a_persons_page(operator_client: Any) -> None:
    # given
    user = UserFactory.create()

    # when
    response = operator_client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    # then
    assert response.status_code == 200


def test_people_who_are_not_operators_cannot_open_the_admin(client: Any) -> None:
    # given
    client.force_login(UserFactory.create())

    # when
    response = client.get(reverse("admin:accounts_user_changelist"))

    # then
    assert response.status_code == 302
