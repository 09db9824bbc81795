"""Staff screens for the parts of one event: its co-hosts (共催・後援・協力), the questions
it asks on registration, and the room reservation each session is held in.

Every view starts from ``staff._event`` (MANAGE_EVENTS at the event's center, 403
otherwise) and changes things through one operation of ``kyodo.events.actions``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.events import actions
from kyodo.events.forms import (
    BookRoomForm,
    CoHostForm,
    LinkReservationForm,
    OrganizationSearchForm,
    QuestionForm,
)
from kyodo.events.models import CoHostRole, Event, EventCoHost, EventQuestion, EventSession
from kyodo.events.views.staff import _event, _person, _staff_context
from kyodo.organizations.models import Organization
from kyodo.rooms.actions import SlotTakenError
from kyodo.rooms.models import Room

# At most this many organizations are listed for a search.
ORGANIZATION_RESULTS = 20


def _breadcrumbs(event: Event, here: str) -> list[tuple[str, str | None]]:
    return [
        (_("Events"), reverse("events_staff:list")),
        (event.title, reverse("events_staff:detail", args=[event.pk])),
        (here, None),
    ]


# --- Co-hosts ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def cohosts(request: HttpRequest, pk: int) -> HttpResponse:
    """The co-hosts of an event; add a center from a list, or an organization found by
    its name."""
    event = _event(request, pk)
    form = CoHostForm(request.POST or None, event=event)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.add_cohost(
                    by=_person(request),
                    event=event,
                    role=form.cleaned_data["role"],
                    center=form.cleaned_data["center"],
                    organization=form.cleaned_data["organization"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The co-host is added."))
                return redirect("events_staff:cohosts", pk=event.pk)
        status = 422
    search = OrganizationSearchForm(request.GET or None)
    found: list[Organization] = []
    if search.is_valid() and search.cleaned_data["q"].strip():
        found = list(
            Organization.objects.visible_to(request.user)
            .active()
            .search(search.cleaned_data["q"])
            .order_by("name_reading_sort", "pk")[:ORGANIZATION_RESULTS]
        )
    context = _staff_context(request, event.center)
    context.update(
        {
            "event": event,
            "form": form,
            "search": search,
            "found": found,
            "searched": bool(search.is_bound and search.data.get("q", "").strip()),
            "roles": CoHostRole.choices,
            "cohosts": event.cohosts.select_related("center", "organization").order_by("pk"),
            "breadcrumbs": _breadcrumbs(event, _("Co-hosts")),
        }
    )
    return TemplateResponse(request, "events/staff/cohosts.html", context, status=status)


@require_POST
@login_required
def cohost_remove(request: HttpRequest, pk: int, cohost_pk: int) -> HttpResponse:
    event = _event(request, pk)
    cohost = get_object_or_404(
        EventCoHost.objects.select_related("event"), pk=cohost_pk, event=event
    )
    actions.remove_cohost(by=_person(request), cohost=cohost, request=request)
    messages.success(request, _("The co-host is removed."))
    return redirect("events_staff:cohosts", pk=event.pk)


# --- Registration questions ---------------------------------------------------------------


def _save_question(request: HttpRequest, form: QuestionForm) -> bool:
    """Save a valid form through the operation; False with the problem on the form."""
    if not form.is_valid():
        return False
    try:
        actions.save_question(by=_person(request), question=form.instance, request=request)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@require_http_methods(["GET", "POST"])
@login_required
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    """The questions the registration form asks, in order; add one."""
    event = _event(request, pk)
    form = QuestionForm(request.POST or None, instance=EventQuestion(event=event))
    if request.method == "POST" and _save_question(request, form):
        messages.success(request, _("The question is added."))
        return redirect("events_staff:questions", pk=event.pk)
    context = _staff_context(request, event.center)
    context.update(
        {
            "event": event,
            "form": form,
            "questions": list(event.questions.all()),
            "breadcrumbs": _breadcrumbs(event, _("Questions on registration")),
        }
    )
    status = 422 if request.method == "POST" else 200
    return TemplateResponse(request, "events/staff/questions.html", context, status=status)


def _question(event: Event, question_pk: int) -> EventQuestion:
    return get_object_or_404(
        EventQuestion.objects.select_related("event", "event__center"),
        pk=question_pk,
        event=event,
    )


@require_http_methods(["GET", "POST"])
@login_required
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    event = _event(request, pk)
    question = _question(event, question_pk)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and _save_question(request, form):
        messages.success(request, _("The question is saved."))
        return redirect("events_staff:questions", pk=event.pk)
    context = _staff_context(request, event.center)
    context.update(
        {
            "event": event,
            "form": form,
            "question": question,
            "breadcrumbs": [
                *_breadcrumbs(event, "")[:-1],
                (_("Questions on registration"), reverse("events_staff:questions", args=[pk])),
                (_("Edit a question"), None),
            ],
        }
    )
    status = 422 if request.method == "POST" else 200
    return TemplateResponse(request, "events/staff/question_form.html", context, status=status)


@require_POST
@login_required
def question_remove(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    event = _event(request, pk)
    question = _question(event, question_pk)
    actions.remove_question(by=_person(request), question=question, request=request)
    messages.success(
        request,
        _("The question is removed. The answers already given stay in the attendance list."),
    )
    return redirect("events_staff:questions", pk=event.pk)


@require_POST
@login_required
def question_move(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    event = _event(request, pk)
    question = _question(event, question_pk)
    actions.move_question(
        by=_person(request), question=question, up=request.POST.get("direction") == "up"
    )
    return redirect(reverse("events_staff:questions", args=[event.pk]) + f"#question-{question.pk}")


# --- The room of a session -----------------------------------------------------------------


def _booking_initial(session: EventSession) -> dict[str, Any]:
    event = session.event
    return {
        "room": event.venue_room_id,
        "start_time": session.start_time,
        "end_time": session.end_time,
        "people": event.capacity or 1,
    }


@require_http_methods(["GET", "POST"])
@login_required
def session_venue(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """Hold a session in one of the center's room reservations on its day, or book a room
    for it on the center's behalf; or let it go of its reservation."""
    event = _event(request, pk)
    session = get_object_or_404(
        EventSession.objects.select_related("reservation", "reservation__room"),
        pk=session_pk,
        event=event,
    )
    session.event = event
    person = _person(request)
    can_book = access.can(person, Permission.MANAGE_ROOMS, event.center)
    reservations = actions.reservations_on_the_day(session)
    rooms = Room.objects.active().at(event.center).order_by("sort_order", "name")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    link_form = LinkReservationForm(
        request.POST if action == "link" else None, reservations=reservations
    )
    book_form = BookRoomForm(
        request.POST if action == "book" else None,
        rooms=rooms,
        initial=_booking_initial(session),
        prefix="book",
    )
    status = 200
    if action == "unlink":
        actions.unlink_session_reservation(by=person, session=session, request=request)
        messages.success(request, _("The session is no longer held in that reservation."))
        return redirect("events_staff:session_venue", pk=event.pk, session_pk=session.pk)
    if action == "link":
        if link_form.is_valid():
            try:
                actions.link_session_reservation(
                    by=person,
                    session=session,
                    reservation=link_form.cleaned_data["reservation"],
                    request=request,
                )
            except ValidationError as error:
                link_form.add_error(None, error)
            else:
                messages.success(request, _("The session is held in the reservation."))
                return redirect("events_staff:detail", pk=event.pk)
        status = 422
    elif action == "book" and can_book:
        if book_form.is_valid():
            data = book_form.cleaned_data
            try:
                actions.book_room_for_session(
                    by=person,
                    session=session,
                    room=data["room"],
                    starts_at=_local(session.date, data["start_time"]),
                    ends_at=_local(session.date, data["end_time"]),
                    people=data["people"],
                    request=request,
                )
            except SlotTakenError:
                book_form.add_error(
                    None,
                    _(
                        "%(room)s is already booked at that time. Choose another room or "
                        "time, or use one of the reservations above."
                    )
                    % {"room": data["room"].name},
                )
            except ValidationError as error:
                _add_room_problems(book_form, error, data["room"])
            else:
                messages.success(
                    request, _("The room is booked for the session, and the session is held in it.")
                )
                return redirect("events_staff:detail", pk=event.pk)
        status = 422
    context = _staff_context(request, event.center)
    context.update(
        {
            "event": event,
            "session": session,
            "link_form": link_form,
            "book_form": book_form,
            "has_reservations": reservations.exists(),
            "can_book": can_book and rooms.exists(),
            "breadcrumbs": _breadcrumbs(event, _("Room of a session")),
        }
    )
    return TemplateResponse(request, "events/staff/session_venue.html", context, status=status)


# The fields of the room's rules (``Room.booking_problems``) on the venue booking form.
BOOKING_FIELDS = {"starts_at": "start_time", "ends_at": "end_time", "people": "people"}


def _add_room_problems(form: BookRoomForm, error: ValidationError, room: Room) -> None:
    """Show why the booking was refused on the form's fields; that the room is for groups
    only (the booking is for the center) with what staff can do instead."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.message_dict.items():
        if name == "organization":
            form.add_error(
                None,
                _(
                    "%(room)s is for groups only, and a booking from this page is for the "
                    "center. Book it for the group on the rooms pages, then hold the session "
                    "in that reservation above."
                )
                % {"room": room.name},
            )
            continue
        for problem in problems:
            form.add_error(BOOKING_FIELDS.get(name), problem)


def _local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, timezone.get_current_timezone())
