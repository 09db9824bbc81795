"""Referrals (相互あっせん) to a partner center's free room."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.rooms.models import (
    Referral,
    ReferralOutcome,
    Room,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User
    from kyodo.organizations.models import Organization


def refer_to_partner(
    *,
    from_center: Any,
    room: Room,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    people: int,
    by: User,
    organization: Organization | None = None,
    person_name: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """Record a referral (相互あっせん) of a group to a partner center's room."""
    with transaction.atomic():
        referral = Referral.objects.create(
            from_center=from_center,
            to_center=room.center,
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            organization=organization,
            person_name=person_name,
            people=people,
            note=note,
            created_by=by,
        )
        record_event(
            actor=by, action=Action.CREATE, target=referral, center=from_center, request=request
        )
    return referral


def set_referral_outcome(
    *, referral: Referral, outcome: str, by: User, request: HttpRequest | None = None
) -> Referral:
    """Record what became of a referral: booked at the partner, declined, or pending."""
    if outcome not in ReferralOutcome.values:
        raise ValidationError(_("Choose an outcome."))
    with transaction.atomic():
        referral.outcome = outcome
        referral.save(update_fields=["outcome"])
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=referral,
            center=referral.from_center,
            request=request,
            details={"outcome": outcome},
        )
    return referral
