"""A room's description, rules and fees, and the center's occupancy basis (稼働率)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.rooms.models import (
    CenterRoomSettings,
    OccupancyBasis,
    Room,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User
    from kyodo.centers.models import Center


def set_occupancy_basis(
    *, center: Center, basis: str, by: User, request: HttpRequest | None = None
) -> CenterRoomSettings:
    """Choose what the center's occupancy rate (稼働率) divides by."""
    if basis not in OccupancyBasis.values:
        raise ValidationError(_("Choose how occupancy is counted."))
    with transaction.atomic():
        settings_row, _created = CenterRoomSettings.objects.update_or_create(
            center=center, defaults={"occupancy_basis": basis}
        )
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=settings_row,
            center=center,
            request=request,
            details={"occupancy_basis": basis},
        )
    return settings_row


def save_room(
    *, form: Any, by: User, fee_formset: Any = None, request: HttpRequest | None = None
) -> Room:
    """Save a valid ``RoomForm`` (a new room or changes to one) and, given, its valid fee
    table (``FeeRuleFormSet``), together."""
    with transaction.atomic():
        is_new = form.instance.pk is None
        room: Room = form.save()
        if fee_formset is not None:
            fee_formset.instance = room
            fee_formset.save()
        record_event(
            actor=by,
            action=Action.CREATE if is_new else Action.UPDATE,
            target=room,
            center=room.center,
            request=request,
        )
    return room
