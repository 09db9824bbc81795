"""The staff's work queues: doubtful matches to review (名寄せ) and the changes groups
asked for (name, corporate number, competent authority)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.organizations import actions, group_actions
from kyodo.organizations.forms import DecisionForm
from kyodo.organizations.importers.writer import from_json
from kyodo.organizations.models import (
    TRACKED_FIELDS,
    MatchReview,
    Organization,
    OrganizationMember,
    ProposedChange,
    ReviewStatus,
)
from kyodo.organizations.views.staff import (
    COMPARED_FIELDS,
    field_label,
    require_curator,
    staff_context,
)

PAGE_SIZE = 20


@require_GET
@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Doubtful matches waiting for staff, best scores first."""
    require_curator(request)
    reviews = MatchReview.objects.open().for_queue()
    page_obj = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    context = staff_context(
        request,
        page_obj=page_obj,
        reviews=list(page_obj),
        breadcrumbs=[
            (_("Organizations"), reverse("organizations_staff:search")),
            (_("Matches to review"), None),
        ],
    )
    return TemplateResponse(request, "organizations/staff/review_queue.html", context)


def _record_values(organization: Organization) -> dict[str, Any]:
    return {name: getattr(organization, name) for name in COMPARED_FIELDS}


def _imported_values(values: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for name in COMPARED_FIELDS:
        value = values.get(name)
        found[name] = from_json(name, value) if name in TRACKED_FIELDS else value
    return found


@require_http_methods(["GET", "POST"])
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Both records side by side, with the score and its reasons; staff decide whether
    they are the same organization."""
    user = require_curator(request)
    match = get_object_or_404(
        MatchReview.objects.select_related(
            "organization", "other_organization", "source_record", "source_record__center"
        ),
        pk=pk,
    )
    form = DecisionForm()
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if match.status != ReviewStatus.OPEN:
            messages.info(request, _("This match has already been decided."))
            return redirect("organizations_staff:reviews")
        if form.is_valid():
            try:
                result = actions.decide_match_review(
                    review=match, same=form.approved, by=user, request=request
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if form.approved:
                    messages.success(request, _("The records have been linked."))
                elif result is not None:
                    messages.success(
                        request,
                        _("Kept separate; the imported record became a new record: %(name)s.")
                        % {"name": result.name},
                    )
                else:
                    messages.success(request, _("The records are kept separate."))
                following = MatchReview.objects.open().for_queue().first()
                if following is not None:
                    return redirect("organizations_staff:review", pk=following.pk)
                return redirect("organizations_staff:reviews")
    left = _record_values(match.organization)
    if match.other_organization is not None:
        right = _record_values(match.other_organization)
    else:
        right = _imported_values(match.source_record.values if match.source_record else {})
    record_event(
        actor=user,
        action=Action.READ,
        target=match.organization,
        request=request,
        details={"view": "match_review", "review": match.pk},
    )
    context = staff_context(
        request,
        match=match,
        form=form,
        reasons=match.reason_labels(),
        comparison=[
            {
                "name": name,
                "label": field_label(name),
                "left": left[name],
                "right": right[name],
                "differs": bool(left[name] or right[name]) and left[name] != right[name],
            }
            for name in COMPARED_FIELDS
        ],
        breadcrumbs=[
            (_("Organizations"), reverse("organizations_staff:search")),
            (_("Matches to review"), reverse("organizations_staff:reviews")),
            (match.organization.name, None),
        ],
    )
    return TemplateResponse(request, "organizations/staff/review.html", context)


@require_GET
@login_required
def proposed_changes(request: HttpRequest) -> HttpResponse:
    """Changes of name, corporate number or competent authority that groups asked for."""
    user = require_curator(request)
    changes = (
        ProposedChange.objects.filter(status=ProposedChange.Status.PENDING)
        .select_related("organization", "proposed_by")
        .order_by("proposed_at", "pk")
    )
    page_obj = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    changes_shown: list[ProposedChange] = list(page_obj)
    rows = [
        {
            "change": change,
            "label": field_label(change.field),
            "current": getattr(change.organization, change.field, ""),
        }
        for change in changes_shown
    ]
    if rows:
        record_event(
            actor=user,
            action=Action.READ,
            object_type=ProposedChange._meta.label_lower,
            object_repr=_("Changes proposed by groups"),
            request=request,
            details={"changes": [change.pk for change in changes_shown]},
        )
    context = staff_context(
        request,
        page_obj=page_obj,
        rows=rows,
        breadcrumbs=[
            (_("Organizations"), reverse("organizations_staff:search")),
            (_("Changes proposed by groups"), None),
        ],
    )
    return TemplateResponse(request, "organizations/staff/proposed_changes.html", context)


@require_POST
@login_required
def decide_change(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_curator(request)
    change = get_object_or_404(ProposedChange.objects.select_related("organization"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve or reject the change."))
        return redirect("organizations_staff:proposed_changes")
    try:
        actions.decide_proposed_change(
            change=change, approve=form.approved, by=user, request=request
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if form.approved:
            messages.success(
                request,
                _("The change of %(field)s of %(name)s has been approved.")
                % {"field": field_label(change.field), "name": change.organization.name},
            )
        else:
            messages.success(
                request,
                _("The change of %(field)s of %(name)s has been rejected.")
                % {"field": field_label(change.field), "name": change.organization.name},
            )
    return redirect("organizations_staff:proposed_changes")


@require_GET
@login_required
def claims(request: HttpRequest) -> HttpResponse:
    """Requests to manage a group's page, waiting for the person's decision."""
    user = require_curator(request)
    pending = group_actions.claims_visible_to(user).order_by("requested_at", "pk")
    page_obj = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    members = list(page_obj)
    if members:
        record_event(
            actor=user,
            action=Action.READ,
            object_type=OrganizationMember._meta.label_lower,
            object_repr=_("Requests to manage a group's page"),
            request=request,
            details={"requests": [member.pk for member in members]},
        )
    context = staff_context(
        request,
        page_obj=page_obj,
        members=members,
        breadcrumbs=[
            (_("Organizations"), reverse("organizations_staff:search")),
            (_("Requests from groups"), None),
        ],
    )
    return TemplateResponse(request, "organizations/staff/claims.html", context)


@require_POST
@login_required
def decide_claim(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_curator(request)
    member = get_object_or_404(
        OrganizationMember.objects.select_related("organization", "user"), pk=pk
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve or reject the request."))
        return redirect("organizations_staff:claims")
    try:
        group_actions.decide_claim(
            member=member,
            approve=form.approved,
            by=user,
            note=form.cleaned_data["note"],
            request=request,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        text = (
            _("%(person)s now manages the page of %(name)s.")
            if form.approved
            else _("The request of %(person)s for %(name)s has been rejected.")
        )
        messages.success(
            request,
            text % {"person": member.user.display_name, "name": member.organization.name},
        )
    return redirect("organizations_staff:claims")
