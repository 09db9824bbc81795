"""Every page of the site, as each demo role sees it, passes axe-core (WCAG 2.1 AA).

The demo data is loaded as the demo command loads it; each person signs in through the
sign-in form. Pages a role may not open are visited too: their 403 page must be as
accessible as any other.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from kyodo.centers.demo.hokkaido import CITY, PREFECTURAL
from kyodo.centers.demo.people import DEMO_PASSWORD
from tests.browser.plugin import assert_accessible, sign_in

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/about/",
    "/centers/",
    "/centers/?service=consultation",
    f"/centers/{CITY}/",
    f"/centers/{PREFECTURAL}/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/verify/again/",
    "/rooms/",
    f"/rooms/centers/{CITY}/",
    "/organizations/",
    "/organizations/?q=子育",
    "/events/",
    "/events/month/",
    "/events/week/",
]

STAFF_PAGES = [
    "/staff/",
    f"/staff/centers/{CITY}/",
    f"/staff/centers/{CITY}/staff/",
    f"/staff/centers/{CITY}/sharing/",
    f"/staff/centers/{CITY}/profile/",
    f"/staff/centers/{PREFECTURAL}/",
    "/staff/audit/",
    "/accounts/profile/",
    "/accounts/password/change/",
    "/rooms/mine/",
    f"/staff/rooms/centers/{CITY}/",
    f"/staff/rooms/centers/{CITY}/rooms/",
    f"/staff/rooms/centers/{CITY}/occupancy/",
    f"/staff/rooms/centers/{CITY}/referrals/",
    "/organizations/mine/",
    "/staff/organizations/",
    "/staff/organizations/reviews/",
    "/staff/organizations/proposed-changes/",
    "/staff/organizations/claims/",
    "/staff/organizations/imports/",
    "/staff/events/",
]

ROLES = [
    "reception",
    "coordinator",
    "chief",
    "specialist",
    "admin",
    "municipal",
    "network",
    "citizen",
]


def _visit(page: Any, path: str) -> int:
    response = page.goto(path)
    assert response is not None
    assert response.status < 500, f"{path} answered {response.status}"
    assert_accessible(page)
    return int(response.status)


def test_every_public_page_is_accessible_to_a_visitor(page: Any, transactional_db: None) -> None:
    # given
    call_command("loaddemo", verbosity=0)

    # then
    for path in [*PUBLIC_PAGES, "/no-such-page/"]:
        _visit(page, path)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_can_reach_is_accessible(
    page: Any, transactional_db: None, role: str
) -> None:
    # given
    call_command("loaddemo", verbosity=0)
    sign_in(page, f"{role}@demo.kyodo.example", DEMO_PASSWORD)

    # then
    statuses = {path: _visit(page, path) for path in [*STAFF_PAGES, "/", "/centers/"]}
    assert statuses["/accounts/profile/"] == 200
    if role == "citizen":
        assert statuses["/staff/"] == 403
    else:
        assert statuses["/staff/"] == 200
