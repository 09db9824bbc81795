"""The parts of an event staff set up on its page: co-hosts (共催・後援・協力) and the
questions it asks on registration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers.models import Center
from kyodo.events.models import Event, EventCoHost, EventQuestion, Registration

from ._base import _require

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User
    from kyodo.organizations.models import Organization


# --- Co-hosts ------------------------------------------------------------------------------


@transaction.atomic
def add_cohost(
    *,
    by: User,
    event: Event,
    role: str,
    center: Center | None = None,
    organization: Organization | None = None,
    request: HttpRequest | None = None,
) -> EventCoHost:
    """Add a center or an organization as a co-host of ``event`` in ``role``; when it is
    one already, its role is changed."""
    _require(by, event.center)
    if (center is None) == (organization is None):
        raise ValidationError(_("Choose a center or an organization."))
    if center is not None and center.pk == event.center_id:
        raise ValidationError(_("The organising center cannot also be a co-host."))
    lookup = {"center": center} if center is not None else {"organization": organization}
    cohost, created = EventCoHost.objects.update_or_create(
        event=event, **lookup, defaults={"role": role}
    )
    record_event(
        actor=by,
        action=Action.UPDATE,
        target=event,
        center=event.center,
        request=request,
        details={"cohost": str(center or organization), "role": role, "added": created},
    )
    return cohost


@transaction.atomic
def remove_cohost(*, by: User, cohost: EventCoHost, request: HttpRequest | None = None) -> None:
    event = cohost.event
    _require(by, event.center)
    host = str(cohost.center or cohost.organization)
    cohost.delete()
    record_event(
        actor=by,
        action=Action.UPDATE,
        target=event,
        center=event.center,
        request=request,
        details={"cohost": host, "removed": True},
    )


# --- Registration questions ---------------------------------------------------------------


@transaction.atomic
def save_question(
    *, by: User, question: EventQuestion, request: HttpRequest | None = None
) -> EventQuestion:
    """Add a question to its event (last) or save changes to one. Answers are kept under
    the question's wording, so renaming a question renames its answers too."""
    event = question.event
    _require(by, event.center)
    if event.questions.filter(label=question.label).exclude(pk=question.pk).exists():
        raise ValidationError(
            {"label": _("The event already asks this question.")}, code="duplicate"
        )
    creating = question.pk is None
    if creating:
        last = event.questions.aggregate(last=Max("sort_order"))["last"]
        question.sort_order = 0 if last is None else last + 1
    else:
        before = EventQuestion.objects.get(pk=question.pk).label
        if before != question.label:
            _rename_answers(event, before, question.label)
    question.save()
    record_event(
        actor=by,
        action=Action.CREATE if creating else Action.UPDATE,
        target=question,
        center=event.center,
        request=request,
    )
    return question


def _rename_answers(event: Event, old: str, new: str) -> None:
    changed = []
    for registration in Registration.objects.filter(event=event).only("pk", "answers"):
        answers = registration.answers
        if isinstance(answers, dict) and old in answers and new not in answers:
            registration.answers = {
                (new if key == old else key): value for key, value in answers.items()
            }
            changed.append(registration)
    Registration.objects.bulk_update(changed, ["answers"])


@transaction.atomic
def remove_question(
    *, by: User, question: EventQuestion, request: HttpRequest | None = None
) -> None:
    """Stop asking a question. The answers people already gave stay with their
    registrations (the attendance list still shows them)."""
    event = question.event
    _require(by, event.center)
    record_event(
        actor=by, action=Action.DELETE, target=question, center=event.center, request=request
    )
    question.delete()


@transaction.atomic
def move_question(*, by: User, question: EventQuestion, up: bool) -> None:
    """Move a question one place up or down the form."""
    event = question.event
    _require(by, event.center)
    questions = list(event.questions.select_for_update().order_by("sort_order", "pk"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(questions):
        questions[index], questions[other] = questions[other], questions[index]
    for order, item in enumerate(questions):
        item.sort_order = order
    EventQuestion.objects.bulk_update(questions, ["sort_order"])
