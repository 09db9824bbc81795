"""Group self-service: a member claims the group's record, staff decide the claim, and
approved members keep the public profile up to date and post news.

Who may decide a claim: staff holding ``MANAGE_ORGANIZATIONS`` at a center where the
organization is registered (at any center when it is registered nowhere), and network
administrators. Profile edits go through ``actions.propose_organization_changes``, so
that a change of name, corporate number or competent authority waits for staff.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.centers.models import CenterQuerySet
from kyodo.organizations import actions
from kyodo.organizations.models import (
    CenterRegistration,
    MemberRole,
    MemberStatus,
    NewsItem,
    Organization,
    OrganizationMember,
    ProposedChange,
    RegistrationStatus,
    Status,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from kyodo.accounts.models import User

logger = logging.getLogger(__name__)


# --- Who may do what -----------------------------------------------------------------------------


def deciding_centers(
    user: User | AnonymousUser | None, organization: Organization
) -> CenterQuerySet:
    """The centers through which ``user`` may decide claims on ``organization``."""
    centers = access.centers_where(user, Permission.MANAGE_ORGANIZATIONS)
    registered = organization.registrations.exclude(status=RegistrationStatus.ENDED)
    if registered.exists():
        return centers.filter(pk__in=registered.values("center"))
    return centers


def may_decide_claims(user: User | AnonymousUser | None, organization: Organization) -> bool:
    return access.is_network_admin(user) or deciding_centers(user, organization).exists()


def claims_visible_to(user: User | AnonymousUser | None) -> Any:
    """The claims waiting for ``user``'s decision."""
    pending = OrganizationMember.objects.requested().select_related("organization", "user")
    if access.is_network_admin(user):
        return pending
    centers = access.centers_where(user, Permission.MANAGE_ORGANIZATIONS)
    if not centers.exists():
        return pending.none()
    current = CenterRegistration.objects.filter(organization=OuterRef("organization")).exclude(
        status=RegistrationStatus.ENDED
    )
    return pending.filter(Q(Exists(current.filter(center__in=centers))) | ~Q(Exists(current)))


def membership_of(user: Any, organization: Organization) -> OrganizationMember | None:
    """The person's current claim or membership of the organization, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return OrganizationMember.objects.current().filter(organization=organization, user=user).first()


def is_member(user: Any, organization: Organization) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        OrganizationMember.objects.approved().filter(organization=organization, user=user).exists()
    )


def _require_member(user: Any, organization: Organization) -> None:
    if not is_member(user, organization):
        raise PermissionDenied


# --- Claims -------------------------------------------------------------------------------------


def claim_organization(
    *,
    organization: Organization,
    by: User,
    role: str,
    role_in_group: str,
    phone: str,
    message: str = "",
    request: HttpRequest | None = None,
) -> OrganizationMember:
    """Ask to manage the organization's page for the group; staff decide."""
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied
    if not by.has_verified_email:
        raise ValidationError(
            _("Confirm your e-mail address first; the link is in the mail we sent you."),
            code="unverified",
        )
    if organization.status == Status.MERGED or not organization.is_public:
        raise ValidationError(_("This record cannot be claimed."), code="not_claimable")
    if role not in MemberRole.values:
        raise ValidationError({"role": [_("Choose a role from the list.")]})
    with transaction.atomic():
        existing = membership_of(by, organization)
        if existing is not None:
            raise ValidationError(
                _("You already manage this page.")
                if existing.is_approved
                else _("You have already asked to manage this page; staff will answer soon."),
                code="duplicate",
            )
        try:
            with transaction.atomic():
                member = OrganizationMember.objects.create(
                    organization=organization,
                    user=by,
                    role=role,
                    role_in_group=role_in_group.strip()[:60],
                    phone=phone.strip()[:30],
                    message=message.strip()[:2000],
                )
        except IntegrityError as error:  # the same claim sent twice at once
            raise ValidationError(
                _("You have already asked to manage this page; staff will answer soon."),
                code="duplicate",
            ) from error
        record_event(
            actor=by,
            action=Action.CREATE,
            target=member,
            request=request,
            details={"organization": organization.pk, "role": role},
        )
    return member


def decide_claim(
    *,
    member: OrganizationMember,
    approve: bool,
    by: User,
    note: str = "",
    request: HttpRequest | None = None,
) -> OrganizationMember:
    """Approve or reject a claim; the person is told by e-mail."""
    if not may_decide_claims(by, member.organization):
        raise PermissionDenied
    with transaction.atomic():
        member = OrganizationMember.objects.select_for_update().get(pk=member.pk)
        if member.status != MemberStatus.REQUESTED:
            raise ValidationError(_("This request has already been decided."), code="decided")
        member.status = MemberStatus.APPROVED if approve else MemberStatus.REJECTED
        member.decided_by = by
        member.decided_at = timezone.now()
        member.decision_note = note.strip()[:300]
        member.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        center = deciding_centers(by, member.organization).first()
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=member,
            center=center,
            request=request,
            details={"operation": "decide_claim", "approved": approve},
        )
        transaction.on_commit(partial(_tell_claimant, member.pk))
    return member


def _tell_claimant(member_id: int) -> None:
    member = OrganizationMember.objects.select_related("organization", "user").get(pk=member_id)
    user = member.user
    context = {
        "member": member,
        "organization": member.organization,
        "user": user,
        "approved": member.is_approved,
        "link": settings.SITE_URL
        + reverse(
            "organizations:manage" if member.is_approved else "organizations:detail",
            args=[member.organization_id],
        ),
        "site_url": settings.SITE_URL,
    }
    with translation.override(getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE):
        subject = render_to_string("organizations/emails/claim_decided_subject.txt", context)
        body = render_to_string("organizations/emails/claim_decided.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:
        logger.exception(
            "Could not tell user %s about the decision on claim %s", user.pk, member_id
        )


# --- The profile ----------------------------------------------------------------------------------


def edit_group_profile(
    *,
    organization: Organization,
    changes: Mapping[str, Any],
    by: User,
    request: HttpRequest | None = None,
) -> tuple[list[str], list[ProposedChange]]:
    """An approved member edits the group's record: (changed now, waiting for staff)."""
    _require_member(by, organization)
    return actions.propose_organization_changes(
        organization=organization, changes=changes, by=by, request=request
    )


# --- News -----------------------------------------------------------------------------------------


def _may_change_news(user: Any, item: NewsItem) -> bool:
    """The person who wrote the item, or the group's representative."""
    membership = membership_of(user, item.organization)
    if membership is None or not membership.is_approved:
        return False
    return item.created_by_id == user.pk or membership.role == MemberRole.REPRESENTATIVE


def post_news_item(
    *,
    organization: Organization,
    by: User,
    title: str,
    body: str,
    published_at: datetime.datetime | None = None,
    is_published: bool = True,
    request: HttpRequest | None = None,
) -> NewsItem:
    """A member posts a news item on the group's page."""
    _require_member(by, organization)
    with transaction.atomic():
        item = NewsItem.objects.create(
            organization=organization,
            title=title.strip(),
            body=body.strip(),
            published_at=published_at or timezone.now(),
            is_published=is_published,
            created_by=by,
        )
        record_event(
            actor=by,
            action=Action.CREATE,
            target=item,
            request=request,
            details={"organization": organization.pk},
        )
    return item


def update_news_item(
    *,
    item: NewsItem,
    by: User,
    title: str,
    body: str,
    published_at: datetime.datetime,
    is_published: bool,
    request: HttpRequest | None = None,
) -> NewsItem:
    if not _may_change_news(by, item):
        raise PermissionDenied
    with transaction.atomic():
        item.title, item.body = title.strip(), body.strip()
        item.published_at, item.is_published = published_at, is_published
        item.save()
        record_event(actor=by, action=Action.UPDATE, target=item, request=request)
    return item


def delete_news_item(*, item: NewsItem, by: User, request: HttpRequest | None = None) -> None:
    if not _may_change_news(by, item):
        raise PermissionDenied
    with transaction.atomic():
        record_event(
            actor=by,
            action=Action.DELETE,
            target=item,
            request=request,
            details={"organization": item.organization_id},
        )
        item.delete()


def may_change_news(user: Any, item: NewsItem) -> bool:
    return _may_change_news(user, item)


__all__ = [
    "claim_organization",
    "claims_visible_to",
    "decide_claim",
    "delete_news_item",
    "edit_group_profile",
    "is_member",
    "may_change_news",
    "may_decide_claims",
    "membership_of",
    "post_news_item",
    "update_news_item",
]
