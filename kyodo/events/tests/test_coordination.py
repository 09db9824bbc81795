"""Coordination warnings: the labelled set, warnings on save, decisions, the network view."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from kyodo.events import actions
from kyodo.events.labelled import evaluate, load_pairs
from kyodo.events.models import CoordinationWarning, Decision, EventStatus
from kyodo.events.tests.factories import EventFactory

# Set from measurement (1.00 / 1.00 on the 68 pairs): a regression below these fails.
MIN_PRECISION = 0.9
MIN_RECALL = 0.9


def test_the_labelled_set_has_at_least_sixty_pairs_of_both_kinds() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 60
    labels = [label for *_, label in pairs]
    assert labels.count(1) >= 25 and labels.count(0) >= 25


def test_precision_and_recall_on_the_labelled_set_meet_the_thresholds() -> None:
    result = evaluate()
    assert result.precision >= MIN_PRECISION, result.mistakes
    assert result.recall >= MIN_RECALL, result.mistakes


def _save(event: Any, user: Any) -> list[CoordinationWarning]:
    return actions.save_event(
        by=user,
        event=event,
        sessions=[
            actions.SessionTimes(s.date, s.start_time, s.end_time) for s in event.sessions.all()
        ],
        audiences=event.audience_codes,
        topics=list(event.topics.all()),
    )


def test_saving_a_training_warns_of_the_partner_centers_training_the_same_week(net: Any) -> None:
    # given the prefecture's NPO accounting course on Wednesday
    theirs = EventFactory.create(
        center=net.prefecture, title="NPO法人向け会計講座", dates=[datetime.date(2026, 12, 2)]
    )
    # and the city's accounting seminar two days later
    mine = EventFactory.create(
        center=net.city,
        title="NPO会計実務セミナー",
        status=EventStatus.DRAFT,
        dates=[datetime.date(2026, 12, 4)],
    )
    # when the city saves it
    warnings = _save(mine, net.city_staff)
    # then
    assert [w.other_event for w in warnings] == [theirs]
    assert {r["code"] for r in warnings[0].reasons} >= {"days_apart", "audiences", "topics"}


def test_an_unrelated_event_on_the_same_day_gives_no_warning(net: Any) -> None:
    EventFactory.create(
        center=net.prefecture,
        title="子育てサロン",
        audiences=["parents"],
        topics=["子育て"],
        dates=[datetime.date(2026, 12, 4)],
    )
    mine = EventFactory.create(
        center=net.city, status=EventStatus.DRAFT, dates=[datetime.date(2026, 12, 4)]
    )
    assert _save(mine, net.city_staff) == []


def test_publishing_waits_for_a_decision_on_every_warning(net: Any, client: Any) -> None:
    # given a draft with one undecided warning
    EventFactory.create(center=net.prefecture, dates=[datetime.date(2026, 12, 2)])
    mine = EventFactory.create(
        center=net.city, status=EventStatus.DRAFT, dates=[datetime.date(2026, 12, 3)]
    )
    [warning] = _save(mine, net.city_staff)
    client.force_login(net.city_staff)
    # when staff try to publish
    response = client.post(reverse("events_staff:publish", args=[mine.pk]))
    # then they are sent to the comparison and the event stays a draft
    assert response.status_code == 302
    assert response["Location"] == reverse("events_staff:coordination", args=[mine.pk])
    mine.refresh_from_db()
    assert mine.status == EventStatus.DRAFT
    # when they look at the comparison, the warning is recorded as seen
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "北海道NPO活動推進センター" in page.content.decode()
    warning.refresh_from_db()
    assert warning.seen_by == net.city_staff and warning.seen_at is not None
    # when they decide without a choice, the form says so
    bad = client.post(response["Location"], {"warning": warning.pk, f"w{warning.pk}-note": "x"})
    assert bad.status_code == 422
    # when they record a decision and publish
    client.post(
        response["Location"],
        {
            "warning": warning.pk,
            f"w{warning.pk}-decision": Decision.ADJUSTED,
            f"w{warning.pk}-note": "道センターと相談し実務編に変更",
        },
    )
    client.post(reverse("events_staff:publish", args=[mine.pk]))
    # then
    warning.refresh_from_db()
    mine.refresh_from_db()
    assert warning.decision == Decision.ADJUSTED and warning.decided_by == net.city_staff
    assert mine.status == EventStatus.PUBLISHED


def test_another_centers_staff_cannot_decide_on_a_warning(net: Any, client: Any) -> None:
    EventFactory.create(center=net.prefecture, dates=[datetime.date(2026, 12, 2)])
    mine = EventFactory.create(
        center=net.city, status=EventStatus.DRAFT, dates=[datetime.date(2026, 12, 3)]
    )
    _save(mine, net.city_staff)
    client.force_login(net.unrelated_staff)
    response = client.get(reverse("events_staff:coordination", args=[mine.pk]))
    assert response.status_code == 403


def test_the_network_view_lists_each_clashing_pair_of_the_fiscal_year_once(
    net: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    # given a clash between the prefecture and the city, and an unrelated event
    EventFactory.create(
        center=net.prefecture, title="NPO法人向け会計講座", dates=[datetime.date(2026, 12, 2)]
    )
    EventFactory.create(
        center=net.city, title="NPO会計実務セミナー", dates=[datetime.date(2026, 12, 4)]
    )
    EventFactory.create(
        center=net.unrelated,
        title="子育てサロン",
        audiences=["parents"],
        topics=["子育て"],
        dates=[datetime.date(2026, 12, 4)],
    )
    client.force_login(net.city_staff)
    # when (a fixed number of queries, however many pairs: the report's are the events the
    # reader may not see, the count, the best pairs and their events' features)
    with django_assert_max_num_queries(21):
        response = client.get(reverse("events_staff:network"), {"year": 2026})
    # then
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1
    body = response.content.decode()
    assert "NPO会計実務セミナー" in body and "子育てサロン" not in body


def test_the_network_view_survives_a_bad_year(net: Any, client: Any) -> None:
    client.force_login(net.city_staff)
    assert client.get(reverse("events_staff:network"), {"year": "abc"}).status_code == 200


def test_citizens_cannot_open_the_network_view(net: Any, client: Any) -> None:
    client.force_login(net.citizen)
    assert client.get(reverse("events_staff:network")).status_code == 403


def test_the_network_sweep_finds_exactly_the_pairs_a_full_comparison_finds() -> None:
    # given 300 random events over four months
    import random

    from kyodo.events.coordination import Features, all_clashes, compare, is_clash

    rng = random.Random(7)
    topics = ["NPO会計", "子育て", "防災", "広報", "協働"]
    audiences = ["npos", "citizens", "women", "parents"]
    events = []
    for key in range(300):
        first = datetime.date(2026, 4, 1) + datetime.timedelta(days=rng.randrange(120))
        events.append(
            Features.build(
                key=key,
                title=rng.choice(topics) + rng.choice(["入門講座", "交流会", "カフェ"]),
                audiences=rng.sample(audiences, rng.choice([0, 1, 2])),
                topics=rng.sample(topics, rng.choice([0, 1])),
                dates=[first + datetime.timedelta(days=7 * n) for n in range(rng.choice([1, 4]))],
                kind=rng.choice(["training", "consultation"]),
            )
        )
    # when
    swept = {frozenset((a.key, b.key)) for a, b, _match in all_clashes(events)}
    # then
    full = {
        frozenset((a.key, b.key))
        for i, a in enumerate(events)
        for b in events[i + 1 :]
        if is_clash(compare(a, b))
    }
    assert swept == full and full
