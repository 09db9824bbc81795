"""A room reservation as the venue of an event's session (イベントの会場)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from kyodo.events.tests.factories import EventFactory
from kyodo.rooms.models import Reservation, ReservationStatus
from kyodo.rooms.tests.factories import RoomFactory, reserve

DAY = datetime.date(2026, 12, 5)


@pytest.fixture
def course(net: Any) -> Any:
    """The city's course on 5 December 13:00–15:00, and two rooms of the city's center."""
    event = EventFactory.create(center=net.city, dates=[(DAY, "13:00", "15:00")])
    RoomFactory.create(center=net.city, name="大会議室", capacity=60)
    RoomFactory.create(center=net.city, name="研修室1", capacity=30)
    return event


def _url(event: Any) -> str:
    return reverse("events_staff:session_venue", args=[event.pk, event.sessions.get().pk])


def test_staff_hold_a_session_in_an_existing_reservation_and_the_venue_follows(
    net: Any, client: Any, course: Any
) -> None:
    # given the center booked the hall that afternoon, and another room another day
    hall = course.center.rooms.get(name="大会議室")
    booked = reserve(hall, DAY, 12, 16, purpose="NPO会計講座 会場")
    reserve(hall, DAY + datetime.timedelta(days=1), 12, 16)
    client.force_login(net.city_staff)
    # when they open the page: only that day's reservation is offered
    page = client.get(_url(course))
    assert page.status_code == 200
    assert list(page.context["link_form"].fields["reservation"].queryset) == [booked]
    # and choose it
    response = client.post(_url(course), {"action": "link", "reservation": booked.pk})
    # then
    assert response.status_code == 302
    session = course.sessions.get()
    assert session.reservation == booked
    course.refresh_from_db()
    assert course.venue_room == hall
    detail = client.get(reverse("events_staff:detail", args=[course.pk])).content.decode()
    assert "大会議室 12:00〜16:00" in detail
    # when they let it go, the reservation stays booked
    client.post(_url(course), {"action": "unlink"})
    assert course.sessions.get().reservation is None
    booked.refresh_from_db()
    assert booked.status == ReservationStatus.CONFIRMED


def test_staff_book_a_room_for_the_session(net: Any, client: Any, course: Any) -> None:
    room = course.center.rooms.get(name="研修室1")
    client.force_login(net.city_staff)
    page = client.get(_url(course))
    assert page.context["book_form"].initial["start_time"] == datetime.time(13)
    response = client.post(
        _url(course),
        {
            "action": "book",
            "book-room": room.pk,
            "book-start_time": "12:30",
            "book-end_time": "15:30",
            "book-people": "20",
        },
    )
    assert response.status_code == 302
    reservation = Reservation.objects.get()
    assert reservation.room == room and reservation.booked_by == net.city_staff
    assert reservation.purpose == course.title
    assert course.sessions.get().reservation == reservation
    course.refresh_from_db()
    assert course.venue_room == room


def test_a_room_already_taken_is_refused_with_a_clear_message_and_the_input_kept(
    net: Any, client: Any, course: Any
) -> None:
    room = course.center.rooms.get(name="研修室1")
    reserve(room, DAY, 14, 17, purpose="団体の定例会")
    client.force_login(net.city_staff)
    response = client.post(
        _url(course),
        {
            "action": "book",
            "book-room": room.pk,
            "book-start_time": "13:00",
            "book-end_time": "15:00",
            "book-people": "20",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    message = gettext(
        "%(room)s is already booked at that time. Choose another room or time, or use one "
        "of the reservations above."
    ) % {"room": "研修室1"}
    assert message in body
    assert 'value="13:00"' in body and 'value="20"' in body
    assert Reservation.objects.count() == 1
    assert course.sessions.get().reservation is None


def test_a_booking_outside_the_session_or_a_backwards_time_is_refused(
    net: Any, client: Any, course: Any
) -> None:
    room = course.center.rooms.get(name="研修室1")
    client.force_login(net.city_staff)
    for start, end in (("09:00", "11:00"), ("15:00", "13:00")):
        response = client.post(
            _url(course),
            {
                "action": "book",
                "book-room": room.pk,
                "book-start_time": start,
                "book-end_time": end,
                "book-people": "20",
            },
        )
        assert response.status_code == 422
    assert not Reservation.objects.exists()


def test_a_reservation_of_another_day_or_center_cannot_be_linked(
    net: Any, client: Any, course: Any
) -> None:
    other_day = reserve(
        course.center.rooms.get(name="大会議室"), DAY + datetime.timedelta(days=1), 13, 15
    )
    other_center = reserve(RoomFactory.create(center=net.prefecture), DAY, 13, 15)
    client.force_login(net.city_staff)
    for reservation in (other_day, other_center):
        response = client.post(_url(course), {"action": "link", "reservation": reservation.pk})
        assert response.status_code == 422
    assert course.sessions.get().reservation is None


def test_staff_of_another_center_cannot_set_the_venue(net: Any, client: Any, course: Any) -> None:
    booked = reserve(course.center.rooms.get(name="大会議室"), DAY, 12, 16)
    client.force_login(net.prefecture_staff)
    assert client.get(_url(course)).status_code == 403
    response = client.post(_url(course), {"action": "link", "reservation": booked.pk})
    assert response.status_code == 403
    assert course.sessions.get().reservation is None


def test_the_public_event_page_names_the_room_of_each_session(
    net: Any, client: Any, course: Any
) -> None:
    # given the session is held in a reservation of the hall and the event is published
    hall = course.center.rooms.get(name="大会議室")
    course.sessions.update(reservation=reserve(hall, DAY, 12, 16))
    # when a citizen opens the event's page
    page = client.get(reverse("events:detail", args=[course.pk]))
    # then the session names its room
    assert page.status_code == 200
    assert "会場：大会議室" in page.content.decode()


def _book(client: Any, event: Any, room: Any, start: str, end: str, people: str = "20") -> Any:
    return client.post(
        _url(event),
        {
            "action": "book",
            "book-room": room.pk,
            "book-start_time": start,
            "book-end_time": end,
            "book-people": people,
        },
    )


def test_a_booking_outside_the_rooms_opening_hours_is_refused_with_the_input_kept(
    net: Any, client: Any
) -> None:
    # given an evening session on a Sunday, when the room is open 9:00–17:00
    sunday = datetime.date(2026, 12, 6)
    event = EventFactory.create(center=net.city, dates=[(sunday, "16:00", "19:00")])
    room = RoomFactory.create(center=net.city, name="研修室1", capacity=30)
    client.force_login(net.city_staff)
    # when staff book the room for it
    response = _book(client, event, room, "16:00", "19:00")
    # then the room's hours are given on the time, the input is kept and nothing is booked
    assert response.status_code == 422
    form = response.context["book_form"]
    message = gettext("On %(date)s the room is open from %(opens)s to %(closes)s.") % {
        "date": "2026年12月6日",
        "opens": "9:00",
        "closes": "17:00",
    }
    assert form.errors["start_time"] == [message]
    body = response.content.decode()
    assert message in body
    assert 'value="16:00"' in body and 'value="19:00"' in body and 'value="20"' in body
    assert not Reservation.objects.exists()
    assert event.sessions.get().reservation is None


def test_a_booking_on_a_closed_day_is_refused_with_a_clear_message(net: Any, client: Any) -> None:
    # given a session on the third Thursday, the room's inspection day (点検日)
    inspection_day = datetime.date(2026, 12, 17)
    event = EventFactory.create(center=net.city, dates=[(inspection_day, "13:00", "15:00")])
    room = RoomFactory.create(center=net.city, name="研修室1")
    client.force_login(net.city_staff)
    # when
    response = _book(client, event, room, "13:00", "15:00")
    # then
    assert response.status_code == 422
    message = gettext("The room is closed on %(date)s.") % {"date": "2026年12月17日"}
    assert response.context["book_form"].errors["start_time"] == [message]
    assert message in response.content.decode()
    assert not Reservation.objects.exists()


def test_a_booking_over_the_rooms_capacity_is_refused_on_the_number_of_people(
    net: Any, client: Any, course: Any
) -> None:
    room = course.center.rooms.get(name="研修室1")
    client.force_login(net.city_staff)
    response = _book(client, course, room, "13:00", "15:00", people="45")
    assert response.status_code == 422
    message = gettext("The room seats at most %(capacity)s people.") % {"capacity": 30}
    assert response.context["book_form"].errors["people"] == [message]
    assert not Reservation.objects.exists()


def test_a_booking_beyond_the_rooms_booking_window_is_refused_as_on_the_rooms_pages(
    net: Any, client: Any
) -> None:
    # given a session in March, when the room takes bookings two months ahead
    march = datetime.date(2027, 3, 6)
    event = EventFactory.create(center=net.city, dates=[(march, "13:00", "15:00")])
    room = RoomFactory.create(center=net.city, name="研修室1", booking_opens_months=2)
    client.force_login(net.city_staff)
    # when
    response = _book(client, event, room, "13:00", "15:00")
    # then
    assert response.status_code == 422
    message = gettext("Bookings for this date open on %(date)s.") % {"date": "2027年1月6日"}
    assert response.context["book_form"].errors["start_time"] == [message]
    assert not Reservation.objects.exists()


def test_a_room_for_groups_only_is_not_booked_for_the_center_and_staff_are_told_what_to_do(
    net: Any, client: Any, course: Any
) -> None:
    from kyodo.rooms.models import Eligibility

    room = RoomFactory.create(
        center=net.city, name="団体活動室", eligibility=Eligibility.REGISTERED_GROUPS
    )
    client.force_login(net.city_staff)
    response = _book(client, course, room, "13:00", "15:00")
    assert response.status_code == 422
    message = gettext(
        "%(room)s is for groups only, and a booking from this page is for the center. Book "
        "it for the group on the rooms pages, then hold the session in that reservation above."
    ) % {"room": "団体活動室"}
    assert response.context["book_form"].non_field_errors() == [message]
    assert not Reservation.objects.exists()
