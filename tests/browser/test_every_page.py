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


def _record_pages() -> tuple[list[str], list[str]]:
    """Pages of single records of the demo data: (public pages, signed-in pages)."""
    from kyodo.centers.models import Center
    from kyodo.events.models import Event, EventStatus, Topic
    from kyodo.organizations.models import Organization
    from kyodo.rooms.models import Reservation, Room

    city = Center.objects.get(slug=CITY)
    event = Event.objects.filter(center=city, status=EventStatus.PUBLISHED).order_by("pk").first()
    assert event is not None
    session = event.sessions.order_by("pk").first()
    assert session is not None
    organization = Organization.objects.order_by("pk").first()
    assert organization is not None
    room = Room.objects.filter(center=city).order_by("pk").first()
    assert room is not None
    reservation = Reservation.objects.filter(room__center=city).order_by("pk").first()
    assert reservation is not None
    topic = Topic.objects.order_by("pk").first()
    assert topic is not None
    public = [
        f"/events/{event.pk}/",
        f"/events/{event.pk}/register/",
        f"/organizations/{organization.pk}/",
        f"/rooms/{room.pk}/",
    ]
    signed_in = [
        f"/rooms/{room.pk}/series/",
        "/events/my-participation/",
        f"/staff/events/{event.pk}/",
        f"/staff/events/{event.pk}/edit/",
        f"/staff/events/{event.pk}/coordination/",
        f"/staff/events/{event.pk}/cohosts/",
        f"/staff/events/{event.pk}/questions/",
        f"/staff/events/{event.pk}/sessions/{session.pk}/venue/",
        f"/staff/events/{event.pk}/registrations/",
        "/staff/events/new/",
        "/staff/events/network/",
        "/staff/events/topics/",
        f"/staff/events/topics/{topic.pk}/",
        "/staff/events/import/",
        f"/staff/organizations/{organization.pk}/",
        f"/staff/organizations/{organization.pk}/history/",
        f"/staff/rooms/centers/{CITY}/reservations/{reservation.pk}/",
        f"/staff/rooms/centers/{CITY}/rooms/{room.pk}/book/",
    ]
    return public, signed_in


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

    public_records, _ = _record_pages()

    # then
    for path in [*PUBLIC_PAGES, *public_records, "/no-such-page/"]:
        _visit(page, path)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_can_reach_is_accessible(
    page: Any, transactional_db: None, role: str
) -> None:
    # given
    call_command("loaddemo", verbosity=0)
    sign_in(page, f"{role}@demo.kyodo.example", DEMO_PASSWORD)
    _, signed_in_records = _record_pages()

    # then
    statuses = {
        path: _visit(page, path) for path in [*STAFF_PAGES, *signed_in_records, "/", "/centers/"]
    }
    assert statuses["/accounts/profile/"] == 200
    if role == "citizen":
        assert statuses["/staff/"] == 403
    else:
        assert statuses["/staff/"] == 200
