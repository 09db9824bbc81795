"""The staff pages of events: list, form with the schedule preview, coordination, publishing,
attendance lists, cross-posting, the network clash report and participant histories.

Every view checks the person's permission at the event's center through
``kyodo.centers.access`` (MANAGE_EVENTS); partner staff see another center's drafts
(read-only, for coordination) only when that center shares ``RecordKind.EVENTS`` with them.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kyodo.accounts.models import User
from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.centers.models import Center, RecordKind
from kyodo.events import actions, coordination
from kyodo.events.forms import (
    DecisionForm,
    EventForm,
    SchedulePreviewForm,
    StatusForm,
    preview,
)
from kyodo.events.models import (
    CoordinationWarning,
    Decision,
    Event,
    EventStatus,
    Participant,
    Registration,
    RegistrationStatus,
)
from kyodo.japanese.fiscal_year import fiscal_year_label, fiscal_year_of, fiscal_year_range

# The network report shows the pairs with the highest scores first, this many at most.
REPORT_ROWS = 500


def _person(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _managed_centers(request: HttpRequest) -> Any:
    return access.centers_where(request.user, Permission.MANAGE_EVENTS).order_by(
        "name_kana", "name"
    )


def _staff_context(request: HttpRequest, center: Center | None = None) -> dict[str, Any]:
    return {
        "center": center,
        "staff_centers": access.centers_visible_to(request.user).order_by("name_kana", "name"),
    }


def _event(request: HttpRequest, pk: int, *related: str) -> Event:
    """An event the person manages (403 otherwise), with ``related`` rows joined."""
    event = get_object_or_404(Event.objects.select_related("center", *related), pk=pk)
    if not access.can(request.user, Permission.MANAGE_EVENTS, event.center):
        raise PermissionDenied
    return event


def _require_staff(request: HttpRequest) -> None:
    if not _managed_centers(request).exists():
        raise PermissionDenied


@require_GET
@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    """The events of the person's centers (one center with ?center=), newest first, and the
    drafts partners share with them."""
    _require_staff(request)
    centers = _managed_centers(request)
    center = centers.filter(slug=request.GET.get("center", "")).first()
    own = Event.objects.filter(center__in=[center] if center else centers)
    status = request.GET.get("status", "")
    if status in EventStatus.values:
        own = own.filter(status=status)
    events = list(own.select_related("center").order_by("-starts_on", "-pk")[:200])
    shared = access.centers_sharing_with(request.user, RecordKind.EVENTS).exclude(pk__in=centers)
    partner_drafts = list(
        Event.objects.filter(center__in=shared, status=EventStatus.DRAFT)
        .select_related("center")
        .order_by("starts_on")[:50]
    )
    context = _staff_context(request, center)
    context.update(
        {
            "events": events,
            "partner_drafts": partner_drafts,
            "managed_centers": centers,
            "status": status,
            "statuses": EventStatus.choices,
            "fiscal_year": fiscal_year_of(timezone.localdate()),
            "may_manage_topics": actions.may_manage_topics(request.user),
        }
    )
    return TemplateResponse(request, "events/staff/event_list.html", context)


def _form_context(request: HttpRequest, form: EventForm, event: Event | None) -> dict[str, Any]:
    context = _staff_context(request, event.center if event else None)
    context.update({"form": form, "event": event, "preview": form.schedule_preview})
    return context


@require_http_methods(["GET", "POST"])
@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    centers = _managed_centers(request)
    initial = {}
    chosen = centers.filter(slug=request.GET.get("center", "")).first()
    if chosen:
        initial["center"] = chosen.pk
    form = EventForm(request.POST or None, centers=centers, initial=initial)
    return _save(request, form, None)


@require_http_methods(["GET", "POST"])
@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = EventForm(request.POST or None, instance=event, centers=_managed_centers(request))
    return _save(request, form, event)


def _save(request: HttpRequest, form: EventForm, event: Event | None) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            warnings = actions.save_event(
                by=_person(request),
                event=form.instance,
                sessions=form.sessions,
                audiences=form.cleaned_data["audiences"],
                topics=form.cleaned_data["topics"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if warnings:
                messages.warning(
                    request,
                    _("Saved. Other events may clash with this one: please look at them."),
                )
                return redirect("events_staff:coordination", pk=form.instance.pk)
            messages.success(request, _("The event is saved."))
            return redirect("events_staff:detail", pk=form.instance.pk)
    status = 422 if request.method == "POST" else 200
    return TemplateResponse(
        request, "events/staff/event_form.html", _form_context(request, form, event), status=status
    )


@require_GET
@login_required
def schedule_preview(request: HttpRequest) -> HttpResponse:
    """The htmx live preview of a schedule phrase in the event form."""
    _require_staff(request)
    form = SchedulePreviewForm(request.GET)
    data: dict[str, Any] | None = None
    if form.is_valid() and form.cleaned_data["schedule_text"].strip():
        start, end = form.cleaned_data["series_starts_on"], form.cleaned_data["series_ends_on"]
        if not (start and end and end < start):
            schedule, first, last = actions.read_schedule(
                form.cleaned_data["schedule_text"], start, end
            )
            data = preview(schedule, first, last)
    return TemplateResponse(request, "events/staff/schedule_preview.html", {"preview": data})


@require_GET
@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk, "venue_room", "venue_room__center", "venue_center")
    warnings = list(
        event.warnings.select_related("other_event", "other_event__center").order_by("-score")
    )
    counts = {
        status: event.registrations.filter(status=status).count()
        for status in RegistrationStatus.values
    }
    context = _staff_context(request, event.center)
    context.update(
        {
            "event": event,
            "sessions": event.sessions.select_related("reservation", "reservation__room")[:60],
            "cohosts": event.cohosts.select_related("center", "organization"),
            "questions": event.questions.all(),
            "topics": event.topics.all(),
            "audiences": event.audience_labels,
            "warnings": warnings,
            "undecided": [w for w in warnings if not w.decision],
            "counts": counts,
            "status_form": StatusForm(),
            "cross_postings": event.cross_postings.select_related("center"),
            "can_cross_post": [c for c in _managed_centers(request) if c.pk != event.center_id],
        }
    )
    return TemplateResponse(request, "events/staff/event_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def coordination_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The possible clashes side by side, each with a decision form."""
    event = _event(request, pk)
    person = _person(request)
    warnings = list(
        event.warnings.select_related("other_event", "other_event__center").order_by("-score")
    )
    forms = {
        w.pk: DecisionForm(prefix=f"w{w.pk}", initial={"decision": w.decision, "note": w.note})
        for w in warnings
    }
    status = 200
    if request.method == "POST":
        warning = next((w for w in warnings if str(w.pk) == request.POST.get("warning")), None)
        if warning is not None:
            form = DecisionForm(request.POST, prefix=f"w{warning.pk}")
            if form.is_valid():
                actions.decide_warning(
                    by=person,
                    warning=warning,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Your decision is recorded."))
                return redirect("events_staff:coordination", pk=event.pk)
            forms[warning.pk] = form
            status = 422
    else:
        actions.mark_warnings_seen(by=person, event=event)
    features = coordination.features_from_db([event, *[w.other_event for w in warnings]])
    dates = {f.key: f.dates for f in features}
    context = _staff_context(request, event.center)
    context.update(
        {
            "event": event,
            "event_dates": dates.get(event.pk, ()),
            "rows": [(w, forms[w.pk], dates.get(w.other_event_id, ())) for w in warnings],
        }
    )
    return TemplateResponse(request, "events/staff/coordination.html", context, status=status)


@require_POST
@login_required
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    try:
        actions.publish_event(by=_person(request), event=event, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        if event.warnings.filter(decision="").exists():
            return redirect("events_staff:coordination", pk=event.pk)
        return redirect("events_staff:detail", pk=event.pk)
    messages.success(request, _("The event is published."))
    return redirect("events_staff:detail", pk=event.pk)


@require_POST
@login_required
def event_status(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        actions.change_event_status(
            by=_person(request),
            event=event,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            request=request,
        )
        messages.success(request, _("The status is changed."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("events_staff:detail", pk=event.pk)


@require_POST
@login_required
def cross_post(request: HttpRequest, pk: int) -> HttpResponse:
    """Post another center's published event on one of the person's centers' calendars."""
    event = get_object_or_404(Event.objects.select_related("center"), pk=pk)
    center = _managed_centers(request).filter(slug=request.POST.get("center", "")).first()
    if center is None:
        raise PermissionDenied
    try:
        if request.POST.get("remove"):
            actions.remove_cross_posting(by=_person(request), event=event, center=center)
            messages.success(request, _("The event is taken off your calendar."))
        else:
            actions.cross_post_event(by=_person(request), event=event, center=center)
            messages.success(request, _("The event is now on your center's calendar."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("events_staff:list")
    return redirect(target)


def _attendance_rows(event: Event) -> list[Registration]:
    return list(
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("session")
        .order_by("session__date", "status", "position", "name_kana", "pk")
    )


def answer_columns(event: Event, rows: list[Registration]) -> list[str]:
    """The questions of the attendance list: those the event asks, in their order, then
    those it no longer asks but some people answered (nothing answered is hidden)."""
    labels = [q.label for q in event.questions.all()]
    for row in rows:
        for label in row.answers if isinstance(row.answers, dict) else ():
            if label not in labels:
                labels.append(label)
    return labels


def _answers_of(row: Registration, labels: list[str]) -> list[str]:
    answers = row.answers if isinstance(row.answers, dict) else {}
    return [_answer(answers.get(label)) for label in labels]


@require_GET
@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance list (personal data: the reading is audited); CSV with ?format=csv."""
    event = _event(request, pk)
    rows = _attendance_rows(event)
    questions = answer_columns(event, rows)
    if request.GET.get("format") == "csv":
        record_event(
            actor=_person(request),
            action=Action.EXPORT,
            target=event,
            center=event.center,
            request=request,
            details={"what": "attendance_csv", "rows": len(rows)},
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="attendance-{event.pk}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Date"),
                _("Name"),
                _("Name (kana)"),
                _("E-mail address"),
                _("Telephone"),
                _("Status"),
                _("Place on the waiting list"),
                *questions,
            ]
        )
        for r in rows:
            writer.writerow(
                [
                    r.session.date.isoformat() if r.session else "",
                    r.name,
                    r.name_kana,
                    r.email,
                    r.phone,
                    r.get_status_display(),
                    r.position or "",
                    *_answers_of(r, questions),
                ]
            )
        return response
    record_event(
        actor=_person(request),
        action=Action.READ,
        target=event,
        center=event.center,
        request=request,
        details={"what": "attendance"},
    )
    template = (
        "events/staff/attendance_print.html"
        if request.GET.get("print")
        else "events/staff/attendance.html"
    )
    context = _staff_context(request, event.center)
    context.update(
        {
            "event": event,
            "rows": [(r, _answers_of(r, questions)) for r in rows],
            "questions": questions,
        }
    )
    return TemplateResponse(request, template, context)


def _answer(value: Any) -> str:
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return "" if value is None else str(value)


@require_POST
@login_required
def registration_update(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    event = _event(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, event=event)
    action = request.POST.get("action")
    try:
        if action == "cancel":
            promoted = actions.cancel_registration(
                registration=registration, by=_person(request), request=request
            )
            messages.success(request, _("The registration is cancelled."))
            if promoted:
                messages.info(
                    request,
                    _("%(name)s moved off the waiting list and was told by e-mail.")
                    % {"name": promoted.name},
                )
        elif action in ("attended", "not_attended"):
            actions.mark_attendance(
                by=_person(request),
                registration=registration,
                attended=action == "attended",
                request=request,
            )
            messages.success(request, _("Attendance is recorded."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("events_staff:attendance", pk=event.pk)


@require_GET
@login_required
def participant_history(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant's history at one center (only people who consented are kept, and only
    while they consent: a withdrawal deletes the participant). Staff see it only for the
    people who took part in their center's events; the reading is audited."""
    participant = get_object_or_404(Participant, pk=pk)
    # The centers where the person manages events and the participant took part.
    centers = _managed_centers(request).filter(
        pk__in=participant.registrations.values("event__center_id")
    )
    center = centers.filter(slug=request.GET.get("center", "")).first() or centers.first()
    if center is None:
        raise PermissionDenied
    registrations = actions.participant_history(
        by=_person(request), participant=participant, center=center, request=request
    )
    context = _staff_context(request, center)
    context.update({"participant": participant, "registrations": registrations})
    return TemplateResponse(request, "events/staff/participant.html", context)


@require_GET
@login_required
def network_report(request: HttpRequest) -> HttpResponse:
    """Every clashing pair of events of a fiscal year across the network."""
    _require_staff(request)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = fiscal_year_of(timezone.localdate())
    year = min(max(year, 2000), 2100)
    start, end = fiscal_year_range(year)
    # Drafts of the centers that share their events with the reader, published events of
    # every center. Every stored pair is counted; only the best REPORT_ROWS are shown.
    shared = access.centers_sharing_with(request.user, RecordKind.EVENTS)
    total, clashes = coordination.network_clashes(
        start=start,
        end=end,
        centers=shared.values_list("pk", flat=True),
        limit=REPORT_ROWS,
    )
    shown = {int(f.key) for a, b, _match in clashes for f in (a, b)}
    by_id = Event.objects.only("pk", "title", "center_id", "status", "starts_on", "kind").in_bulk(
        shown
    )
    centers = {c.pk: c for c in Center.objects.filter(pk__in={e.center_id for e in by_id.values()})}
    pairs = [(by_id[int(a.key)], by_id[int(b.key)], match, a, b) for a, b, match in clashes]
    decisions = {
        (w.event_id, w.other_event_id): w
        for w in CoordinationWarning.objects.filter(
            decision__in=Decision.values, event_id__in=shown, other_event_id__in=shown
        )
    }
    rows = [
        {
            "a": ea,
            "b": eb,
            "a_center": centers.get(ea.center_id),
            "b_center": centers.get(eb.center_id),
            "match": match,
            "a_first": fa.first,
            "b_first": fb.first,
            "decision": decisions.get((ea.pk, eb.pk)) or decisions.get((eb.pk, ea.pk)),
        }
        for ea, eb, match, fa, fb in pairs
    ]
    context = _staff_context(request)
    context.update(
        {
            "rows": rows,
            "total": total,
            "year": year,
            "year_label": fiscal_year_label(year),
            "previous": year - 1,
            "following": year + 1,
            "today": timezone.localdate(),
        }
    )
    return TemplateResponse(request, "events/staff/network_report.html", context)
