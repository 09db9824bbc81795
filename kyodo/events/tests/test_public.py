"""The public calendar: list, month, week, event page with JSON-LD, feeds."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.urls import reverse

from kyodo.events.models import CrossPosting, EventStatus
from kyodo.events.tests.factories import EventFactory


@pytest.fixture
def calendar(net: Any) -> Any:
    EventFactory.create(
        center=net.prefecture,
        title="NPO法人向け会計講座",
        dates=[(datetime.date(2026, 12, 2), "13:00", "16:00")],
    )
    EventFactory.create(
        center=net.city,
        title="子育てサロン",
        audiences=["parents"],
        topics=["子育て"],
        fee_yen=300,
        dates=[datetime.date(2026, 12, 9)],
    )
    EventFactory.create(
        center=net.unrelated,
        title="オンライン広報講座",
        online_url="https://meet.example.jp/abc",
        topics=["広報"],
        dates=[datetime.date(2026, 12, 3)],
    )
    EventFactory.create(
        center=net.city,
        title="非公開の下書き",
        status=EventStatus.DRAFT,
        dates=[datetime.date(2026, 12, 3)],
    )
    return net


def titles(response: Any) -> list[str]:
    return sorted({s.event.title for s in response.context["sessions"]})


def test_the_list_shows_upcoming_public_sessions_only(
    calendar: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(10):
        EventFactory.create(
            center=calendar.city, title=f"講座{i}", dates=[datetime.date(2026, 12, 10 + i)]
        )
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:list"))
    assert response.status_code == 200
    assert "非公開の下書き" not in titles(response)
    assert "NPO法人向け会計講座" in titles(response)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"center": "sapporo"}, ["子育てサロン"]),
        ({"audience": "parents"}, ["子育てサロン"]),
        ({"free": "on"}, ["NPO法人向け会計講座", "オンライン広報講座"]),
        ({"online": "on"}, ["オンライン広報講座"]),
        ({"q": "サロン"}, ["子育てサロン"]),
        ({"area": "神奈川県"}, ["オンライン広報講座"]),
        ({"date_from": "2026-12-09", "date_to": "2026-12-09"}, ["子育てサロン"]),
    ],
)
def test_the_list_filters(
    calendar: Any, client: Any, filters: dict[str, str], expected: list[str]
) -> None:
    response = client.get(reverse("events:list"), filters)
    assert titles(response) == sorted(expected)


def test_a_cross_posted_event_shows_on_the_partners_calendar(calendar: Any, client: Any) -> None:
    from kyodo.events.models import Event

    event = Event.objects.get(title="NPO法人向け会計講座")
    CrossPosting.objects.create(event=event, center=calendar.city)
    response = client.get(reverse("events:list"), {"center": "sapporo"})
    assert "NPO法人向け会計講座" in titles(response)


def test_bad_filters_are_reported_not_a_500(calendar: Any, client: Any) -> None:
    response = client.get(
        reverse("events:list"),
        {"center": "nowhere", "date_from": "2026-02-30", "topic": "x", "date_to": "abc"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("center") and form.has_error("date_from") and form.has_error("topic")


def test_the_end_before_the_start_is_reported(calendar: Any, client: Any) -> None:
    response = client.get(
        reverse("events:list"), {"date_from": "2026-12-10", "date_to": "2026-12-01"}
    )
    assert response.context["form"].has_error("date_to")


def test_htmx_gets_only_the_results(calendar: Any, client: Any) -> None:
    response = client.get(reverse("events:list"), {"q": "サロン"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="event-results"' in body and "<html" not in body


def test_the_month_is_a_table_with_caption_and_day_headers(
    calendar: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:month"), {"year": "2026", "month": "12"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<caption>" in body and body.count('<th scope="col">') == 7
    assert "NPO法人向け会計講座" in body and "非公開の下書き" not in body


def test_a_bad_month_falls_back_to_this_month(calendar: Any, client: Any) -> None:
    response = client.get(reverse("events:month"), {"year": "x", "month": "13"})
    assert response.status_code == 200
    assert response.context["month"] == datetime.date(2026, 11, 1)


def test_the_week_view(calendar: Any, client: Any) -> None:
    response = client.get(reverse("events:week"), {"date": "2026-12-02"})
    assert response.status_code == 200
    assert response.context["start"] == datetime.date(2026, 11, 29)
    assert "NPO法人向け会計講座" in response.content.decode()
    assert client.get(reverse("events:week"), {"date": "bad"}).status_code == 200


def test_the_event_page_has_schema_org_json_ld(calendar: Any, client: Any) -> None:
    from kyodo.events.models import Event

    event = Event.objects.get(title="NPO法人向け会計講座")
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match
    data = json.loads(match.group(1))
    assert data["@type"] == "Event" and data["name"] == "NPO法人向け会計講座"
    assert data["startDate"] == "2026-12-02T13:00:00+09:00"
    assert data["organizer"]["name"] == "北海道NPO活動推進センター"
    assert data["offers"]["price"] == 0


def test_a_draft_has_no_public_page(calendar: Any, client: Any) -> None:
    from kyodo.events.models import Event

    draft = Event.objects.get(title="非公開の下書き")
    assert client.get(draft.get_absolute_url()).status_code == 404


def _ics(response: Any) -> Any:
    icalendar = pytest.importorskip("icalendar")
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_the_network_feed_round_trips_through_icalendar(calendar: Any, client: Any) -> None:
    cal = _ics(client.get(reverse("events:feed_ics")))
    events = [c for c in cal.walk("VEVENT")]
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == ["NPO法人向け会計講座", "オンライン広報講座", "子育てサロン"]
    course = next(e for e in events if str(e["SUMMARY"]) == "NPO法人向け会計講座")
    start = course.decoded("DTSTART")
    assert start == datetime.datetime(2026, 12, 2, 13, 0, tzinfo=start.tzinfo)
    assert start.utcoffset() == datetime.timedelta(hours=9)
    all_day = next(e for e in events if str(e["SUMMARY"]) == "子育てサロン")
    assert all_day.decoded("DTSTART") == datetime.date(2026, 12, 9)


def test_a_search_feed_keeps_the_filters(calendar: Any, client: Any) -> None:
    cal = _ics(client.get(reverse("events:feed_ics"), {"q": "向け会計"}))
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["NPO法人向け会計講座"]


def test_the_center_feed(calendar: Any, client: Any) -> None:
    cal = _ics(client.get(reverse("events:center_ics", args=["sapporo"])))
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["子育てサロン"]
    assert client.get(reverse("events:center_ics", args=["nowhere"])).status_code == 404


def test_the_organization_feed(calendar: Any, client: Any) -> None:
    from kyodo.events.models import Event, EventCoHost
    from kyodo.organizations.models import Organization

    organization = Organization.objects.create(name="NPO法人さっぽろ子育てネット")
    EventCoHost.objects.create(
        event=Event.objects.get(title="子育てサロン"), organization=organization
    )
    cal = _ics(client.get(reverse("events:organization_ics", args=[organization.pk])))
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["子育てサロン"]
    assert client.get(reverse("events:organization_ics", args=[999999])).status_code == 404


def test_the_atom_feed(calendar: Any, client: Any) -> None:
    response = client.get(reverse("events:feed_atom"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "http://www.w3.org/2005/Atom" in body and "NPO法人向け会計講座" in body
    assert "非公開の下書き" not in body


def test_a_busy_day_in_the_month_shows_six_sessions_and_links_to_the_rest(
    net: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    # given nine courses on one day
    for i in range(9):
        EventFactory.create(center=net.city, title=f"講座{i}", dates=[datetime.date(2026, 12, 5)])
    # when
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:month"), {"year": "2026", "month": "12"})
    # then
    body = response.content.decode()
    assert sum(f"講座{i}" in body for i in range(9)) == 6
    assert "date_from=2026-12-05&amp;date_to=2026-12-05" in body
    assert response.context["count"] == 9


def test_a_title_with_markup_cannot_end_the_json_ld_script(calendar: Any, client: Any) -> None:
    # given
    from kyodo.events.models import Event

    event = Event.objects.get(title="NPO法人向け会計講座")
    Event.objects.filter(pk=event.pk).update(title="講座</script><script>alert(1)</script>")

    # when
    page = client.get(event.get_absolute_url()).content.decode()

    # then
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match
    assert json.loads(match.group(1))["name"] == "講座</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in page
