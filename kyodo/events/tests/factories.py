"""Factories for events, with realistic Japanese trainings."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from kyodo.centers.tests.factories import CenterFactory
from kyodo.events.actions import refresh_event_dates
from kyodo.events.coordination import refresh_clashes
from kyodo.events.models import (
    Audience,
    Event,
    EventKind,
    EventQuestion,
    EventSession,
    EventStatus,
    Registration,
    Topic,
)


class TopicFactory(factory.django.DjangoModelFactory[Topic]):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = "NPO会計"
    name_kana = "エヌピーオーカイケイ"


class EventFactory(factory.django.DjangoModelFactory[Event]):
    """A published NPO accounting course. ``EventFactory.create(dates=[(date, "13:00",
    "15:00"), ...], audiences=["npos"], topics=["NPO会計"])``."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    center = factory.SubFactory(CenterFactory)
    kind = EventKind.TRAINING
    title = "NPO法人向け会計講座"
    summary = "NPO法人の会計基準に沿った決算書の作り方を学びます。"
    description = "会計担当になったばかりの方を対象に、活動計算書の作り方を基礎から説明します。"
    venue_name = "研修室1"
    venue_address = "札幌市中央区南1条西1丁目"
    fee_yen = 0
    capacity = 20
    status = EventStatus.PUBLISHED
    contact_name = "事業担当"
    contact_phone = "011-211-3061"

    @factory.post_generation
    def dates(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        items = extracted
        if items is None:
            items = [(datetime.date(2026, 12, 5), "13:00", "15:00")]
        for item in items:
            day, start, end = item if isinstance(item, tuple) else (item, None, None)
            EventSession.objects.create(
                event=self,  # type: ignore[misc]
                date=day,
                start_time=datetime.time.fromisoformat(start) if start else None,
                end_time=datetime.time.fromisoformat(end) if end else None,
            )
        refresh_event_dates(self)  # type: ignore[arg-type]

    @factory.post_generation
    def audiences(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.set_audiences(extracted if extracted is not None else [Audience.NPOS])  # type: ignore[attr-defined]

    @factory.post_generation
    def topics(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            names = extracted if extracted is not None else ["NPO会計"]
            self.topics.set([TopicFactory.create(name=name) for name in names])

    @factory.post_generation
    def clashes(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Store the event's clashing pairs, as saving it through the actions does."""
        if create:
            refresh_clashes(self)  # type: ignore[arg-type]


class QuestionFactory(factory.django.DjangoModelFactory[EventQuestion]):
    class Meta:
        model = EventQuestion

    event = factory.SubFactory(EventFactory)
    label = "所属団体名"
    required = True


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"札幌 花子{n}")
    name_kana = "サッポロ ハナコ"
    email = factory.Sequence(lambda n: f"hanako{n}@example.jp")
    email_key = factory.LazyAttribute(lambda o: o.email.lower())
