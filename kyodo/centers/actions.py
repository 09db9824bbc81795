"""Operations on the network of centers that change who may see what.

Each operation checks the acting person's permission through ``kyodo.centers.access``
(raising ``PermissionDenied``), validates what it is given (raising ``ValidationError``
with a message for the person), changes the rows in one transaction and appends an
event to the audit log: partnerships, sharing rules and staff roles all decide who can
see personal data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.centers.models import (
    Center,
    Partnership,
    RecordKind,
    Role,
    SharingRule,
    StaffMembership,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User

# Fields of the public profile a center administrator may edit (see CenterProfileForm).
PROFILE_FIELDS = (
    "name",
    "name_kana",
    "area_served",
    "postcode",
    "address",
    "phone",
    "fax",
    "email",
    "website",
    "services_description",
    "opening_hours",
    "description",
)


def _require(by: User, permission: Permission, center: Center) -> None:
    if not access.can(by, permission, center):
        raise PermissionDenied


def add_partnership(
    *,
    first: Center,
    second: Center,
    description: str = "",
    since_on: datetime.date | None = None,
    by: User,
    request: HttpRequest | None = None,
) -> Partnership:
    """Pair two centers (連携施設). Both sides must agree: the person needs
    ``MANAGE_SHARING`` at both centers (a network administrator has it everywhere)."""
    _require(by, Permission.MANAGE_SHARING, first)
    _require(by, Permission.MANAGE_SHARING, second)
    if first.pk == second.pk:
        raise ValidationError(_("A center cannot be its own partner."), code="self")
    low, high = sorted([first, second], key=lambda c: c.pk)
    with transaction.atomic():
        if Partnership.objects.between(low, high).exists():
            raise ValidationError(
                _("%(first)s and %(second)s are already partners.")
                % {"first": low.name, "second": high.name},
                code="exists",
            )
        partnership = Partnership.objects.create(
            first=low, second=high, description=description, since_on=since_on
        )
        for center in (low, high):
            record_event(
                actor=by,
                action=Action.CREATE,
                target=partnership,
                center=center,
                request=request,
            )
    return partnership


def set_sharing_rules(
    *,
    owner: Center,
    partner: Center,
    kinds: Iterable[RecordKind | str],
    by: User,
    request: HttpRequest | None = None,
) -> bool:
    """Make ``owner`` share exactly ``kinds`` of its records with ``partner``.

    Replaces the previous set; returns whether anything changed. Only partners (a
    ``Partnership`` pair) can be shared with."""
    _require(by, Permission.MANAGE_SHARING, owner)
    wanted = {RecordKind(kind).value for kind in kinds}
    if not owner.is_partner_of(partner):
        raise ValidationError(
            _("%(center)s is not a partner of %(owner)s.")
            % {"center": partner.name, "owner": owner.name},
            code="not_partner",
        )
    with transaction.atomic():
        rules = SharingRule.objects.select_for_update().from_center(owner).to_center(partner)
        before = rules.kinds()
        if before == wanted:
            return False
        rules.exclude(kind__in=wanted).delete()
        SharingRule.objects.bulk_create(
            [
                SharingRule(owner=owner, partner=partner, kind=kind, created_by=by)
                for kind in sorted(wanted - before)
            ]
        )
        record_event(
            actor=by,
            action=Action.UPDATE,
            object_type=SharingRule._meta.label_lower,
            object_id=f"{owner.pk}-{partner.pk}",
            object_repr=f"{owner.name} → {partner.name}"[:200],
            center=owner,
            request=request,
            details={"before": sorted(before), "after": sorted(wanted)},
        )
    return True


def add_staff_membership(
    *,
    center: Center,
    user: User,
    role: Role | str,
    department: str = "",
    started_on: datetime.date | None = None,
    by: User,
    request: HttpRequest | None = None,
) -> StaffMembership:
    """Give ``user`` a role at ``center``. The person must have a verified e-mail
    address and must not hold the role there already."""
    _require(by, Permission.MANAGE_STAFF, center)
    role = Role(role)
    if not user.is_active or not user.has_verified_email:
        raise ValidationError(
            _("Only a person with a verified e-mail address can be given a role."),
            code="unverified",
        )
    department = department.strip()
    with transaction.atomic():
        already = StaffMembership.objects.filter(
            user=user, center=center, role=role, ended_on__isnull=True
        ).exists()
        if already:
            raise ValidationError(
                _("%(person)s already holds this role at this center.")
                % {"person": user.display_name or user.email},
                code="exists",
            )
        membership = StaffMembership.objects.create(
            user=user,
            center=center,
            role=role,
            department=department,
            started_on=started_on or timezone.localdate(),
        )
        record_event(
            actor=by,
            action=Action.CREATE,
            target=membership,
            center=center,
            request=request,
            details={"user": user.email, "role": role.value},
        )
    access.forget_cached_roles(user)
    if by.pk == user.pk:
        access.forget_cached_roles(by)
    return membership


def end_staff_membership(
    *,
    membership: StaffMembership,
    on: datetime.date | None = None,
    by: User,
    request: HttpRequest | None = None,
) -> StaffMembership:
    """End a role: from ``on`` (default today, effective at once) the person no longer
    holds it. The last center administrator of a center can only be removed by a
    network administrator, so a center is never left without one by accident."""
    center = membership.center
    _require(by, Permission.MANAGE_STAFF, center)
    on = on or timezone.localdate()
    if membership.ended_on is not None:
        raise ValidationError(_("This role has already ended."), code="ended")
    if on < membership.started_on:
        raise ValidationError(
            _("A role cannot end before it started (%(date)s).")
            % {"date": membership.started_on.isoformat()},
            code="before_start",
        )
    with transaction.atomic():
        if (
            membership.role == Role.CENTER_ADMIN
            and not access.is_network_admin(by)
            and not StaffMembership.objects.current()
            .filter(center=center, role=Role.CENTER_ADMIN)
            .exclude(pk=membership.pk)
            .exists()
        ):
            raise ValidationError(
                _(
                    "This is the last center administrator of %(center)s. Add another "
                    "administrator first."
                )
                % {"center": center.name},
                code="last_admin",
            )
        membership.ended_on = on
        membership.save(update_fields=["ended_on"])
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=membership,
            center=center,
            request=request,
            details={"ended_on": on.isoformat()},
        )
    access.forget_cached_roles(membership.user)
    if by.pk == membership.user_id:
        access.forget_cached_roles(by)
    return membership


def update_center_profile(
    *,
    center: Center,
    data: dict[str, Any],
    services: Iterable[str] | None = None,
    by: User,
    request: HttpRequest | None = None,
) -> list[str]:
    """Change the public profile of ``center``; returns the names of changed fields.

    Compares with the stored row, so ``center`` may already carry the new values (a
    bound ModelForm sets them on its instance while validating)."""
    _require(by, Permission.EDIT_CENTER, center)
    with transaction.atomic():
        stored = Center.objects.select_for_update().get(pk=center.pk)
        changed = [
            name for name in PROFILE_FIELDS if name in data and getattr(stored, name) != data[name]
        ]
        for name in changed:
            setattr(stored, name, data[name])
        if changed:
            stored.save(update_fields=[*changed, "updated_at"])
        if services is not None and stored.set_services(list(services)):
            changed.append("services")
        if changed:
            record_event(
                actor=by,
                action=Action.UPDATE,
                target=stored,
                center=stored,
                request=request,
                details={"fields": changed},
            )
    return changed
