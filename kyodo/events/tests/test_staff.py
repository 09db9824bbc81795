"""The staff event form: explicit sessions, the recurring schedule and its preview."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from kyodo.events.models import Event, EventStatus
from kyodo.events.tests.factories import EventFactory, TopicFactory


def event_form(center: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "center": center.pk,
        "kind": "training",
        "title": "NPO会計実務セミナー",
        "audiences": ["npos"],
        "registration_unit": "event",
        "fee_kind": "free",
        "fee_yen": "",
        "accepts_registrations": "on",
        "has_waiting_list": "on",
        "capacity": "30",
    }
    data.update(extra)
    return data


def test_staff_create_a_six_session_course(net: Any, client: Any) -> None:
    # given
    client.force_login(net.city_staff)
    topic = TopicFactory.create(name="まちづくり")
    dates = (
        "\n".join(
            f"2027-01-{d:02d} 13:00-15:00 第{i}回" for i, d in enumerate([9, 16, 23, 30], start=1)
        )
        + "\n2027/2/6 13:00～15:00\n２０２７年２月１３日 13時～15時"
    )
    # when
    response = client.post(
        reverse("events_staff:create"),
        event_form(net.city, title="パブリックアクション講座", dates=dates, topics=[topic.pk]),
    )
    # then
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.status == EventStatus.DRAFT and event.created_by == net.city_staff
    assert event.sessions.count() == 6
    assert event.starts_on == datetime.date(2027, 1, 9)
    assert event.ends_on == datetime.date(2027, 2, 13)
    assert event.sessions.get(date=datetime.date(2027, 1, 9)).title == "第1回"
    assert event.audience_codes == ["npos"]


def test_staff_create_a_recurring_consultation_day(net: Any, client: Any) -> None:
    client.force_login(net.prefecture_staff)
    response = client.post(
        reverse("events_staff:create"),
        event_form(
            net.prefecture,
            kind="consultation",
            title="女性弁護士による法律相談",
            schedule_text="毎月第2、第4水曜日 13:15～15:45",
            series_starts_on="2026-12-01",
            series_ends_on="2027-03-31",
            registration_unit="session",
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.schedule_gif_code == "24We"
    assert "BYDAY=2WE,4WE" in event.schedule_rrule
    assert event.sessions.filter(from_schedule=True).count() == 8
    assert event.starts_on == datetime.date(2026, 12, 9)


def test_a_phrase_not_fully_understood_must_be_corrected_or_confirmed(
    net: Any, client: Any
) -> None:
    client.force_login(net.prefecture_staff)
    data = event_form(
        net.prefecture,
        schedule_text="第1~3火曜13時~16時(相談時間1回25分)",
        series_starts_on="2026-12-01",
        series_ends_on="2027-03-31",
    )
    # when sent without confirmation
    response = client.post(reverse("events_staff:create"), data)
    # then nothing is saved, the input is kept and the part is highlighted
    assert response.status_code == 422
    body = response.content.decode()
    assert "<mark><strong>相談時間1回25分</strong>" in body
    assert 'value="第1~3火曜13時~16時(相談時間1回25分)"' in body
    assert not Event.objects.exists()
    # when confirmed
    response = client.post(reverse("events_staff:create"), {**data, "schedule_confirmed": "on"})
    assert response.status_code == 302
    assert Event.objects.get().schedule_unparsed == ["相談時間1回25分"]


def test_bad_dates_are_reported_by_line(net: Any, client: Any) -> None:
    client.force_login(net.city_staff)
    response = client.post(
        reverse("events_staff:create"),
        event_form(
            net.city, dates="2027-02-30 13:00-15:00\n2027-03-01 15:00-13:00\nあした", capacity="0"
        ),
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert len(errors["dates"]) == 3
    assert "capacity" in errors
    assert not Event.objects.exists()


def test_both_dates_and_a_schedule_or_neither_is_refused(net: Any, client: Any) -> None:
    client.force_login(net.city_staff)
    both = client.post(
        reverse("events_staff:create"),
        event_form(net.city, dates="2027-01-09 13:00-15:00", schedule_text="毎週金曜日"),
    )
    neither = client.post(reverse("events_staff:create"), event_form(net.city))
    assert both.status_code == 422 and neither.status_code == 422
    assert not Event.objects.exists()


def test_staff_cannot_create_events_for_another_center(net: Any, client: Any) -> None:
    client.force_login(net.city_staff)
    response = client.post(
        reverse("events_staff:create"), event_form(net.prefecture, dates="2027-01-09")
    )
    assert response.status_code == 422
    assert not Event.objects.exists()


def test_the_live_preview_reads_the_phrase(net: Any, client: Any) -> None:
    client.force_login(net.city_staff)
    response = client.get(
        reverse("events_staff:schedule_preview"),
        {"schedule_text": "毎月第2、第4水曜日 13:15～15:45", "series_starts_on": "2026-12-01"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "毎月 第2・第4 水曜日" in body and "24We" in body and "RRULE" in body
    assert body.count("<li>") == 10
    client.force_login(net.citizen)
    assert client.get(reverse("events_staff:schedule_preview")).status_code == 403


def test_staff_edit_keeps_registrations_when_a_date_is_removed(net: Any, client: Any) -> None:
    from kyodo.events.tests.factories import RegistrationFactory

    event = EventFactory.create(
        center=net.city,
        dates=[
            (datetime.date(2026, 12, 5), "13:00", "15:00"),
            (datetime.date(2026, 12, 12), "13:00", "15:00"),
        ],
    )
    session = event.sessions.get(date=datetime.date(2026, 12, 12))
    RegistrationFactory.create(event=event, session=session)
    client.force_login(net.city_staff)
    page = client.get(reverse("events_staff:edit", args=[event.pk]))
    assert "2026-12-05 13:00-15:00" in page.content.decode()
    response = client.post(
        reverse("events_staff:edit", args=[event.pk]),
        event_form(net.city, dates="2026-12-05 13:00-15:00"),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled
    assert event.sessions.filter(is_cancelled=False).count() == 1


def test_the_staff_list_and_detail(
    net: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(5):
        EventFactory.create(center=net.city, title=f"講座{i}")
    EventFactory.create(center=net.prefecture, title="道の下書き", status=EventStatus.DRAFT)
    client.force_login(net.city_staff)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("events_staff:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "講座4" in body and "道の下書き" in body  # the prefecture shares its events
    event = Event.objects.filter(center=net.city).earliest("pk")
    assert client.get(reverse("events_staff:detail", args=[event.pk])).status_code == 200
    client.force_login(net.unrelated_staff)
    assert "道の下書き" not in client.get(reverse("events_staff:list")).content.decode()
    assert client.get(reverse("events_staff:detail", args=[event.pk])).status_code == 403


def test_cancel_an_event_and_cross_post_another(net: Any, client: Any) -> None:
    mine = EventFactory.create(center=net.city)
    theirs = EventFactory.create(center=net.prefecture)
    client.force_login(net.city_staff)
    client.post(
        reverse("events_staff:status", args=[mine.pk]),
        {"status": "cancelled", "note": "講師急病のため中止"},
    )
    mine.refresh_from_db()
    assert mine.status == EventStatus.CANCELLED and mine.status_note == "講師急病のため中止"
    client.post(reverse("events_staff:cross_post", args=[theirs.pk]), {"center": net.city.slug})
    assert theirs.cross_postings.filter(center=net.city).exists()
    # a center the person does not work at
    response = client.post(
        reverse("events_staff:cross_post", args=[theirs.pk]), {"center": net.unrelated.slug}
    )
    assert response.status_code == 403


def test_staff_cross_post_from_the_public_page_and_back(net: Any, client: Any) -> None:
    # given the prefecture's published course
    theirs = EventFactory.create(center=net.prefecture)
    # the public sees no cross-posting form
    assert "cross-post-title" not in client.get(theirs.get_absolute_url()).content.decode()
    # when the city's staff post it on their calendar from the public page
    client.force_login(net.city_staff)
    page = client.get(theirs.get_absolute_url())
    assert "cross-post-title" in page.content.decode()
    url = reverse("events_staff:cross_post", args=[theirs.pk])
    response = client.post(url, {"center": net.city.slug, "next": theirs.get_absolute_url()})
    # then
    assert response["Location"] == theirs.get_absolute_url()
    assert theirs.cross_postings.filter(center=net.city).exists()
    # and a foreign "next" is not followed
    response = client.post(
        url, {"center": net.city.slug, "remove": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("events_staff:list")
    assert not theirs.cross_postings.exists()
