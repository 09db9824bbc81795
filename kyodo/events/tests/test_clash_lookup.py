"""The clash check looks its candidates up in the database and the network report ranks
the pairs of a fiscal year: both must find exactly what comparing every pair finds."""

from __future__ import annotations

import datetime
import io
import random
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kyodo.events import actions, coordination
from kyodo.events.models import Audience, Event, EventClash, EventStatus, Topic
from kyodo.events.tests.factories import EventFactory

TITLES = [
    "NPO法人向け会計講座",
    "NPO会計実務セミナー",
    "はじめての会計ボランティア",
    "子育てサロン",
    "子育て広場の交流会",
    "防災ワークショップ",
    "地域防災リーダー養成講座",
    "ＳＮＳ発信講座",
    "SNS発信入門",
    "女性のための法律相談",
]
TOPICS = ["NPO会計", "子育て", "防災", "広報", "法律相談"]
AUDIENCES = ["npos", "citizens", "parents", "women"]


@pytest.fixture
def network(net: Any) -> list[Event]:
    """Forty events of three centers over six weeks, some cancelled, some without an
    audience or a topic, some consultation days and some courses of several dates."""
    rng = random.Random(11)
    events = []
    for i in range(40):
        first = datetime.date(2026, 12, 1) + datetime.timedelta(days=rng.randrange(40))
        count = rng.choice([1, 1, 1, 3])
        events.append(
            EventFactory.create(
                center=(net.prefecture, net.city, net.unrelated)[i % 3],
                title=rng.choice(TITLES),
                kind=rng.choice(["training", "training", "consultation"]),
                status=EventStatus.CANCELLED if i % 13 == 0 else EventStatus.PUBLISHED,
                audiences=rng.sample(AUDIENCES, rng.choice([0, 1, 1, 2])),
                topics=rng.sample(TOPICS, rng.choice([0, 1, 1, 2])),
                dates=[first + datetime.timedelta(days=7 * n) for n in range(count)],
            )
        )
    return events


def test_saving_an_event_stores_the_bigrams_of_its_title(db: Any) -> None:
    # given
    event = EventFactory.create(title="ＮＰＯ会計入門講座")
    # when the title changes
    event.title = "子育てサロン"
    event.save(update_fields=["title"])
    # then
    event.refresh_from_db()
    assert event.title_bigrams == coordination.bigram_text("子育てサロン")
    assert set(event.title_bigrams.split()) == {"子育", "育テ", "テサ", "サロ", "ロン"}


def test_the_clash_check_finds_exactly_what_comparing_every_event_finds(
    network: list[Event],
) -> None:
    # given every event's features, as comparing the whole network would use them
    everyone = coordination.features_from_db(Event.objects.all())
    comparable = [f for f in everyone if Event.objects.get(pk=f.key).status != "cancelled"]
    by_key = {f.key: f for f in everyone}
    found_some = False
    for event in network:
        # when
        looked_up = {o.key: m.score for o, m in coordination.clashes_for(event)}
        # then
        expected = {
            o.key: m.score for o, m in coordination.clashes_with(by_key[event.pk], comparable)
        }
        assert looked_up == expected, event.title
        found_some |= bool(expected)
    assert found_some


def test_the_clash_check_reads_a_fixed_number_of_queries(
    network: list[Event], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        coordination.clashes_for(network[1])


def test_saving_keeps_one_warning_per_clash_in_a_fixed_number_of_queries(
    network: list[Event], django_assert_max_num_queries: Any
) -> None:
    # given the event of the network with the most clashes
    event = max(network, key=lambda e: len(coordination.clashes_for(e)))
    expected = {int(o.key): m.score for o, m in coordination.clashes_for(event)}
    assert len(expected) >= 3
    # when it is checked the first time, and again once a clash has gone (the check, the
    # warnings, the event's clash terms and its stored pairs for the network report: 17
    # queries at most)
    with django_assert_max_num_queries(17):
        first = actions.find_warnings(event)
    gone = next(iter(expected))
    Event.objects.filter(pk=gone).update(status=EventStatus.CANCELLED)
    with django_assert_max_num_queries(17):
        second = actions.find_warnings(event)
    # then
    assert {w.other_event_id: w.score for w in first} == expected
    assert {w.other_event_id for w in second} == set(expected) - {gone}
    assert set(event.warnings.values_list("other_event_id", flat=True)) == set(expected) - {gone}


def _stored() -> dict[frozenset[int], float]:
    return {
        frozenset((first, second)): score
        for first, second, score in EventClash.objects.values_list("first", "second", "score")
    }


def _swept() -> dict[frozenset[int], float]:
    """Every pair comparing every event not cancelled finds."""
    events = Event.objects.exclude(status=EventStatus.CANCELLED)
    return {
        frozenset((int(a.key), int(b.key))): m.score
        for a, b, m in coordination.all_clashes(coordination.features_from_db(events))
    }


def test_the_stored_pairs_are_the_pairs_comparing_every_event_finds(
    network: list[Event],
) -> None:
    # given events stored one after another, as saving them does
    stored = _stored()
    # then
    assert stored == _swept()
    assert len(stored) > 5
    # and storing them all again with the sweep changes nothing
    assert coordination.rebuild_clashes() == len(stored)
    assert _stored() == stored


def test_the_stored_pairs_follow_an_edit_a_cancellation_and_a_revival(
    net: Any, network: list[Event]
) -> None:
    # given the event with the most clashes
    busiest = max(network, key=lambda e: len(coordination.clashes_for(e)))
    staff = {net.prefecture.pk: net.prefecture_staff, net.city.pk: net.city_staff}.get(
        busiest.center_id, net.unrelated_staff
    )
    # when it is cancelled, and taken back to a draft
    actions.change_event_status(by=staff, event=busiest, status=EventStatus.CANCELLED)
    cancelled, swept_while_cancelled = _stored(), _swept()
    actions.change_event_status(by=staff, event=busiest, status=EventStatus.DRAFT)
    # then
    assert cancelled == swept_while_cancelled
    assert all(busiest.pk not in pair for pair in cancelled)
    assert any(busiest.pk in pair for pair in _stored())
    assert _stored() == _swept()
    # when its title and topics change through the staff action
    busiest.title = "まったく別の陶芸体験"
    actions.save_event(
        by=staff,
        event=busiest,
        sessions=[
            actions.SessionTimes(s.date, s.start_time, s.end_time) for s in busiest.sessions.all()
        ],
        audiences=busiest.audience_codes,
        topics=[],
    )
    # then
    assert _stored() == _swept()


def test_deleting_an_event_takes_its_pairs_away(network: list[Event]) -> None:
    event = max(network, key=lambda e: len(coordination.clashes_for(e)))
    event.delete()
    assert _stored() == _swept()


def test_the_report_counts_every_pair_and_ranks_the_best_first(network: list[Event]) -> None:
    # given
    every_pair = _swept()
    # when
    total, best = coordination.network_clashes(
        start=datetime.date(2026, 4, 1), end=datetime.date(2027, 3, 31), centers=None, limit=5
    )
    # then
    assert total == len(every_pair) > 5
    assert [m.score for _a, _b, m in best] == sorted(every_pair.values(), reverse=True)[:5]
    assert all(coordination.is_clash(m) for _a, _b, m in best)
    assert all(every_pair[frozenset((int(a.key), int(b.key)))] == m.score for a, b, m in best)


def test_the_report_counts_only_the_pairs_of_the_year_the_reader_may_see(
    net: Any, network: list[Event]
) -> None:
    # given a draft of one center among the pairs
    draft = max(network, key=lambda e: len(coordination.clashes_for(e)))
    Event.objects.filter(pk=draft.pk).update(status=EventStatus.DRAFT)
    others = [c.pk for c in (net.prefecture, net.city, net.unrelated) if c.pk != draft.center_id]
    everything = _swept()
    # when a reader who sees the drafts of the other centers only reads the report
    total, best = coordination.network_clashes(
        start=datetime.date(2026, 4, 1), end=datetime.date(2027, 3, 31), centers=others, limit=500
    )
    # then the draft's pairs are left out
    assert total == len([pair for pair in everything if draft.pk not in pair])
    assert all(draft.pk not in (int(a.key), int(b.key)) for a, b, _m in best)
    # and the year before has none of these pairs
    before = coordination.network_clashes(
        start=datetime.date(2025, 4, 1), end=datetime.date(2026, 3, 31), centers=None, limit=5
    )
    assert before == (0, [])


def test_the_command_stores_the_pairs_of_events_loaded_in_bulk(network: list[Event]) -> None:
    # given pairs lost, as after loading events without the actions
    expected = _stored()
    EventClash.objects.all().delete()
    out = io.StringIO()
    # when
    call_command("rebuild_clashes", stdout=out)
    # then
    assert _stored() == expected
    assert str(len(expected)) in out.getvalue()


def test_an_event_whose_bigrams_were_not_stored_is_read_from_its_title(db: Any) -> None:
    # given a row written without save(), as a bulk import would
    event = EventFactory.create(title="防災ワークショップ")
    Event.objects.filter(pk=event.pk).update(title_bigrams="")
    # when
    (features,) = coordination.features_from_db([event])
    # then
    assert features.bigrams == coordination.title_bigrams("防災ワークショップ")


def test_the_data_migration_fills_and_empties_the_stored_bigrams(transactional_db: Any) -> None:
    # (the fixture rather than the marker, so that the audit log's triggers are lifted for
    # the flush) given an event whose bigrams are missing
    event = EventFactory.create(title="NPO会計実務セミナー")
    Event.objects.filter(pk=event.pk).update(title_bigrams="")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("events")
    try:
        # when the migration is reversed and applied again
        executor.migrate([("events", "0004_calendar_indexes_and_title_bigrams")])
        # (only the column the historical table has)
        emptied = Event.objects.values_list("title_bigrams", flat=True).get(pk=event.pk)
        executor = MigrationExecutor(connection)
        executor.migrate([("events", "0005_fill_title_bigrams")])
    finally:
        MigrationExecutor(connection).migrate(latest)
    # then
    assert emptied == ""
    assert Event.objects.get(pk=event.pk).title_bigrams == coordination.bigram_text(
        "NPO会計実務セミナー"
    )


def test_the_migration_stores_the_pairs_of_the_events_already_there(
    transactional_db: Any,
) -> None:
    # given two clashing events whose pair is not stored
    first = EventFactory.create(title="NPO法人向け会計講座", dates=[datetime.date(2026, 12, 2)])
    second = EventFactory.create(title="NPO会計実務セミナー", dates=[datetime.date(2026, 12, 4)])
    EventClash.objects.all().delete()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("events")
    try:
        # when the migration that made the table is applied (on the historical models)
        executor.migrate([("events", "0005_fill_title_bigrams")])
        executor = MigrationExecutor(connection)
        executor.migrate([("events", "0006_event_clashes")])
    finally:
        MigrationExecutor(connection).migrate(latest)
    # then
    assert list(EventClash.objects.values_list("first", "second")) == [(first.pk, second.pk)]


def test_the_migration_fills_the_clash_terms_by_which_other_events_find_one(
    transactional_db: Any,
) -> None:
    # given two clashing events, the first without its clash terms
    first = EventFactory.create(
        title="NPO法人向け会計講座",
        dates=[datetime.date(2026, 12, 2)],
        audiences=[Audience.NPOS],
        topics=["NPO会計"],
    )
    second = EventFactory.create(title="NPO会計実務セミナー", dates=[datetime.date(2026, 12, 4)])
    Event.objects.filter(pk=first.pk).update(clash_terms="")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("events")
    try:
        # when the migration that added them is applied again
        executor.migrate([("events", "0006_event_clashes")])
        executor = MigrationExecutor(connection)
        executor.migrate([("events", "0007_event_clash_terms")])
    finally:
        MigrationExecutor(connection).migrate(latest)
    # then the first has its terms back, and the clash check of the second finds it
    terms = Event.objects.get(pk=first.pk).clash_terms.split()
    assert {"t:NPO会計", "a:npos", "m:2026-12", "会計"} <= set(terms)
    assert [int(other.key) for other, _match in coordination.clashes_for(second)] == [first.pk]


def test_an_event_edited_to_clash_is_found_by_the_check_of_the_other(net: Any) -> None:
    # given an event about something else, a month before an accounting seminar
    edited = EventFactory.create(
        center=net.prefecture,
        title="陶芸体験",
        topics=[],
        dates=[datetime.date(2026, 11, 3)],
    )
    other = EventFactory.create(
        center=net.city, title="NPO会計実務セミナー", dates=[datetime.date(2026, 12, 4)]
    )
    assert coordination.clashes_for(other) == []
    # when its title, topics and date change through the staff action
    edited.title = "NPO法人向け会計講座"
    actions.save_event(
        by=net.prefecture_staff,
        event=edited,
        sessions=[actions.SessionTimes(datetime.date(2026, 12, 2), None, None)],
        audiences=edited.audience_codes,
        topics=list(Topic.objects.filter(name="NPO会計")),
    )
    # then the check of the other event finds it, as comparing every event does
    assert [int(o.key) for o, _match in coordination.clashes_for(other)] == [edited.pk]
    assert _stored() == _swept()


def _periods_of_the_events() -> bool:
    """Whether every stored pair carries the later first day and the earlier last day of
    its two events, as the report reads them."""
    days = {pk: (s, e) for pk, s, e in Event.objects.values_list("pk", "starts_on", "ends_on")}
    return all(
        (latest, earliest) == (max(days[a][0], days[b][0]), min(days[a][1], days[b][1]))  # type: ignore[type-var]
        for a, b, latest, earliest in EventClash.objects.values_list(
            "first", "second", "latest_start", "earliest_end"
        )
    )


def test_a_pair_moves_with_its_events_to_the_fiscal_year_they_run_in(
    net: Any, network: list[Event]
) -> None:
    # given the event with the most clashes, its pairs all in fiscal year 2026
    busiest = max(network, key=lambda e: len(coordination.clashes_for(e)))
    year_2026 = {"start": datetime.date(2026, 4, 1), "end": datetime.date(2027, 3, 31)}
    year_2027 = {"start": datetime.date(2027, 4, 1), "end": datetime.date(2028, 3, 31)}
    total_before, _best = coordination.network_clashes(**year_2026, centers=None, limit=5)
    assert _periods_of_the_events()
    # when it moves a year on through the staff action
    staff = {net.prefecture.pk: net.prefecture_staff, net.city.pk: net.city_staff}.get(
        busiest.center_id, net.unrelated_staff
    )
    actions.save_event(
        by=staff,
        event=busiest,
        sessions=[
            actions.SessionTimes(s.date.replace(year=s.date.year + 1), s.start_time, s.end_time)
            for s in busiest.sessions.all()
        ],
        audiences=busiest.audience_codes,
        topics=list(busiest.topics.all()),
    )
    # then its pairs leave the year's report, and the pairs carry their events' days
    total_after, _best = coordination.network_clashes(**year_2026, centers=None, limit=5)
    assert total_after == len(_swept()) < total_before
    assert coordination.network_clashes(**year_2027, centers=None, limit=5)[0] == 0
    assert _stored() == _swept()
    assert _periods_of_the_events()


def test_the_migration_gives_the_stored_pairs_their_period(transactional_db: Any) -> None:
    # given a stored pair
    first = EventFactory.create(title="NPO法人向け会計講座", dates=[datetime.date(2026, 12, 2)])
    second = EventFactory.create(
        title="NPO会計実務セミナー",
        dates=[datetime.date(2026, 12, 4), datetime.date(2026, 12, 11)],
    )
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("events")
    try:
        # when the migration that added the period is applied again
        executor.migrate([("events", "0008_session_calendar_nulls_first")])
        executor = MigrationExecutor(connection)
        executor.migrate([("events", "0009_clash_period")])
    finally:
        MigrationExecutor(connection).migrate(latest)
    # then
    assert list(
        EventClash.objects.values_list("first", "second", "latest_start", "earliest_end")
    ) == [(first.pk, second.pk, datetime.date(2026, 12, 4), datetime.date(2026, 12, 2))]
