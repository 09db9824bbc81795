"""The shared vocabulary of topics: kept by network administrators, chosen on the event form."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from kyodo.centers.tests.factories import UserFactory
from kyodo.events.models import Event, Topic
from kyodo.events.tests.factories import EventFactory, TopicFactory
from kyodo.events.tests.test_staff import event_form


def test_a_network_administrator_adds_renames_and_deletes_topics(
    db: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    # given
    admin = UserFactory.create(is_network_admin=True)
    for name in ("NPO会計", "子育て", "防災", "まちづくり"):
        TopicFactory.create(name=name, name_kana="")
    client.force_login(admin)
    # the list
    with django_assert_max_num_queries(15):
        page = client.get(reverse("events_staff:topics"))
    assert page.status_code == 200 and "まちづくり" in page.content.decode()
    # when they add one
    response = client.post(
        reverse("events_staff:topics"), {"name": "多文化共生", "name_kana": "タブンカキョウセイ"}
    )
    assert response.status_code == 302
    topic = Topic.objects.get(name="多文化共生")
    # rename it
    response = client.post(
        reverse("events_staff:topic_edit", args=[topic.pk]),
        {"name": "多文化共生・国際交流", "name_kana": "タブンカキョウセイ"},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.name == "多文化共生・国際交流"
    # and delete it
    response = client.post(reverse("events_staff:topic_delete", args=[topic.pk]))
    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_a_duplicate_topic_or_a_bad_reading_is_refused_with_the_input_kept(
    db: Any, client: Any
) -> None:
    TopicFactory.create(name="防災", name_kana="ボウサイ")
    client.force_login(UserFactory.create(is_network_admin=True))
    duplicate = client.post(reverse("events_staff:topics"), {"name": "防災", "name_kana": ""})
    assert duplicate.status_code == 422
    assert duplicate.context["form"].has_error("name")
    reading = client.post(
        reverse("events_staff:topics"), {"name": "子育て", "name_kana": "こそだて"}
    )
    assert reading.status_code == 422
    assert reading.context["form"].has_error("name_kana")
    assert 'value="子育て"' in reading.content.decode()
    assert Topic.objects.count() == 1


def test_a_topic_events_use_cannot_be_deleted(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city, topics=["NPO会計"])
    topic = event.topics.get()
    client.force_login(UserFactory.create(is_network_admin=True))
    response = client.post(reverse("events_staff:topic_delete", args=[topic.pk]), follow=True)
    assert Topic.objects.filter(pk=topic.pk).exists()
    assert list(event.topics.all()) == [topic]
    assert response.context["messages"]


def test_center_staff_and_citizens_cannot_change_the_vocabulary(net: Any, client: Any) -> None:
    topic = TopicFactory.create()
    for person in (net.city_staff, net.citizen):
        client.force_login(person)
        assert client.get(reverse("events_staff:topics")).status_code == 403
        assert client.post(reverse("events_staff:topics"), {"name": "防災"}).status_code == 403
        edit = reverse("events_staff:topic_edit", args=[topic.pk])
        assert client.post(edit, {"name": "会計"}).status_code == 403
    assert list(Topic.objects.values_list("name", flat=True)) == ["NPO会計"]
    # center staff do not see the link on their events list
    client.force_login(net.city_staff)
    assert (
        reverse("events_staff:topics")
        not in client.get(reverse("events_staff:list")).content.decode()
    )


def test_staff_choose_topics_of_the_vocabulary_on_the_event_form(net: Any, client: Any) -> None:
    disaster = TopicFactory.create(name="防災", name_kana="ボウサイ")
    TopicFactory.create(name="子育て", name_kana="コソダテ")
    client.force_login(net.city_staff)
    page = client.get(reverse("events_staff:create")).content.decode()
    assert "防災" in page and "子育て" in page
    client.post(
        reverse("events_staff:create"),
        event_form(net.city, dates="2027-01-09 13:00-15:00", topics=[disaster.pk]),
    )
    assert list(Event.objects.get().topics.all()) == [disaster]
