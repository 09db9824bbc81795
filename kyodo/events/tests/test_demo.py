"""The demo events: the seeds' events, dated from the load day, with the deliberate clash."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from kyodo.centers import demo as centers_demo
from kyodo.events import demo
from kyodo.events.models import CoordinationWarning, Event, EventSession, EventStatus

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_seeds_events_in_the_future_and_idempotently() -> None:
    # given the demo network
    centers_demo.load()
    # when
    demo.load()
    first = (Event.objects.count(), EventSession.objects.count())
    demo.load()
    # then
    assert (Event.objects.count(), EventSession.objects.count()) == first
    titles = set(Event.objects.values_list("title", flat=True))
    assert {
        "マチなか×NPO",
        "NPOマネジメント講座",
        "みらいリンクフォーラム",
        "オープンダイアログ",
        "トライアルスタジオ",
        "女性弁護士による法律相談",
    } <= titles
    assert Event.objects.get(title="マチなか×NPO").sessions.count() == 3
    assert Event.objects.get(external_id="public-action").sessions.count() == 6
    today = datetime.date(2026, 11, 22)
    assert not EventSession.objects.filter(date__lt=today).exists()
    lawyer = Event.objects.get(external_id="gender-equality-lawyer")
    assert lawyer.schedule_unparsed == [] and lawyer.sessions.count() > 10


def test_the_demo_has_the_clash_between_the_prefecture_and_the_city(
    django_assert_max_num_queries: Any,
) -> None:
    centers_demo.load()
    demo.load()
    city = Event.objects.get(external_id="city-npo-accounting")
    assert city.status == EventStatus.DRAFT
    warning = CoordinationWarning.objects.get(event=city)
    assert warning.other_event.external_id == "prefecture-npo-accounting"
    # the two women's centers' consultation days complement each other: no warning
    plaza = Event.objects.get(external_id="plaza-lawyer")
    assert not CoordinationWarning.objects.filter(event=plaza).exists()
