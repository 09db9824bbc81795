"""Group self-service: claim the group's page, then keep its profile up to date and post
news. Every view starts from the signed-in person's membership of the organization."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kyodo.accounts.models import User
from kyodo.organizations import group_actions
from kyodo.organizations.forms import ClaimForm, GroupProfileForm, NewsItemForm
from kyodo.organizations.models import (
    FIELDS_NEEDING_REVIEW,
    MemberStatus,
    NewsItem,
    Organization,
    OrganizationMember,
    ProposedChange,
)
from kyodo.organizations.views.staff import field_label


def _person(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _public(pk: int) -> Organization:
    organization = Organization.objects.public().filter(pk=pk).first()
    if organization is None:
        raise Http404(_("There is no organization with this number."))
    return organization


def _managed(request: HttpRequest, pk: int) -> tuple[User, Organization, OrganizationMember]:
    """The organization the person manages, and their membership; 403 for anyone else."""
    user = _person(request)
    organization = _public(pk)
    membership = group_actions.membership_of(user, organization)
    if membership is None or not membership.is_approved:
        raise PermissionDenied
    return user, organization, membership


def _crumbs(organization: Organization, *current: str) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        (_("Find an organization"), reverse("organizations:list")),
        (organization.name, reverse("organizations:detail", args=[organization.pk])),
    ]
    if current:
        crumbs.append(
            (_("Manage the page"), reverse("organizations:manage", args=[organization.pk]))
        )
        crumbs += [(label, None) for label in current]
    else:
        crumbs.append((_("Manage the page"), None))
    return crumbs


@require_GET
@login_required
def my_organizations(request: HttpRequest) -> HttpResponse:
    """The groups whose pages the person manages or asked to manage."""
    user = _person(request)
    memberships = (
        OrganizationMember.objects.filter(user=user)
        .exclude(status=MemberStatus.LEFT)
        .select_related("organization")
        .order_by("-requested_at")
    )
    context = {
        "memberships": list(memberships),
        "breadcrumbs": [
            (_("Find an organization"), reverse("organizations:list")),
            (_("Your groups"), None),
        ],
    }
    return TemplateResponse(request, "organizations/group/mine.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to manage the group's page; staff of a center where it is registered decide."""
    user = _person(request)
    organization = _public(pk)
    membership = group_actions.membership_of(user, organization)
    if membership is not None:
        if membership.is_approved:
            return redirect("organizations:manage", pk=organization.pk)
        messages.info(
            request, _("You have already asked to manage this page; staff will answer soon.")
        )
        return redirect("organizations:detail", pk=organization.pk)
    form = ClaimForm()
    if request.method == "POST":
        form = ClaimForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                group_actions.claim_organization(
                    organization=organization,
                    by=user,
                    role=data["role"],
                    role_in_group=data["role_in_group"],
                    phone=data["phone"],
                    message=data["message"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Thank you. The center will check your request and tell you by e-mail."),
                )
                return redirect("organizations:detail", pk=organization.pk)
    context = {
        "organization": organization,
        "form": form,
        "is_verified": user.has_verified_email,
        "breadcrumbs": [
            (_("Find an organization"), reverse("organizations:list")),
            (organization.name, reverse("organizations:detail", args=[organization.pk])),
            (_("Ask to manage this page"), None),
        ],
    }
    return TemplateResponse(request, "organizations/group/claim.html", context)


@require_GET
@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's own page: its profile, the changes waiting for staff, its news."""
    user, organization, membership = _managed(request, pk)
    news = NewsItem.objects.filter(organization=organization).select_related("created_by")
    context = {
        "organization": organization,
        "membership": membership,
        "pending": [
            {"change": change, "label": field_label(change.field)}
            for change in organization.proposed_changes.filter(status=ProposedChange.Status.PENDING)
        ],
        "news_items": [
            {"item": item, "may_change": group_actions.may_change_news(user, item)} for item in news
        ],
        "now": timezone.now(),
        "breadcrumbs": _crumbs(organization),
    }
    return TemplateResponse(request, "organizations/group/manage.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def edit_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the public profile; a change of name, corporate number or competent
    authority waits for staff."""
    user, organization, _membership = _managed(request, pk)
    form = GroupProfileForm(instance=Organization.objects.get(pk=organization.pk))
    if request.method == "POST":
        form = GroupProfileForm(request.POST, instance=Organization.objects.get(pk=organization.pk))
        if form.is_valid():
            try:
                changed, proposed = group_actions.edit_group_profile(
                    organization=organization, changes=form.changes(), by=user, request=request
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                if proposed:
                    messages.info(
                        request,
                        _("The center will confirm the change of %(fields)s before it shows.")
                        % {"fields": "、".join(field_label(change.field) for change in proposed)},
                    )
                if changed:
                    messages.success(request, _("The page has been updated."))
                elif not proposed:
                    messages.info(request, _("Nothing was changed."))
                return redirect("organizations:manage", pk=organization.pk)
    context = {
        "organization": organization,
        "form": form,
        "reviewed_fields": [field_label(name) for name in sorted(FIELDS_NEEDING_REVIEW)],
        "breadcrumbs": _crumbs(organization, _("Edit the profile")),
    }
    return TemplateResponse(request, "organizations/group/profile.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def news_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, organization, _membership = _managed(request, pk)
    form = NewsItemForm()
    if request.method == "POST":
        form = NewsItemForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            group_actions.post_news_item(
                organization=organization,
                by=user,
                title=data["title"],
                body=data["body"],
                published_at=data["published_at"],
                is_published=data["is_published"],
                request=request,
            )
            messages.success(request, _("The news item has been saved."))
            return redirect("organizations:manage", pk=organization.pk)
    context = {
        "organization": organization,
        "form": form,
        "item": None,
        "breadcrumbs": _crumbs(organization, _("New news item")),
    }
    return TemplateResponse(request, "organizations/group/news_form.html", context)


def _news_item(request: HttpRequest, pk: int, news_pk: int) -> tuple[User, NewsItem]:
    user, organization, _membership = _managed(request, pk)
    item = get_object_or_404(NewsItem, pk=news_pk, organization=organization)
    if not group_actions.may_change_news(user, item):
        raise PermissionDenied
    return user, item


@require_http_methods(["GET", "POST"])
@login_required
def news_edit(request: HttpRequest, pk: int, news_pk: int) -> HttpResponse:
    user, item = _news_item(request, pk, news_pk)
    form = NewsItemForm(
        initial={
            "title": item.title,
            "body": item.body,
            "published_at": timezone.localtime(item.published_at),
            "is_published": item.is_published,
        }
    )
    if request.method == "POST":
        form = NewsItemForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            group_actions.update_news_item(
                item=item,
                by=user,
                title=data["title"],
                body=data["body"],
                published_at=data["published_at"] or item.published_at,
                is_published=data["is_published"],
                request=request,
            )
            messages.success(request, _("The news item has been saved."))
            return redirect("organizations:manage", pk=item.organization_id)
    context = {
        "organization": item.organization,
        "form": form,
        "item": item,
        "breadcrumbs": _crumbs(item.organization, _("Edit a news item")),
    }
    return TemplateResponse(request, "organizations/group/news_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def news_delete(request: HttpRequest, pk: int, news_pk: int) -> HttpResponse:
    user, item = _news_item(request, pk, news_pk)
    if request.method == "POST":
        organization_id = item.organization_id
        group_actions.delete_news_item(item=item, by=user, request=request)
        messages.success(request, _("The news item has been deleted."))
        return redirect("organizations:manage", pk=organization_id)
    context = {
        "organization": item.organization,
        "item": item,
        "breadcrumbs": _crumbs(item.organization, _("Delete a news item")),
    }
    return TemplateResponse(request, "organizations/group/news_delete.html", context)
