"""The staff screens around an event (co-hosts, questions, topics, the room of a session,
the import) and the consent pages in a real browser, each checked with axe-core."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from kyodo.centers.models import Role
from kyodo.centers.tests.factories import (
    PASSWORD,
    CenterFactory,
    StaffMembershipFactory,
    UserFactory,
)
from kyodo.events import actions
from kyodo.events.models import EventCoHost, Registration
from kyodo.events.tests.factories import EventFactory, QuestionFactory, TopicFactory
from kyodo.organizations.tests.factories import OrganizationFactory
from kyodo.rooms.tests.factories import RoomFactory, reserve
from tests.browser.plugin import assert_accessible, sign_in

from .test_opendata_reader import a_row, make_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def frozen_time() -> None:
    """The live server runs in another thread: no frozen time here (dates are relative)."""
    return None


@pytest.fixture
def setup(settings: Any, tmp_path: Path) -> Any:
    settings.KYODO_EVENT_IMPORT_DIR = tmp_path / "event-imports"
    center = CenterFactory.create(slug="sapporo", name="札幌市市民活動サポートセンター")
    partner = CenterFactory.create(slug="hokkaido", name="北海道NPO活動推進センター")
    day = timezone.localdate() + datetime.timedelta(days=5)
    event = EventFactory.create(center=center, dates=[(day, "13:00", "15:00")])
    QuestionFactory.create(event=event, label="所属団体名")
    EventCoHost.objects.create(event=event, center=partner)
    OrganizationFactory.create(name="NPO法人さっぽろ子ども食堂ネット")
    room = RoomFactory.create(center=center, name="大会議室")
    reserve(room, day, 12, 16, purpose="講座会場")
    staff = StaffMembershipFactory.create(center=center, role=Role.COORDINATOR).user
    return event, staff


def test_the_staff_screens_of_an_event_are_accessible(page: Any, setup: Any) -> None:
    event, staff = setup
    sign_in(page, staff.email, PASSWORD)
    session = event.sessions.get()
    for path in (
        f"/staff/events/{event.pk}/",
        f"/staff/events/{event.pk}/cohosts/?q=子ども食堂",
        f"/staff/events/{event.pk}/questions/",
        f"/staff/events/{event.pk}/questions/{event.questions.get().pk}/",
        f"/staff/events/{event.pk}/sessions/{session.pk}/venue/",
        f"/staff/events/{event.pk}/registrations/",
    ):
        page.goto(path)
        assert_accessible(page)


def test_a_question_added_with_an_error_is_accessible_then_saved(page: Any, setup: Any) -> None:
    event, staff = setup
    sign_in(page, staff.email, PASSWORD)
    page.goto(f"/staff/events/{event.pk}/questions/")
    page.fill("#id_label", "参加方法")
    page.check("input[name=kind][value=choice]")
    page.locator("form.stack .form-actions button").last.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_choices").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.fill("#id_choices", "会場\nオンライン")
    page.locator("form.stack .form-actions button").last.click()
    page.wait_for_load_state("networkidle")
    assert event.questions.filter(label="参加方法").exists()


def test_the_import_preview_and_report_are_accessible(
    page: Any, setup: Any, tmp_path: Path
) -> None:
    _event, staff = setup
    path = tmp_path / "event_list.csv"
    path.write_bytes(make_csv([a_row(), a_row(NO="2", 名称="")]))
    sign_in(page, staff.email, PASSWORD)
    page.goto("/staff/events/import/")
    assert_accessible(page)
    page.set_input_files("#id_file", str(path))
    page.locator("form .form-actions button").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.locator("form[action$='/import/run/'] button").click()
    page.wait_for_url("**/import/report/")
    assert_accessible(page)


def test_the_topics_pages_are_accessible(page: Any, setup: Any) -> None:
    admin = UserFactory.create(is_network_admin=True)
    topic = TopicFactory.create(name="防災", name_kana="ボウサイ")
    sign_in(page, admin.email, PASSWORD)
    for path in ("/staff/events/topics/", f"/staff/events/topics/{topic.pk}/"):
        page.goto(path)
        assert_accessible(page)


def test_the_consent_pages_are_accessible(page: Any, setup: Any) -> None:
    event, _staff = setup
    person = UserFactory.create(email="hanako@example.jp")
    registration: Registration = actions.register_for_event(
        event=event,
        session=None,
        name="札幌 花子",
        email="hanako@example.jp",
        consent_to_history=True,
    )
    page.goto(actions.withdraw_consent_url(registration.email_key))
    assert_accessible(page)
    sign_in(page, person.email, PASSWORD)
    page.goto("/events/my-participation/")
    assert_accessible(page)
