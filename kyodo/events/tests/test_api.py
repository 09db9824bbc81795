"""The events API: occurrences in a range, one event, registration."""

from __future__ import annotations

import datetime
from typing import Any

from kyodo.events.models import EventStatus, Registration
from kyodo.events.tests.factories import EventFactory, QuestionFactory


def test_occurrences_within_the_range_are_listed(
    net: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    # given a weekly consultation day and a course outside the range
    EventFactory.create(
        center=net.city,
        title="女性のための法律相談",
        dates=[datetime.date(2026, 12, d) for d in (4, 11, 18, 25)],
    )
    EventFactory.create(center=net.city, title="来年の講座", dates=[datetime.date(2027, 2, 1)])
    EventFactory.create(center=net.city, title="下書き", status=EventStatus.DRAFT)
    # when
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/events", {"from": "2026-12-01", "to": "2026-12-31"})
    # then
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 4
    assert [r["date"] for r in data["results"]] == [
        "2026-12-04",
        "2026-12-11",
        "2026-12-18",
        "2026-12-25",
    ]
    assert data["results"][0]["center_id"] == net.city.pk


def test_filters_by_center_id_audience_and_keyword(net: Any, client: Any) -> None:
    EventFactory.create(center=net.city, title="子育てサロン", audiences=["parents"])
    EventFactory.create(center=net.prefecture, title="NPO会計講座")
    by_center = client.get("/api/v1/events", {"center": str(net.city.pk)}).json()
    by_audience = client.get("/api/v1/events", {"audience": "npos"}).json()
    by_q = client.get("/api/v1/events", {"q": "サロン"}).json()
    assert [r["title"] for r in by_center["results"]] == ["子育てサロン"]
    assert [r["title"] for r in by_audience["results"]] == ["NPO会計講座"]
    assert [r["title"] for r in by_q["results"]] == ["子育てサロン"]


def test_invalid_filters_answer_422(net: Any, client: Any) -> None:
    assert client.get("/api/v1/events", {"from": "2026-02-30"}).status_code == 422
    bad = client.get("/api/v1/events", {"audience": "aliens"})
    assert bad.status_code == 422 and "audience" in bad.json()["errors"]
    backwards = client.get("/api/v1/events", {"from": "2026-12-10", "to": "2026-12-01"})
    assert backwards.status_code == 422
    too_long = client.get("/api/v1/events", {"from": "2026-01-01", "to": "2028-01-01"})
    assert too_long.status_code == 422


def test_one_event_with_sessions_and_questions(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city)
    QuestionFactory.create(event=event)
    data = client.get(f"/api/v1/events/{event.pk}").json()
    assert data["title"] == "NPO法人向け会計講座"
    assert data["sessions"][0]["start_time"] == "13:00"
    assert data["questions"][0]["label"] == "所属団体名"
    draft = EventFactory.create(center=net.city, status=EventStatus.DRAFT)
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404


def test_registration_through_the_api(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city, capacity=1)
    question = QuestionFactory.create(event=event)
    body = {
        "name": "札幌 花子",
        "email": "hanako@example.jp",
        "answers": {str(question.pk): "NPO法人さっぽろ"},
    }
    first = client.post(
        f"/api/v1/events/{event.pk}/registrations", body, content_type="application/json"
    )
    second = client.post(
        f"/api/v1/events/{event.pk}/registrations",
        {**body, "email": "taro@example.jp"},
        content_type="application/json",
    )
    twice = client.post(
        f"/api/v1/events/{event.pk}/registrations", body, content_type="application/json"
    )
    invalid = client.post(
        f"/api/v1/events/{event.pk}/registrations",
        {"name": "", "email": "nope"},
        content_type="application/json",
    )
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    assert second.status_code == 201 and second.json() == {
        "id": second.json()["id"],
        "status": "waitlisted",
        "position": 1,
        "session": None,
    }
    assert twice.status_code == 409
    assert invalid.status_code == 422
    assert {"name", "email", f"q_{question.pk}"} <= set(invalid.json()["errors"])
    assert Registration.objects.count() == 2


def test_registration_when_full_without_a_waiting_list_is_409(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city, capacity=1, has_waiting_list=False)
    for email in ("a@example.jp", "b@example.jp"):
        response = client.post(
            f"/api/v1/events/{event.pk}/registrations",
            {"name": "甲", "email": email},
            content_type="application/json",
        )
    assert response.status_code == 409
    assert (
        client.post(
            "/api/v1/events/99999/registrations",
            {"name": "甲", "email": "a@example.jp"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_the_cursor_walks_every_occurrence_once_in_calendar_order(net: Any, client: Any) -> None:
    # given all-day and timed sessions, several at the same time on the same day
    days = [datetime.date(2026, 12, d) for d in (3, 3, 4, 10)]
    for i in range(3):
        EventFactory.create(center=net.city, title=f"終日{i}", dates=days)
        EventFactory.create(
            center=net.prefecture,
            title=f"午後{i}",
            dates=[(day, "13:00", "15:00") for day in sorted(set(days))],
        )
    expected = client.get(
        "/api/v1/events", {"from": "2026-12-01", "to": "2026-12-31", "limit": 100}
    ).json()
    # when
    seen: list[int] = []
    cursor = ""
    for _ in range(20):
        page = client.get(
            "/api/v1/events",
            {"from": "2026-12-01", "to": "2026-12-31", "limit": 4, "cursor": cursor},
        ).json()
        assert page["count"] == expected["count"]
        seen += [r["session_id"] for r in page["results"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # then
    assert seen == [r["session_id"] for r in expected["results"]]
    assert len(seen) == len(set(seen)) == 21
    first_day = [r for r in expected["results"] if r["date"] == "2026-12-03"]
    assert [r["start_time"] for r in first_day] == [None] * 6 + ["13:00"] * 3
    assert expected["next_cursor"] is None


def test_pages_by_number_follow_the_same_order(net: Any, client: Any) -> None:
    # given
    for i in range(5):
        EventFactory.create(
            center=net.city, title=f"講座{i}", dates=[(datetime.date(2026, 12, 1 + i), "10:00", "")]
        )
    query = {"from": "2026-12-01", "to": "2026-12-31", "limit": 2}
    # when
    pages = [client.get("/api/v1/events", {**query, "page": n}).json() for n in (1, 2, 3, 4)]
    # then
    assert [[r["title"] for r in p["results"]] for p in pages] == [
        ["講座0", "講座1"],
        ["講座2", "講座3"],
        ["講座4"],
        [],
    ]
    assert pages[0]["next_cursor"] and pages[2]["next_cursor"] is None


def test_a_cursor_we_did_not_give_answers_422(net: Any, client: Any) -> None:
    for cursor in ("nonsense", "MjAyNi0xMi0wMXx8eA", "!!"):
        response = client.get("/api/v1/events", {"cursor": cursor})
        assert response.status_code == 422, cursor
        assert "cursor" in response.json()["errors"]
    assert client.get("/api/v1/events", {"limit": 0}).status_code == 422
    assert client.get("/api/v1/events", {"limit": 501}).status_code == 422


def test_an_unknown_fee_is_null(net: Any, client: Any) -> None:
    # given
    event = EventFactory.create(center=net.city, fee_yen=None)
    # when
    listed = client.get("/api/v1/events", {"from": "2026-12-01", "to": "2026-12-31"}).json()
    one = client.get(f"/api/v1/events/{event.pk}").json()
    # then
    assert listed["results"][0]["fee_yen"] is None
    assert one["fee_yen"] is None
