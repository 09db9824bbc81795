"""Who may curate the registry (through ``kyodo.centers.access``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from kyodo.centers import access
from kyodo.centers.access import Permission

if TYPE_CHECKING:
    from kyodo.accounts.models import User
    from kyodo.centers.models import Center


def require_curator(by: User | None, center: Center | None = None) -> None:
    """Staff holding ``MANAGE_ORGANIZATIONS`` at some center curate the registry (it is
    shared by the network); a center's list is imported by that center's staff."""
    if center is not None:
        allowed = access.can(by, Permission.MANAGE_ORGANIZATIONS, center)
    else:
        allowed = access.centers_where(by, Permission.MANAGE_ORGANIZATIONS).exists()
    if not allowed:
        raise PermissionDenied
