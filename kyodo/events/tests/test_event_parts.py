"""Staff set up an event's co-hosts and registration questions; people answer them and the
answers appear in the attendance list and its CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse

from kyodo.audit.models import AuditEvent
from kyodo.events.models import CoHostRole, EventCoHost, EventQuestion, QuestionKind, Registration
from kyodo.events.tests.factories import EventFactory, QuestionFactory, RegistrationFactory
from kyodo.organizations.tests.factories import OrganizationFactory

# --- Co-hosts ------------------------------------------------------------------------------


def test_staff_add_a_partner_center_and_an_organization_as_co_hosts(net: Any, client: Any) -> None:
    # given the city's course and an NPO found by its name
    event = EventFactory.create(center=net.city)
    npo = OrganizationFactory.create(
        name="NPO法人さっぽろ子ども食堂ネット", name_kana="サッポロコドモショクドウネット"
    )
    client.force_login(net.city_staff)
    url = reverse("events_staff:cohosts", args=[event.pk])
    # when they add the prefectural center as co-organiser
    response = client.post(url, {"center": net.prefecture.pk, "role": CoHostRole.CO_ORGANIZER})
    # then
    assert response.status_code == 302
    assert event.cohosts.get().center == net.prefecture
    # when they search for the NPO and add it as supporter
    page = client.get(url, {"q": "子ども食堂"})
    assert npo.name in page.content.decode()
    response = client.post(url, {"organization": npo.pk, "role": CoHostRole.SUPPORTER})
    # then both show on the staff and the public pages
    assert response.status_code == 302
    assert event.cohosts.get(organization=npo).role == CoHostRole.SUPPORTER
    staff_page = client.get(reverse("events_staff:detail", args=[event.pk])).content.decode()
    public_page = client.get(event.get_absolute_url()).content.decode()
    for body in (staff_page, public_page):
        assert net.prefecture.name in body and npo.name in body
    assert (
        AuditEvent.objects.filter(
            object_type="events.event", object_id=str(event.pk), action="update"
        ).count()
        == 2
    )


def test_adding_a_co_host_twice_changes_its_role(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city)
    client.force_login(net.city_staff)
    url = reverse("events_staff:cohosts", args=[event.pk])
    client.post(url, {"center": net.prefecture.pk, "role": CoHostRole.CO_ORGANIZER})
    client.post(url, {"center": net.prefecture.pk, "role": CoHostRole.COOPERATOR})
    assert event.cohosts.get().role == CoHostRole.COOPERATOR


def test_a_co_host_without_a_center_or_organization_is_refused_with_the_input_kept(
    net: Any, client: Any
) -> None:
    event = EventFactory.create(center=net.city)
    client.force_login(net.city_staff)
    url = reverse("events_staff:cohosts", args=[event.pk])
    # neither
    response = client.post(url, {"role": CoHostRole.SUPPORTER})
    assert response.status_code == 422
    assert response.context["form"].has_error("center")
    # the organising center itself is not in the list
    response = client.post(url, {"center": net.city.pk, "role": CoHostRole.SUPPORTER})
    assert response.status_code == 422
    assert 'value="supporter" selected' in response.content.decode()
    assert not EventCoHost.objects.exists()


def test_staff_remove_a_co_host(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city)
    cohost = EventCoHost.objects.create(event=event, center=net.prefecture)
    client.force_login(net.city_staff)
    response = client.post(reverse("events_staff:cohost_remove", args=[event.pk, cohost.pk]))
    assert response.status_code == 302
    assert not event.cohosts.exists()


def test_staff_of_another_center_cannot_change_the_co_hosts(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city)
    cohost = EventCoHost.objects.create(event=event, center=net.prefecture)
    client.force_login(net.prefecture_staff)
    url = reverse("events_staff:cohosts", args=[event.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"center": net.unrelated.pk, "role": "supporter"}).status_code == 403
    remove = reverse("events_staff:cohost_remove", args=[event.pk, cohost.pk])
    assert client.post(remove).status_code == 403
    assert event.cohosts.count() == 1


# --- Questions -----------------------------------------------------------------------------


def test_staff_add_reorder_edit_and_remove_questions_and_the_form_asks_them(
    net: Any, client: Any
) -> None:
    # given
    event = EventFactory.create(center=net.city)
    client.force_login(net.city_staff)
    url = reverse("events_staff:questions", args=[event.pk])
    # when they add a short answer and a choice
    client.post(url, {"label": "所属団体名", "kind": QuestionKind.TEXT, "required": "on"})
    client.post(
        url,
        {
            "label": "託児を希望しますか",
            "kind": QuestionKind.CHOICE,
            "choices": "希望する\n希望しない\n",
        },
    )
    first, second = EventQuestion.objects.order_by("sort_order")
    assert [first.label, second.label] == ["所属団体名", "託児を希望しますか"]
    # and move the second up
    client.post(
        reverse("events_staff:question_move", args=[event.pk, second.pk]), {"direction": "up"}
    )
    assert list(event.questions.values_list("label", flat=True)) == [
        "託児を希望しますか",
        "所属団体名",
    ]
    # then the public registration form asks them, in that order
    form_page = client.get(reverse("events:register", args=[event.pk])).content.decode()
    assert form_page.index("託児を希望しますか") < form_page.index("所属団体名")
    assert "希望しない" in form_page
    # when they reword one and remove the other
    response = client.post(
        reverse("events_staff:question_edit", args=[event.pk, first.pk]),
        {"label": "団体名", "kind": QuestionKind.TEXT, "required": "on"},
    )
    assert response.status_code == 302
    client.post(reverse("events_staff:question_remove", args=[event.pk, second.pk]))
    assert list(event.questions.values_list("label", flat=True)) == ["団体名"]


def test_a_choice_question_needs_two_choices_and_a_question_is_asked_once(
    net: Any, client: Any
) -> None:
    event = EventFactory.create(center=net.city)
    QuestionFactory.create(event=event, label="所属団体名")
    client.force_login(net.city_staff)
    url = reverse("events_staff:questions", args=[event.pk])
    one_choice = client.post(
        url, {"label": "参加方法", "kind": QuestionKind.CHOICE, "choices": "会場"}
    )
    assert one_choice.status_code == 422
    assert one_choice.context["form"].has_error("choices")
    assert 'value="参加方法"' in one_choice.content.decode()
    twice = client.post(url, {"label": "所属団体名", "kind": QuestionKind.TEXT})
    assert twice.status_code == 422
    assert twice.context["form"].has_error("label")
    assert event.questions.count() == 1


def test_rewording_a_question_keeps_the_answers_given(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city)
    question = QuestionFactory.create(event=event, label="所属団体名")
    registration = RegistrationFactory.create(event=event, answers={"所属団体名": "NPO法人ほっと"})
    client.force_login(net.city_staff)
    client.post(
        reverse("events_staff:question_edit", args=[event.pk, question.pk]),
        {"label": "団体名", "kind": QuestionKind.TEXT},
    )
    registration.refresh_from_db()
    assert registration.answers == {"団体名": "NPO法人ほっと"}


def test_answers_appear_in_the_attendance_list_its_csv_and_print_view(
    net: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    # given a course asking two questions, one of which it no longer asks
    event = EventFactory.create(center=net.city)
    QuestionFactory.create(event=event, label="所属団体名", sort_order=0)
    QuestionFactory.create(
        event=event, label="託児", kind=QuestionKind.CHECKBOX, required=False, sort_order=1
    )
    for n in range(5):
        RegistrationFactory.create(
            event=event,
            answers={"所属団体名": f"団体{n}", "託児": n == 0, "旧質問": "旧回答"},
        )
    client.force_login(net.city_staff)
    url = reverse("events_staff:attendance", args=[event.pk])
    # when
    with django_assert_max_num_queries(20):
        page = client.get(url)
    csv_text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    printed = client.get(url, {"print": "1"}).content.decode()
    # then
    body = page.content.decode()
    assert '<th scope="col">所属団体名</th>' in body and "団体4" in body
    assert '<th scope="col">旧質問</th>' in body  # answers to a removed question are kept
    header, *rows = list(csv.reader(io.StringIO(csv_text)))
    assert header[-3:] == ["所属団体名", "託児", "旧質問"]
    assert len(rows) == 5
    assert rows[0][-3:][0] == "団体0" and rows[0][-3:][2] == "旧回答"
    assert "団体3" in printed and "旧回答" in printed


def test_a_registration_answers_the_questions_and_a_required_one_must_be_answered(
    db: Any, client: Any
) -> None:
    event = EventFactory.create()
    question = QuestionFactory.create(event=event, label="参加方法", kind=QuestionKind.CHOICE)
    question.choices = "会場\nオンライン"
    question.save()
    data = {"name": "札幌 花子", "email": "hanako@example.jp"}
    missing = client.post(reverse("events:register", args=[event.pk]), data)
    assert missing.status_code == 422
    assert missing.context["form"].has_error(question.field_name)
    ok = client.post(
        reverse("events:register", args=[event.pk]), {**data, question.field_name: "オンライン"}
    )
    assert ok.status_code == 302
    assert Registration.objects.get().answers == {"参加方法": "オンライン"}


def test_the_staff_pages_of_an_event_read_a_bounded_number_of_rows(
    net: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    # given an event with many co-hosts and questions, and many organizations to find
    event = EventFactory.create(center=net.city)
    EventCoHost.objects.create(event=event, center=net.prefecture)
    for n in range(8):
        organization = OrganizationFactory.create()
        EventCoHost.objects.create(event=event, organization=organization)
        QuestionFactory.create(event=event, label=f"質問{n}", sort_order=n)
    client.force_login(net.city_staff)
    # then each page reads a fixed number of queries, whatever the number of rows
    for url, params in (
        (reverse("events_staff:detail", args=[event.pk]), {}),
        (reverse("events_staff:cohosts", args=[event.pk]), {"q": "法人"}),
        (reverse("events_staff:questions", args=[event.pk]), {}),
    ):
        with django_assert_max_num_queries(25):
            assert client.get(url, params).status_code == 200
