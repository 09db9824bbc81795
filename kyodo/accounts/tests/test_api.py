from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kyodo.accounts.models import ApiToken
from kyodo.accounts.tests.factories import UserFactory
from kyodo.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_api_answers_a_good_token_with_its_owner(client: Any) -> None:
    # given
    token, key = ApiToken.issue(user=UserFactory.create(display_name="高橋 健一"))

    # when
    response = client.get(ME, **bearer(key))

    # then
    assert response.status_code == 200
    assert response.json() == {
        "id": token.user.pk,
        "email": token.user.email,
        "display_name": "高橋 健一",
    }


def test_the_api_refuses_a_request_without_a_token(client: Any) -> None:
    # when
    response = client.get(ME)

    # then
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize(
    "header",
    [
        "Bearer kyd_not-a-real-token",
        "Bearer ",
        "Basic aGFuYWtvOnBhc3N3b3Jk",
        "Bearer " + "x" * 5000,
    ],
)
def test_the_api_refuses_a_bad_token(client: Any, header: str) -> None:
    # given
    ApiToken.issue(user=UserFactory.create())

    # when
    response = client.get(ME, HTTP_AUTHORIZATION=header)

    # then
    assert response.status_code == 401
    assert "detail" in response.json()


def test_the_api_refuses_a_revoked_token(client: Any) -> None:
    # given
    token, key = ApiToken.issue(user=UserFactory.create())
    token.revoke()

    # when
    response = client.get(ME, **bearer(key))

    # then
    assert response.status_code == 401


def test_the_api_refuses_an_expired_token(client: Any, time_machine: Any) -> None:
    # given
    time_machine.move_to(timezone.now(), tick=False)
    _token, key = ApiToken.issue(user=UserFactory.create(), lifetime=timedelta(days=30))

    # when
    time_machine.shift(timedelta(days=30, seconds=1))
    response = client.get(ME, **bearer(key))

    # then
    assert response.status_code == 401


def test_the_api_refuses_the_token_of_a_deactivated_person(client: Any) -> None:
    # given
    _token, key = ApiToken.issue(user=UserFactory.create(is_active=False))

    # when
    response = client.get(ME, **bearer(key))

    # then
    assert response.status_code == 401


def test_the_last_use_of_a_token_is_recorded_at_most_once_a_minute(
    client: Any, time_machine: Any, django_assert_num_queries: Any
) -> None:
    # given
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    token, key = ApiToken.issue(user=UserFactory.create())
    client.get(ME, **bearer(key))

    # when the token is used again within the minute
    time_machine.shift(timedelta(seconds=30))
    with django_assert_num_queries(1):
        client.get(ME, **bearer(key))

    # then the first use is what is recorded
    token.refresh_from_db()
    assert token.last_used_at == start

    # when a minute has passed
    time_machine.shift(timedelta(seconds=31))
    client.get(ME, **bearer(key))

    # then
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=61)


def test_createapitoken_prints_only_a_token_that_works(client: Any) -> None:
    # given
    user = UserFactory.create(email="kenichi.takahashi@example.jp")
    out = StringIO()

    # when
    call_command("createapitoken", "Kenichi.Takahashi@Example.JP", "--name", "集計", stdout=out)

    # then
    key = out.getvalue().strip()
    assert out.getvalue() == f"{key}\n"
    token = ApiToken.objects.get(user=user)
    assert token.name == "集計"
    assert client.get(ME, **bearer(key)).json()["email"] == user.email
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(token.pk))
    assert event.actor_id is None
    assert event.details["via"] == "command"


def test_createapitoken_refuses_an_unknown_person() -> None:
    # when / then
    with pytest.raises(CommandError, match=r"nobody@example\.jp"):
        call_command("createapitoken", "nobody@example.jp", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_createapitoken_refuses_a_deactivated_person() -> None:
    # given
    user = UserFactory.create(is_active=False)

    # when / then
    with pytest.raises(CommandError):
        call_command("createapitoken", user.email, stdout=StringIO())


def test_createapitoken_exits_with_an_error_status_for_an_unknown_person(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # when
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "createapitoken", "nobody@example.jp"]).execute()

    # then
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "nobody@example.jp" in captured.err


def test_api_requests_get_no_session(client: Any) -> None:
    # given a staff member's token (staff sessions get an idle timeout)
    _token, key = ApiToken.issue(user=UserFactory.create(is_staff=True))

    # when
    response = client.get(ME, **bearer(key))

    # then
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
