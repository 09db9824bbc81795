"""Who may do what, in one place.

Every permission decision in Kyodo goes through this module: views, API endpoints,
templates (through the ``can`` template filter) and other apps' ``visible_to(user)``
QuerySets call these functions and never look at roles themselves.

The model:
- a network administrator may do everything everywhere;
- a person holds zero or more roles at centers (``StaffMembership``); each role grants
  a fixed set of permissions at that center (``ROLE_PERMISSIONS``);
- a partner center's staff see the kinds of records the owning center shares with
  their center (``SharingRule``), and nothing else of it;
- citizens and group members have no staff permissions; what they may see of their
  own records is decided by the capability's ``visible_to`` with ``is_staff_user``;
- who may act for a group (団体) — book rooms for it, cancel its bookings — is decided
  here too (``organizations_acted_for``, ``can_act_for_organization``): its approved
  members (``OrganizationMember``) in a role that acts for the group.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from kyodo.centers.models import (
    Center,
    CenterQuerySet,
    RecordKind,
    Role,
    SharingRule,
    StaffMembership,
)

if TYPE_CHECKING:
    from kyodo.accounts.models import User
    from kyodo.organizations.models import Organization

    AnyUser = User | AnonymousUser


class Permission(StrEnum):
    """What a role allows at a center."""

    VIEW_BACK_OFFICE = "view_back_office"  # open the staff back office of the center
    VIEW_DASHBOARD = "view_dashboard"
    EDIT_CENTER = "edit_center"  # the center's public profile and settings
    MANAGE_STAFF = "manage_staff"  # add and end staff memberships
    MANAGE_SHARING = "manage_sharing"  # sharing rules with partners
    VIEW_AUDIT_LOG = "view_audit_log"
    EXPORT_AUDIT_LOG = "export_audit_log"
    VIEW_STAFF_DIRECTORY = "view_staff_directory"  # names and roles of colleagues
    HANDLE_CONSULTATIONS = "handle_consultations"  # intake and follow-up (personal data)
    ASSIGN_CONSULTATIONS = "assign_consultations"
    MANAGE_EVENTS = "manage_events"
    MANAGE_ROOMS = "manage_rooms"
    MANAGE_ORGANIZATIONS = "manage_organizations"  # the registry of groups: edits, claims
    VIEW_INDICATORS = "view_indicators"
    EDIT_INDICATORS = "edit_indicators"


P = Permission

_STAFF_BASE = frozenset(
    {
        P.VIEW_BACK_OFFICE,
        P.VIEW_DASHBOARD,
        P.VIEW_STAFF_DIRECTORY,
        P.MANAGE_EVENTS,
        P.MANAGE_ROOMS,
        P.MANAGE_ORGANIZATIONS,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.RECEPTION: _STAFF_BASE | {P.HANDLE_CONSULTATIONS},
    Role.COORDINATOR: _STAFF_BASE | {P.HANDLE_CONSULTATIONS, P.VIEW_INDICATORS},
    Role.CHIEF_COORDINATOR: _STAFF_BASE
    | {P.HANDLE_CONSULTATIONS, P.ASSIGN_CONSULTATIONS, P.VIEW_INDICATORS},
    Role.SPECIALIST: frozenset({P.VIEW_BACK_OFFICE, P.VIEW_DASHBOARD, P.HANDLE_CONSULTATIONS}),
    Role.CENTER_ADMIN: _STAFF_BASE
    | {
        P.EDIT_CENTER,
        P.MANAGE_STAFF,
        P.MANAGE_SHARING,
        P.VIEW_AUDIT_LOG,
        P.EXPORT_AUDIT_LOG,
        P.VIEW_INDICATORS,
        P.EDIT_INDICATORS,
    },
    Role.MUNICIPAL_OFFICER: frozenset(
        {P.VIEW_BACK_OFFICE, P.VIEW_DASHBOARD, P.VIEW_INDICATORS, P.EDIT_INDICATORS}
    ),
}


def _is_signed_in(user: AnyUser | None) -> TypeGuard[User]:
    """A signed-in, active person (never an AnonymousUser)."""
    return user is not None and user.is_authenticated and user.is_active


def is_network_admin(user: AnyUser | None) -> bool:
    return _is_signed_in(user) and bool(getattr(user, "is_network_admin", False))


def _memberships(user: User) -> QuerySet[StaffMembership]:
    return StaffMembership.objects.current().filter(user=user)


def _role_map(user: User) -> dict[int, set[str]]:
    """{center id: roles} for the user's current memberships, cached on the user object
    for the length of one request."""
    cached: dict[int, set[str]] | None = getattr(user, "_kyodo_roles", None)
    if cached is None:
        cached = {}
        for center_id, role in _memberships(user).values_list("center_id", "role"):
            cached.setdefault(center_id, set()).add(role)
        user._kyodo_roles = cached  # type: ignore[attr-defined]
    return cached


def forget_cached_roles(user: AnyUser) -> None:
    """Call after changing someone's memberships within the same request."""
    if hasattr(user, "_kyodo_roles"):
        del user._kyodo_roles


def is_staff_user(user: AnyUser | None) -> bool:
    """Does this person work at any center (or administer the network)?"""
    if not _is_signed_in(user):
        return False
    return is_network_admin(user) or bool(_role_map(user))


def roles_at(user: AnyUser | None, center: Center | int) -> set[str]:
    if not _is_signed_in(user):
        return set()
    center_id = center if isinstance(center, int) else center.pk
    return set(_role_map(user).get(center_id, set()))


def permissions_at(user: AnyUser | None, center: Center | int) -> frozenset[Permission]:
    if is_network_admin(user):
        return frozenset(Permission)
    granted: set[Permission] = set()
    for role in roles_at(user, center):
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


def can(user: AnyUser | None, permission: Permission | str, center: Center | int) -> bool:
    """May ``user`` do ``permission`` at ``center``?"""
    return Permission(permission) in permissions_at(user, center)


def centers_where(user: AnyUser | None, permission: Permission | str) -> CenterQuerySet:
    """The centers at which ``user`` holds ``permission``."""
    if is_network_admin(user):
        return Center.objects.all()
    if not _is_signed_in(user):
        return Center.objects.none()
    perm = Permission(permission)
    ids = [
        center_id
        for center_id, roles in _role_map(user).items()
        if any(perm in ROLE_PERMISSIONS.get(role, frozenset()) for role in roles)
    ]
    return Center.objects.filter(pk__in=ids)


def centers_visible_to(user: AnyUser | None) -> CenterQuerySet:
    """Centers whose back office ``user`` may open: their own (every center for a
    network administrator)."""
    return centers_where(user, Permission.VIEW_BACK_OFFICE)


def centers_sharing_with(user: AnyUser | None, kind: RecordKind | str) -> CenterQuerySet:
    """Centers whose records of ``kind`` ``user`` may see: the centers where the user
    works, plus those that share ``kind`` with one of them."""
    if is_network_admin(user):
        return Center.objects.all()
    own = centers_visible_to(user)
    own_ids = list(own.values_list("pk", flat=True))
    if not own_ids:
        return Center.objects.none()
    sharing_ids = SharingRule.objects.filter(partner_id__in=own_ids, kind=kind).values_list(
        "owner_id", flat=True
    )
    return Center.objects.filter(pk__in=[*own_ids, *sharing_ids])


def can_see_shared(user: AnyUser | None, kind: RecordKind | str, owner: Center | int) -> bool:
    owner_id = owner if isinstance(owner, int) else owner.pk
    return centers_sharing_with(user, kind).filter(pk=owner_id).exists()


def can_view_person(user: AnyUser | None, person: User) -> bool:
    """May ``user`` see another person's account details (name, e-mail, roles)?

    Everyone sees their own; a center administrator sees the people who hold a role at
    their center; a network administrator sees everyone."""
    if not _is_signed_in(user):
        return False
    if user.pk == person.pk or is_network_admin(user):
        return True
    admin_centers = centers_where(user, Permission.MANAGE_STAFF)
    return StaffMembership.objects.filter(user=person, center__in=admin_centers).exists()


def is_anonymous(user: AnyUser | None) -> bool:
    return user is None or isinstance(user, AnonymousUser) or not user.is_authenticated


# Roles in a group (``OrganizationMember.role``) whose holders act for the group. Both roles
# of the vocabulary qualify: staff approved each such person as the group's own. A role
# that only reads, if one is ever added, stays out.
ROLES_ACTING_FOR_ORGANIZATION = frozenset({"representative", "member"})


def organizations_acted_for(user: AnyUser | None) -> QuerySet[Organization]:
    """The active organizations ``user`` may act for (book rooms for, cancel the group's
    bookings): those of which the person is an approved member in a role of
    ``ROLES_ACTING_FOR_ORGANIZATION``. Working at a center gives no such right (staff book
    on a group's behalf through ``MANAGE_ROOMS``), nor does administering the network.

    Organizations are a capability app: imported here, when called, so that the
    foundation does not depend on it when loaded."""
    from kyodo.organizations.models import MemberStatus, Organization, OrganizationMember

    if not _is_signed_in(user):
        return Organization.objects.none()
    memberships = OrganizationMember.objects.filter(
        user=user, status=MemberStatus.APPROVED, role__in=ROLES_ACTING_FOR_ORGANIZATION
    )
    return Organization.objects.active().filter(pk__in=memberships.values("organization_id"))


def can_act_for_organization(user: AnyUser | None, organization: Organization | int) -> bool:
    """May ``user`` act for ``organization`` (see ``organizations_acted_for``)?"""
    organization_id = organization if isinstance(organization, int) else organization.pk
    return organizations_acted_for(user).filter(pk=organization_id).exists()
