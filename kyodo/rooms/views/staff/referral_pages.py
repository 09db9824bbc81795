"""The staff pages of referrals (相互あっせん) to a partner center's free room."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kyodo.centers.models import Center
from kyodo.rooms import actions
from kyodo.rooms.forms import (
    ReferralForm,
    ReferralOutcomeForm,
)
from kyodo.rooms.models import (
    Referral,
)

from ._base import _center, _partner_rooms, _person, _staff_context


@require_POST
@login_required
def refer(request: HttpRequest, slug: str) -> HttpResponse:
    """Refer a group to a free room of a partner center (相互あっせん)."""
    center = _center(request, slug)
    form = ReferralForm(request.POST, partner_rooms=_partner_rooms(center), prefix="referral")
    if form.is_valid():
        data = form.cleaned_data
        referral = actions.refer_to_partner(
            from_center=center,
            room=data["room"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            people=data["people"],
            organization=data.get("organization"),
            person_name=data.get("person_name", ""),
            note=data.get("note", ""),
            by=_person(request),
            request=request,
        )
        messages.success(
            request,
            _("The referral to %(room)s has been recorded. Please call %(center)s to pass it on.")
            % {"room": referral.room.name, "center": referral.to_center.name},
        )
        return redirect("rooms_staff:referrals", slug=center.slug)
    context = {**_staff_context(request, center), "form": form}
    return TemplateResponse(request, "rooms/staff/refer.html", context, status=400)


def _referrals_page(
    request: HttpRequest, center: Center, failed: tuple[int, ReferralOutcomeForm] | None = None
) -> HttpResponse:
    rows = []
    for referral in (
        Referral.objects.filter(from_center=center)
        .select_related("room", "to_center", "organization")
        .order_by("-created_at")[:100]
    ):
        if failed and failed[0] == referral.pk:
            form = failed[1]
        else:
            form = ReferralOutcomeForm(
                initial={"outcome": referral.outcome}, prefix=f"referral-{referral.pk}"
            )
        rows.append({"referral": referral, "form": form})
    return TemplateResponse(
        request,
        "rooms/staff/referrals.html",
        {**_staff_context(request, center), "rows": rows},
        status=400 if failed else 200,
    )


@require_GET
@login_required
def referrals(request: HttpRequest, slug: str) -> HttpResponse:
    """The referrals the center made, each with what became of it."""
    center = _center(request, slug)
    return _referrals_page(request, center)


@require_POST
@login_required
def referral_outcome(request: HttpRequest, slug: str, referral_id: int) -> HttpResponse:
    center = _center(request, slug)
    referral = get_object_or_404(Referral, pk=referral_id, from_center=center)
    form = ReferralOutcomeForm(request.POST, prefix=f"referral-{referral.pk}")
    if not form.is_valid():
        return _referrals_page(request, center, failed=(referral.pk, form))
    actions.set_referral_outcome(
        referral=referral,
        outcome=form.cleaned_data["outcome"],
        by=_person(request),
        request=request,
    )
    messages.success(
        request,
        _("The outcome of the referral to %(room)s has been saved.")
        % {"room": f"{referral.to_center.name} {referral.room.name}"},
    )
    return redirect("rooms_staff:referrals", slug=center.slug)
