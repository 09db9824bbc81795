"""A center's calendar: its own events, the events it cross-posts (相互掲載) and the events
it co-hosts as a center (共催・後援), on the public pages, the per-center feed and the API."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from kyodo.events.models import CoHostRole, CrossPosting, EventCoHost, EventStatus
from kyodo.events.tests.factories import EventFactory
from kyodo.organizations.models import Organization


@pytest.fixture
def cohosted(net: Any) -> Any:
    """The prefecture's course co-hosted by the city center, the prefecture's forum
    supported by the city (後援), the unrelated center's seminar co-hosted by a group only,
    a draft the city co-hosts, and the city's own salon."""
    course = EventFactory.create(
        center=net.prefecture,
        title="NPO法人向け会計講座",
        dates=[(datetime.date(2026, 12, 2), "13:00", "16:00")],
    )
    EventCoHost.objects.create(event=course, center=net.city, role=CoHostRole.CO_ORGANIZER)
    forum = EventFactory.create(
        center=net.prefecture,
        title="北海道市民活動フォーラム",
        dates=[(datetime.date(2026, 12, 3), "10:00", "17:00")],
    )
    EventCoHost.objects.create(event=forum, center=net.city, role=CoHostRole.SUPPORTER)
    seminar = EventFactory.create(
        center=net.unrelated, title="広報講座", dates=[datetime.date(2026, 12, 4)]
    )
    group = Organization.objects.create(name="NPO法人さっぽろ子育てネット")
    EventCoHost.objects.create(event=seminar, organization=group)
    draft = EventFactory.create(
        center=net.prefecture,
        title="非公開の共催講座",
        status=EventStatus.DRAFT,
        dates=[datetime.date(2026, 12, 5)],
    )
    EventCoHost.objects.create(event=draft, center=net.city)
    EventFactory.create(center=net.city, title="子育てサロン", dates=[datetime.date(2026, 12, 9)])
    return net


CITY_CALENDAR = ["NPO法人向け会計講座", "北海道市民活動フォーラム", "子育てサロン"]


def _titles(response: Any) -> list[str]:
    return sorted({s.event.title for s in response.context["sessions"]})


def _month_titles(response: Any) -> list[str]:
    return sorted(
        {s.event.title for week in response.context["weeks"] for day in week for s in day[2]}
    )


def test_the_list_of_a_center_shows_the_events_it_co_hosts(cohosted: Any, client: Any) -> None:
    # when
    response = client.get(reverse("events:list"), {"center": "sapporo"})
    # then
    assert response.status_code == 200
    assert _titles(response) == sorted(CITY_CALENDAR)


def test_the_month_of_a_center_shows_the_events_it_co_hosts_in_a_fixed_number_of_queries(
    cohosted: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    # given more co-hosted events on one day
    for i in range(15):
        event = EventFactory.create(
            center=cohosted.prefecture,
            title=f"共催講座{i}",
            dates=[(datetime.date(2026, 12, 10), "10:00", "12:00")],
        )
        EventCoHost.objects.create(event=event, center=cohosted.city)
    # when
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("events:month"), {"year": "2026", "month": "12", "center": "sapporo"}
        )
    # then
    assert response.status_code == 200
    shown = _month_titles(response)
    assert set(CITY_CALENDAR) <= set(shown)
    assert "広報講座" not in shown and "非公開の共催講座" not in shown
    assert response.context["count"] == len(CITY_CALENDAR) + 15


def test_the_week_of_a_center_shows_the_events_it_co_hosts(cohosted: Any, client: Any) -> None:
    response = client.get(reverse("events:week"), {"date": "2026-12-02", "center": "sapporo"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "NPO法人向け会計講座" in body and "北海道市民活動フォーラム" in body
    assert "広報講座" not in body and "非公開の共催講座" not in body


def test_the_owners_calendar_still_shows_its_co_hosted_event(cohosted: Any, client: Any) -> None:
    response = client.get(reverse("events:list"), {"center": "hokkaido-npo"})
    assert _titles(response) == ["NPO法人向け会計講座", "北海道市民活動フォーラム"]


def test_a_group_co_host_puts_no_event_on_another_centers_calendar(
    cohosted: Any, client: Any
) -> None:
    response = client.get(reverse("events:list"), {"center": "yokohama"})
    assert _titles(response) == ["広報講座"]


def test_an_event_both_co_hosted_and_cross_posted_shows_once(cohosted: Any, client: Any) -> None:
    # given the city also cross-posts the course it co-hosts
    from kyodo.events.models import Event

    CrossPosting.objects.create(
        event=Event.objects.get(title="NPO法人向け会計講座"), center=cohosted.city
    )
    # when
    response = client.get(reverse("events:list"), {"center": "sapporo"})
    # then
    titles = [s.event.title for s in response.context["sessions"]]
    assert titles.count("NPO法人向け会計講座") == 1


def test_the_center_feed_has_the_events_it_co_hosts(cohosted: Any, client: Any) -> None:
    icalendar = pytest.importorskip("icalendar")
    # when
    response = client.get(reverse("events:center_ics", args=["sapporo"]))
    # then
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.content)
    assert sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT")) == sorted(CITY_CALENDAR)


@pytest.mark.parametrize("key", ["slug", "pk"])
def test_the_api_center_filter_has_the_events_it_co_hosts(
    cohosted: Any, client: Any, key: str
) -> None:
    # when
    response = client.get(
        "/api/v1/events",
        {"center": str(getattr(cohosted.city, key)), "from": "2026-12-01", "to": "2026-12-31"},
    )
    # then
    assert response.status_code == 200
    results = response.json()["results"]
    assert sorted(r["title"] for r in results) == sorted(CITY_CALENDAR)
    course = next(r for r in results if r["title"] == "NPO法人向け会計講座")
    assert course["center_id"] == cohosted.prefecture.pk  # still the organiser's event
