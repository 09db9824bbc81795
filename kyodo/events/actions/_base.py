"""What every operation of the events app shares: the permission check."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from kyodo.centers import access
from kyodo.centers.access import Permission

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kyodo.accounts.models import User
    from kyodo.centers.models import Center


def _require(by: User | AnonymousUser | None, center: Center | int) -> None:
    if not access.can(by, Permission.MANAGE_EVENTS, center):
        raise PermissionDenied


def normalise_email(email: str) -> str:
    return email.strip().lower()
