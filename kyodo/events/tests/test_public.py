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


def test_the_month_of_a_busy_network_reads_a_fixed_number_of_queries(
    net: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    # given forty courses of three centers over the month, eight of them on one day
    for i in range(40):
        center = (net.prefecture, net.city, net.unrelated)[i % 3]
        day = datetime.date(2026, 12, 5) if i < 8 else datetime.date(2026, 12, 1 + i % 28)
        EventFactory.create(center=center, title=f"講座{i}", dates=[(day, "10:00", "12:00")])
    # when
    with django_assert_max_num_queries(7):
        response = client.get(reverse("events:month"), {"year": "2026", "month": "12"})
    # then
    assert response.status_code == 200
    assert response.context["count"] == 40


def test_a_day_shows_its_first_sessions_in_calendar_order(net: Any, client: Any) -> None:
    # given an all-day event and seven timed courses on one day
    for hour in (16, 9, 11, 13, 10, 15, 14):
        EventFactory.create(
            center=net.city,
            title=f"{hour}時の講座",
            dates=[(datetime.date(2026, 12, 5), f"{hour:02}:00", f"{hour:02}:45")],
        )
    EventFactory.create(center=net.city, title="終日のフェア", dates=[datetime.date(2026, 12, 5)])
    # when
    response = client.get(reverse("events:month"), {"year": "2026", "month": "12"})
    # then the all-day event first, then by start time, the last two behind the link
    day = next(cell for week in response.context["weeks"] for cell in week if cell[0].day == 5)
    _day, _in_month, sessions, more = day
    assert [s.event.title for s in sessions] == [
        "終日のフェア",
        "9時の講座",
        "10時の講座",
        "11時の講座",
        "13時の講座",
        "14時の講座",
    ]
    assert more == 2


@pytest.mark.parametrize("by_center", [False, True], ids=["network", "one center"])
def test_each_day_shows_its_own_first_sessions_and_count(
    net: Any, client: Any, by_center: bool
) -> None:
    # given eight courses on the 5th, three on the 9th and one on the 20th
    plan = {5: 8, 9: 3, 20: 1}
    for day, count in plan.items():
        for hour in range(9, 9 + count):
            EventFactory.create(
                center=net.city,
                title=f"{day}日{hour}時の講座",
                dates=[(datetime.date(2026, 12, day), f"{hour:02}:00", f"{hour:02}:30")],
            )
    # when the network's month, or the city's, is shown
    query = {"year": "2026", "month": "12"}
    if by_center:
        query["center"] = net.city.slug
    response = client.get(reverse("events:month"), query)
    # then each day lists its own first sessions, and the rest behind its link
    cells = {cell[0].day: cell for week in response.context["weeks"] for cell in week if cell[1]}
    for day, count in plan.items():
        _day, _in_month, sessions, more = cells[day]
        shown = min(count, 6)
        assert [s.event.title for s in sessions] == [
            f"{day}日{hour}時の講座" for hour in range(9, 9 + shown)
        ]
        assert more == count - shown
    assert all(not cells[d][2] for d in cells if d not in plan)


def test_the_link_to_a_days_list_keeps_the_filters_but_not_their_dates(
    calendar: Any, client: Any
) -> None:
    # given nine courses of the city on one day, and a search with dates
    for i in range(7):
        EventFactory.create(
            center=calendar.city, title=f"講座{i}", dates=[datetime.date(2026, 12, 9)]
        )
    # when
    body = client.get(
        reverse("events:month"),
        {"year": "2026", "month": "12", "center": "sapporo", "date_from": "2026-12-01"},
    ).content.decode()
    # then
    assert "date_from=2026-12-09&amp;date_to=2026-12-09&amp;center=sapporo" in body
    assert "date_from=2026-12-09&amp;date_to=2026-12-09&amp;date_from" not in body


def test_the_calendar_leaves_out_cancelled_sessions_and_inactive_centers(
    calendar: Any, client: Any
) -> None:
    # given a course whose second date was called off, and a center that closed
    from kyodo.events.models import EventSession

    course = EventFactory.create(
        center=calendar.city,
        title="連続講座",
        dates=[datetime.date(2026, 12, 10), datetime.date(2026, 12, 17)],
    )
    EventSession.objects.filter(event=course, date=datetime.date(2026, 12, 17)).update(
        is_cancelled=True
    )
    calendar.unrelated.is_active = False
    calendar.unrelated.save()
    # when
    response = client.get(reverse("events:list"), {"date_from": "2026-12-01"})
    # then
    shown = [(s.event.title, s.date) for s in response.context["sessions"]]
    assert ("連続講座", datetime.date(2026, 12, 10)) in shown
    assert ("連続講座", datetime.date(2026, 12, 17)) not in shown
    assert "オンライン広報講座" not in titles(response)


def test_a_busy_day_of_the_week_links_to_the_rest(
    net: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    # given 23 courses on one Wednesday
    for i in range(23):
        EventFactory.create(
            center=net.city, title=f"講座{i:02}", dates=[datetime.date(2026, 12, 2)]
        )
    # when
    with django_assert_max_num_queries(7):
        response = client.get(reverse("events:week"), {"date": "2026-12-02"})
    # then twenty are shown, and a link leads to that day's list
    wednesday = response.context["days"][3]
    assert wednesday[0] == datetime.date(2026, 12, 2)
    assert len(wednesday[1]) == 20 and wednesday[2] == 3
    assert "date_from=2026-12-02&amp;date_to=2026-12-02" in response.content.decode()


def test_a_session_links_to_its_event_with_its_times_and_status(calendar: Any, client: Any) -> None:
    # given
    from kyodo.events.models import Event

    event = Event.objects.get(title="NPO法人向け会計講座")
    Event.objects.filter(pk=event.pk).update(status=EventStatus.POSTPONED)
    # when
    body = client.get(reverse("events:week"), {"date": "2026-12-02"}).content.decode()
    # then
    assert f'<a href="{event.get_absolute_url()}">NPO法人向け会計講座</a>' in body
    assert "<span>13:00〜16:00</span>" in body
    assert '<span class="badge badge--warning">延期</span>' in body


def _json_ld(response: Any) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_the_json_ld_gives_no_price_when_the_fee_is_not_stated(net: Any, client: Any) -> None:
    from django.utils.translation import gettext

    # given
    unknown = EventFactory.create(center=net.city, fee_yen=None)
    paid = EventFactory.create(center=net.city, fee_yen=1500)
    # when
    unknown_page = client.get(unknown.get_absolute_url())
    paid_data = _json_ld(client.get(paid.get_absolute_url()))
    # then
    unknown_data = _json_ld(unknown_page)
    assert "offers" not in unknown_data and "isAccessibleForFree" not in unknown_data
    assert gettext("Not stated") in unknown_page.content.decode()
    assert paid_data["offers"]["price"] == 1500 and paid_data["isAccessibleForFree"] is False
