"""The participant database kept with consent (seed 004): a person withdraws their consent
from the link in their e-mail or from their account; staff see only consented history."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.urls import reverse

from kyodo.audit.models import AuditEvent
from kyodo.centers.tests.factories import UserFactory
from kyodo.events import actions
from kyodo.events.models import Participant, Registration
from kyodo.events.tests.factories import EventFactory


def _register(event: Any, *, consent: bool, email: str = "hanako@example.jp") -> Registration:
    return actions.register_for_event(
        event=event,
        session=None,
        name="札幌 花子",
        email=email,
        answers={"所属団体名": "NPO法人ほっと"},
        consent_to_history=consent,
    )


def test_the_confirmation_mail_links_to_the_withdrawal_and_the_link_deletes_the_history(
    net: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a person who consented, at two events
    first = EventFactory.create(center=net.city, title="NPO会計講座")
    second = EventFactory.create(center=net.prefecture, title="助成金申請講座")
    _register(first, consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("events:register", args=[second.pk]),
            {
                "name": "札幌 花子",
                "email": "hanako@example.jp",
                "consent_to_history": "on",
            },
        )
    participant = Participant.objects.get()
    assert participant.registrations.count() == 2
    # the e-mail carries the withdrawal link
    [message] = mail.outbox
    link = re.search(r"https?://\S+/events/consent/\S+/", str(message.body))
    assert link is not None
    path = link.group(0).split("://", 1)[1]
    path = path[path.index("/") :]
    # when the person opens it: a confirmation, nothing changed yet
    page = client.get(path)
    assert page.status_code == 200
    assert Participant.objects.exists()
    # and confirms
    response = client.post(path)
    # then the history is gone, the registrations stay with what the events need
    assert response.status_code == 302
    assert not Participant.objects.exists()
    registrations = Registration.objects.all()
    assert registrations.count() == 2
    assert all(r.participant_id is None and not r.consent_to_history for r in registrations)
    assert all(r.email == "hanako@example.jp" and r.answers for r in registrations[:1])
    assert AuditEvent.objects.filter(object_type="events.participant", action="delete").exists()
    # the link still answers, saying nothing is kept
    assert client.get(path).status_code == 200


def test_no_withdrawal_link_without_consent(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event = EventFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        _register(event, consent=False)
    [message] = mail.outbox
    assert "/events/consent/" not in message.body


def test_a_forged_withdrawal_link_is_not_found(db: Any, client: Any) -> None:
    event = EventFactory.create()
    _register(event, consent=True)
    assert (
        client.get(reverse("events:withdraw_consent", args=["hanako@example.jp"])).status_code
        == 404
    )
    assert client.post(reverse("events:withdraw_consent", args=["x:y:z"])).status_code == 404
    assert Participant.objects.exists()


def test_a_signed_in_person_sees_and_withdraws_their_history_from_their_account(
    db: Any, client: Any
) -> None:
    # given
    person = UserFactory.create(email="hanako@example.jp")
    event = EventFactory.create(title="NPO会計講座")
    _register(event, consent=True, email="Hanako@Example.jp")
    client.force_login(person)
    url = reverse("events:my_participation")
    # when
    page = client.get(url)
    # then
    assert "NPO会計講座" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not Participant.objects.exists()
    assert Registration.objects.get().participant_id is None


def test_an_unverified_account_does_not_see_the_history_of_its_address(
    db: Any, client: Any
) -> None:
    person = UserFactory.create(email="hanako@example.jp", email_verified_at=None)
    _register(EventFactory.create(title="NPO会計講座"), consent=True)
    client.force_login(person)
    page = client.get(reverse("events:my_participation"))
    assert "NPO会計講座" not in page.content.decode()
    client.post(reverse("events:my_participation"))
    assert Participant.objects.exists()


def test_staff_see_the_history_only_while_the_person_consents(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city)
    registration = _register(event, consent=True)
    participant_id = registration.participant_id
    url = reverse("events_staff:participant", args=[participant_id])
    client.force_login(net.city_staff)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(object_type="events.participant", action="read").exists()
    # staff of a center where the person took part in nothing see nothing
    client.force_login(net.prefecture_staff)
    assert client.get(url).status_code == 403
    # after the withdrawal, nothing is left to see
    actions.withdraw_consent(participant=Participant.objects.get())
    client.force_login(net.city_staff)
    assert client.get(url).status_code == 404
    attendance = client.get(reverse("events_staff:attendance", args=[event.pk]))
    assert "/staff/events/participants/" not in attendance.content.decode()
