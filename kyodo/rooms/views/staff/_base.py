"""What every staff page of rooms starts from: the person, the center (with
``Permission.MANAGE_ROOMS`` there) and the page context."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from kyodo.accounts.models import User
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.centers.models import Center
from kyodo.rooms.models import (
    Room,
)


def _person(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _center(
    request: HttpRequest, slug: str, permission: Permission = Permission.MANAGE_ROOMS
) -> Center:
    center = get_object_or_404(Center, slug=slug)
    if not access.can(request.user, permission, center):
        raise PermissionDenied
    return center


def _staff_context(request: HttpRequest, center: Center) -> dict[str, Any]:
    return {
        "center": center,
        "staff_centers": access.centers_visible_to(request.user).order_by("name_kana", "name"),
    }


def _partner_rooms(center: Center) -> Any:
    """Rooms of the partner centers that offer their rooms to ``center`` for referral."""
    return Room.objects.offered_for_referral_to(center).select_related("center")
