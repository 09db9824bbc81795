"""Group self-service: people who manage a group's record (``OrganizationMember``) and
the news the group posts (``NewsItem``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.organizations.models.organization import (
    Organization,
)
from kyodo.organizations.models.vocabulary import (
    MemberRole,
    MemberStatus,
)


class OrganizationMemberQuerySet(models.QuerySet["OrganizationMember"]):
    def requested(self) -> OrganizationMemberQuerySet:
        return self.filter(status=MemberStatus.REQUESTED)

    def approved(self) -> OrganizationMemberQuerySet:
        return self.filter(status=MemberStatus.APPROVED)

    def current(self) -> OrganizationMemberQuerySet:
        """Claims waiting for a decision and approved memberships."""
        return self.filter(status__in=[MemberStatus.REQUESTED, MemberStatus.APPROVED])


class OrganizationMember(models.Model):
    """A person who claimed the group's record (staff decide) and, once approved, keeps
    its public profile up to date and posts its news."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_memberships"
    )
    role = models.CharField(
        _("position"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    role_in_group = models.CharField(_("role in the group"), max_length=60, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=300, blank=True)

    objects = OrganizationMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member of an organization")
        verbose_name_plural = _("members of organizations")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(status__in=["requested", "approved"]),
                name="organization_member_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"

    @property
    def is_approved(self) -> bool:
        return self.status == MemberStatus.APPROVED


class NewsItemQuerySet(models.QuerySet["NewsItem"]):
    def published(self, at: datetime.datetime | None = None) -> NewsItemQuerySet:
        """Items the public sees: published, and not dated in the future."""
        return self.filter(is_published=True, published_at__lte=at or timezone.now())


class NewsItem(models.Model):
    """A news item a group posts on its page (お知らせ)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="news_items"
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    is_published = models.BooleanField(_("published"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "-published_at"], name="news_item_org_time")
        ]

    def __str__(self) -> str:
        return self.title
