"""Registrations: the form, capacity and the waiting list, cancellation, consent, staff lists."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail
from django.urls import reverse

from kyodo.audit.models import AuditEvent
from kyodo.events import actions
from kyodo.events.models import (
    Participant,
    Registration,
    RegistrationStatus,
    RegistrationUnit,
)
from kyodo.events.tests.factories import EventFactory, QuestionFactory, RegistrationFactory


def form(**extra: Any) -> dict[str, Any]:
    data = {
        "name": "札幌 花子",
        "name_kana": "サッポロ ハナコ",
        "email": "hanako@example.jp",
        "phone": "090-1234-5678",
    }
    data.update(extra)
    return data


def test_a_citizen_registers_without_signing_in_and_gets_a_mail_with_a_cancel_link(
    db: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a course that asks for the group's name
    event = EventFactory.create()
    question = QuestionFactory.create(event=event)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:register", args=[event.pk]),
            form(**{question.field_name: "NPO法人さっぽろ子ども食堂"}),
        )
    # then
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.answers == {"所属団体名": "NPO法人さっぽろ子ども食堂"}
    assert registration.participant is None  # no consent, no history
    [message] = mail.outbox
    assert message.to == ["hanako@example.jp"]
    assert registration.get_cancel_url() in message.body


def test_invalid_input_is_kept_and_reported_on_the_fields(db: Any, client: Any) -> None:
    event = EventFactory.create()
    question = QuestionFactory.create(event=event)
    response = client.post(
        reverse("events:register", args=[event.pk]), form(email="not-an-address")
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'value="札幌 花子"' in body
    assert 'aria-invalid="true"' in body
    assert response.context["form"].has_error("email")
    assert response.context["form"].has_error(question.field_name)
    assert not Registration.objects.exists()


def test_registering_twice_with_the_same_address_is_refused(db: Any, client: Any) -> None:
    event = EventFactory.create()
    client.post(reverse("events:register", args=[event.pk]), form())
    response = client.post(
        reverse("events:register", args=[event.pk]), form(email="HANAKO@example.jp ")
    )
    assert response.status_code == 422
    assert "already registered" in response.content.decode() or "登録" in response.content.decode()
    assert Registration.objects.count() == 1


def test_when_full_the_next_person_goes_on_the_waiting_list(db: Any, client: Any) -> None:
    # given a course with one seat, taken
    event = EventFactory.create(capacity=1)
    client.post(reverse("events:register", args=[event.pk]), form(email="a@example.jp"))
    # when two more register
    client.post(reverse("events:register", args=[event.pk]), form(email="b@example.jp"))
    client.post(reverse("events:register", args=[event.pk]), form(email="c@example.jp"))
    # then
    statuses = list(Registration.objects.order_by("pk").values_list("status", "position"))
    assert statuses == [
        (RegistrationStatus.CONFIRMED, None),
        (RegistrationStatus.WAITLISTED, 1),
        (RegistrationStatus.WAITLISTED, 2),
    ]


def test_the_last_seat_is_never_given_twice(db: Any, client: Any) -> None:
    # given a course with one seat left and no waiting list
    event = EventFactory.create(capacity=2, has_waiting_list=False)
    RegistrationFactory.create(event=event)
    # when two people send the form for the last seat
    first = client.post(reverse("events:register", args=[event.pk]), form(email="x@example.jp"))
    second = client.post(reverse("events:register", args=[event.pk]), form(email="y@example.jp"))
    # then exactly one got it and the other is told it is full
    assert first.status_code == 302
    assert second.status_code == 422
    assert Registration.objects.holding_a_seat().count() == 2


def test_cancelling_by_the_link_promotes_the_first_on_the_waiting_list_and_tells_them(
    db: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a full course with two people waiting
    event = EventFactory.create(capacity=1)
    holder = actions.register_for_event(event=event, session=None, name="甲", email="a@example.jp")
    first = actions.register_for_event(event=event, session=None, name="乙", email="b@example.jp")
    actions.register_for_event(event=event, session=None, name="丙", email="c@example.jp")
    mail.outbox.clear()
    # when the holder cancels with the link of their mail
    url = reverse("events:cancel_registration", args=[holder.cancel_token])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    # then
    assert response.status_code == 302
    holder.refresh_from_db()
    first.refresh_from_db()
    assert holder.status == RegistrationStatus.CANCELLED
    assert first.status == RegistrationStatus.CONFIRMED and first.position is None
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.jp", "b@example.jp"]
    # and cancelling again changes nothing
    client.post(url)
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 1


def test_an_unknown_cancel_token_is_not_found(db: Any, client: Any) -> None:
    assert client.get(reverse("events:cancel_registration", args=["nope"])).status_code == 404


def test_registering_after_the_deadline_is_refused_with_the_input_kept(
    db: Any, client: Any
) -> None:
    event = EventFactory.create(
        application_closes_at=datetime.datetime(2026, 11, 20, 17, 0, tzinfo=datetime.UTC)
    )
    response = client.post(reverse("events:register", args=[event.pk]), form())
    assert response.status_code == 409
    assert not Registration.objects.exists()


def test_a_per_session_event_needs_a_date(db: Any, client: Any) -> None:
    event = EventFactory.create(
        registration_unit=RegistrationUnit.SESSION,
        dates=[datetime.date(2026, 12, 4), datetime.date(2026, 12, 11)],
    )
    missing = client.post(reverse("events:register", args=[event.pk]), form())
    assert missing.status_code == 422
    session = event.sessions.get(date=datetime.date(2026, 12, 11))
    ok = client.post(reverse("events:register", args=[event.pk]), form(session=session.pk))
    assert ok.status_code == 302
    assert Registration.objects.get().session == session


def test_history_is_kept_only_with_consent(db: Any, client: Any) -> None:
    event = EventFactory.create()
    other = EventFactory.create(center=event.center, title="NPO法人の税務講座")
    client.post(reverse("events:register", args=[event.pk]), form())
    assert not Participant.objects.exists()
    client.post(reverse("events:register", args=[other.pk]), form(consent_to_history="on"))
    participant = Participant.objects.get()
    assert participant.email_key == "hanako@example.jp"
    assert list(participant.registrations.values_list("event", flat=True)) == [other.pk]


def test_staff_see_the_attendance_list_csv_and_print_view_audited(
    net: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    # given a course of the city with registrations
    event = EventFactory.create(center=net.city)
    for _ in range(5):
        RegistrationFactory.create(event=event)
    client.force_login(net.city_staff)
    url = reverse("events_staff:attendance", args=[event.pk])
    # when
    with django_assert_max_num_queries(20):
        page = client.get(url)
    csv_response = client.get(url, {"format": "csv"})
    printed = client.get(url, {"print": "1"})
    # then
    assert page.status_code == 200 and printed.status_code == 200
    content = csv_response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    assert "札幌 花子" in content
    assert AuditEvent.objects.filter(object_id=str(event.pk), action="export").exists()
    assert AuditEvent.objects.filter(object_id=str(event.pk), action="read").count() == 2


def test_staff_of_another_center_cannot_see_the_attendance_list(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city)
    RegistrationFactory.create(event=event)
    client.force_login(net.prefecture_staff)
    assert client.get(reverse("events_staff:attendance", args=[event.pk])).status_code == 403
    client.force_login(net.citizen)
    assert client.get(reverse("events_staff:attendance", args=[event.pk])).status_code == 403


def test_staff_mark_attendance_and_cancel_which_promotes(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city, capacity=1)
    holder = actions.register_for_event(event=event, session=None, name="甲", email="a@example.jp")
    waiting = actions.register_for_event(event=event, session=None, name="乙", email="b@example.jp")
    client.force_login(net.city_staff)
    url = reverse("events_staff:registration_update", args=[event.pk, holder.pk])
    client.post(url, {"action": "attended"})
    holder.refresh_from_db()
    assert holder.status == RegistrationStatus.ATTENDED
    client.post(url, {"action": "not_attended"})
    client.post(url, {"action": "cancel"})
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_a_participants_history_is_shown_to_staff_through_the_audit_log(
    net: Any, client: Any
) -> None:
    event = EventFactory.create(center=net.city)
    registration = actions.register_for_event(
        event=event, session=None, name="甲", email="a@example.jp", consent_to_history=True
    )
    client.force_login(net.city_staff)
    url = reverse("events_staff:participant", args=[registration.participant_id])
    response = client.get(url, {"center": net.city.slug})
    assert response.status_code == 200
    assert event.title in response.content.decode()
    assert AuditEvent.objects.filter(object_type="events.participant", action="read").exists()
    client.force_login(net.citizen)
    assert client.get(url).status_code == 403
