"""Withdrawing consent to the participant database (参加者データベース), for the person
themselves: from the signed link in their registration e-mail, or signed in, from the
page their account links to. Withdrawing removes their participation history; each
registration keeps only what its event needs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kyodo.events import actions
from kyodo.events.models import Participant


@require_http_methods(["GET", "POST"])
def withdraw_consent(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: a confirmation page (a link opened by a mail scanner changes
    nothing), then the withdrawal."""
    email_key = actions.email_key_of_token(token)
    if email_key is None:
        raise Http404
    participant = Participant.objects.filter(email_key=email_key).first()
    if request.method == "POST":
        if participant is not None:
            actions.withdraw_consent(participant=participant, by=request.user, request=request)
            messages.success(request, _("Your participation history is deleted."))
        return redirect("events:withdraw_consent", token=token)
    context = {
        "participant": participant,
        "events": participant.registrations.count() if participant else 0,
    }
    return TemplateResponse(request, "events/withdraw_consent.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def my_participation(request: HttpRequest) -> HttpResponse:
    """The signed-in person's participation history, and the withdrawal of their consent."""
    participant = actions.participant_of(request.user)
    if request.method == "POST":
        if participant is not None:
            actions.withdraw_consent(participant=participant, by=request.user, request=request)
            messages.success(request, _("Your participation history is deleted."))
        return redirect("events:my_participation")
    registrations = (
        list(participant.registrations.select_related("event", "session").order_by("-created_at"))
        if participant
        else []
    )
    context = {
        "participant": participant,
        "registrations": registrations,
        "verified": bool(getattr(request.user, "email_verified_at", None)),
    }
    return TemplateResponse(request, "events/my_participation.html", context)
