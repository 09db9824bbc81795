from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kyodo.accounts.models import User
from kyodo.accounts.tests.factories import PASSWORD, UserFactory
from kyodo.centers.models import Center, CenterKind, Role, StaffMembership

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


@pytest.fixture
def staff_member() -> User:
    center = Center.objects.create(
        slug="yokohama-kohoku",
        name="港北区区民活動支援センター",
        kind=CenterKind.WARD,
        prefecture="神奈川県",
        municipality="横浜市",
        area_served="港北区",
    )
    user = UserFactory.create()
    StaffMembership.objects.create(user=user, center=center, role=Role.RECEPTION)
    return user


def test_a_staff_session_expires_after_the_idle_time(
    client: Any, staff_member: User, settings: Any, time_machine: Any
) -> None:
    # given a staff member who signed in
    settings.KYODO_STAFF_SESSION_IDLE_MINUTES = 30
    time_machine.move_to(timezone.now(), tick=False)
    client.post(reverse("accounts:login"), {"email": staff_member.email, "password": PASSWORD})
    assert client.session.get_expiry_age() == 30 * 60

    # when they come back 31 minutes later
    time_machine.shift(timedelta(minutes=31))
    response = client.get(PROFILE)

    # then they are signed out
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_each_request_renews_a_staff_session(
    client: Any, staff_member: User, settings: Any, time_machine: Any
) -> None:
    # given
    settings.KYODO_STAFF_SESSION_IDLE_MINUTES = 30
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(staff_member)
    client.get(PROFILE)

    # when they work on with pauses shorter than the idle time
    for _ in range(3):
        time_machine.shift(timedelta(minutes=20))
        response = client.get(PROFILE)

        # then they stay signed in
        assert response.status_code == 200


def test_a_citizens_session_keeps_the_default_age(
    client: Any, settings: Any, time_machine: Any
) -> None:
    # given
    settings.KYODO_STAFF_SESSION_IDLE_MINUTES = 30
    time_machine.move_to(timezone.now(), tick=False)
    client.post(
        reverse("accounts:login"), {"email": UserFactory.create().email, "password": PASSWORD}
    )
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE

    # when
    time_machine.shift(timedelta(hours=5))
    response = client.get(PROFILE)

    # then
    assert response.status_code == 200


def test_an_operator_session_expires_like_staff(
    client: Any, settings: Any, time_machine: Any
) -> None:
    # given
    settings.KYODO_STAFF_SESSION_IDLE_MINUTES = 30
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(UserFactory.create(is_staff=True))
    client.get(PROFILE)

    # when
    time_machine.shift(timedelta(minutes=31))
    response = client.get(PROFILE)

    # then
    assert response.status_code == 302
