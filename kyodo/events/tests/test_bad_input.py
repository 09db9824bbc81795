"""The issue's bad input, end to end over HTTP: a clear message in Japanese, the person's
input kept, nothing saved lost, never a server error."""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from kyodo.events.models import Event, EventStatus, Registration
from kyodo.events.tests.factories import EventFactory
from kyodo.events.tests.test_staff import event_form


def _says(body: str, msgid: str, **values: Any) -> bool:
    """The page shows the message in Japanese (the catalogue translates it)."""
    message = gettext(msgid)
    assert message != msgid, f"not translated: {msgid}"
    if values:
        message = message % values
    return html.escape(message) in body or message in body


# --- The staff event form ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field", "msgid", "values"),
    [
        (
            {
                "schedule_text": "毎週金曜日 18:00～20:00",
                "series_starts_on": "2027-03-31",
                "series_ends_on": "2027-01-01",
            },
            "series_ends_on",
            "The end date is before the start date.",
            {},
        ),
        (
            {
                "dates": "2027-01-09 13:00-15:00",
                "application_opens_at": "2026-12-20T10:00",
                "application_closes_at": "2026-12-01T10:00",
            },
            "application_closes_at",
            "Applications cannot close before they open.",
            {},
        ),
        (
            {"dates": "2027-03-01 15:00-13:00"},
            "dates",
            "Line %(number)s: the end time is not after the start time.",
            {"number": 1},
        ),
        (
            {"dates": "２０２７年２月３０日 13時～15時"},
            "dates",
            "Line %(number)s: there is no such date.",
            {"number": 1},
        ),
        (
            {"dates": "2027-01-09 13:00-15:00", "capacity": "0"},
            "capacity",
            "The capacity must be at least 1. Leave it empty for no limit.",
            {},
        ),
        (
            {"dates": "2027-01-09 13:00-15:00", "capacity": "-5"},
            "capacity",
            "The capacity must be at least 1. Leave it empty for no limit.",
            {},
        ),
    ],
)
def test_bad_event_input_is_explained_on_its_field_and_kept(
    net: Any, client: Any, extra: dict[str, str], field: str, msgid: str, values: dict[str, Any]
) -> None:
    client.force_login(net.city_staff)
    data = event_form(net.city, title="マチなか×NPO 2026", **extra)
    response = client.post(reverse("events_staff:create"), data)
    assert response.status_code == 422
    assert response.context["form"].has_error(field)
    body = response.content.decode()
    assert _says(body, msgid, **values)
    assert 'value="マチなか×NPO 2026"' in body
    assert not Event.objects.exists()


def test_an_impossible_date_in_a_date_field_is_refused(net: Any, client: Any) -> None:
    client.force_login(net.city_staff)
    response = client.post(
        reverse("events_staff:create"),
        event_form(net.city, schedule_text="毎週金曜日", series_starts_on="2027-02-30"),
    )
    assert response.status_code == 422
    assert response.context["form"].has_error("series_starts_on")
    assert not Event.objects.exists()


def test_a_phrase_with_a_typo_is_reported_with_the_part_not_understood(
    net: Any, client: Any
) -> None:
    client.force_login(net.city_staff)
    phrase = "毎月第2、第4水曜び 13:15～15:45"
    response = client.post(
        reverse("events_staff:create"),
        event_form(net.city, schedule_text=phrase, series_starts_on="2026-12-01"),
    )
    assert response.status_code == 422
    body = response.content.decode()
    unparsed = response.context["form"].schedule_preview["unparsed"]
    assert unparsed
    assert all(f"<mark><strong>{html.escape(part)}</strong>" in body for part in unparsed)
    assert f'value="{phrase}"' in body
    assert not Event.objects.exists()


def test_editing_with_bad_input_loses_nothing_saved(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city, title="NPO法人向け会計講座", capacity=20)
    client.force_login(net.city_staff)
    response = client.post(
        reverse("events_staff:edit", args=[event.pk]),
        event_form(net.city, title="新しい題名", dates="2027-02-30", capacity="0"),
    )
    assert response.status_code == 422
    event.refresh_from_db()
    assert event.title == "NPO法人向け会計講座" and event.capacity == 20
    assert event.sessions.count() == 1


# --- Registration --------------------------------------------------------------------------


def _person(**extra: str) -> dict[str, str]:
    return {"name": "札幌 花子", "email": "hanako@example.jp", "phone": "011-000-0000", **extra}


def test_registering_twice_is_refused_with_the_input_kept(db: Any, client: Any) -> None:
    event = EventFactory.create()
    url = reverse("events:register", args=[event.pk])
    client.post(url, _person())
    response = client.post(url, _person(email=" Hanako@Example.JP"))
    assert response.status_code == 422
    body = response.content.decode()
    assert _says(body, "This e-mail address is already registered for this event.")
    assert 'value="札幌 花子"' in body
    assert Registration.objects.count() == 1


def test_registering_after_the_deadline_is_refused_with_the_input_shown(
    db: Any, client: Any
) -> None:
    closed = datetime.datetime(2026, 11, 20, 17, 0, tzinfo=datetime.UTC)
    event = EventFactory.create(application_closes_at=closed)
    response = client.post(reverse("events:register", args=[event.pk]), _person())
    assert response.status_code == 409
    body = response.content.decode()
    assert _says(body, "Applications for this event have closed.")
    assert "札幌 花子" in body and "hanako@example.jp" in body
    assert not Registration.objects.exists()


def test_registering_when_full_without_a_waiting_list_is_refused(db: Any, client: Any) -> None:
    event = EventFactory.create(capacity=1, has_waiting_list=False)
    url = reverse("events:register", args=[event.pk])
    client.post(url, _person(email="first@example.jp"))
    response = client.post(url, _person())
    assert response.status_code == 422
    body = response.content.decode()
    assert _says(body, "This event is full.")
    assert 'value="hanako@example.jp"' in body
    assert Registration.objects.count() == 1


def test_registering_for_a_cancelled_event_is_refused(db: Any, client: Any) -> None:
    event = EventFactory.create(status=EventStatus.CANCELLED)
    response = client.post(reverse("events:register", args=[event.pk]), _person())
    assert response.status_code == 409
    assert not Registration.objects.exists()
