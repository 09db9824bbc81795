"""The staff back office of the network: home, per-center dashboard, staff, sharing.

Every view starts from who is asking: the center is looked up by its slug and the
person's permission there is checked through ``kyodo.centers.access``; without it the
answer is 403 (a friendly page), for a partner center and an unrelated one alike.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kyodo.accounts.models import User
from kyodo.audit.actions import record_event
from kyodo.audit.models import Action, AuditEvent
from kyodo.centers import access, actions
from kyodo.centers.access import Permission
from kyodo.centers.forms import (
    CenterProfileForm,
    EndMembershipForm,
    SharingForm,
    StaffMembershipForm,
)
from kyodo.centers.models import (
    Center,
    Partnership,
    RecordKind,
    Role,
    SharingRule,
    StaffMembership,
)

RECENT_EVENTS = 8


def _person(request: HttpRequest) -> User:
    """The signed-in person (the views are behind ``login_required``)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _center(request: HttpRequest, slug: str, permission: Permission) -> Center:
    center = get_object_or_404(Center.objects.select_related("parent"), slug=slug)
    if not access.can(request.user, permission, center):
        raise PermissionDenied
    return center


def _staff_context(request: HttpRequest, center: Center | None = None) -> dict[str, Any]:
    """What ``staff/base.html`` expects: the current center and the person's centers."""
    return {
        "center": center,
        "staff_centers": access.centers_visible_to(request.user).order_by("name_kana", "name"),
    }


@require_GET
@login_required
def back_office(request: HttpRequest) -> HttpResponse:
    """The person's centers; a network administrator sees every center, with a search."""
    if not access.is_staff_user(request.user):
        raise PermissionDenied
    switch_to = request.GET.get("center", "")
    if switch_to:  # the center switcher of the staff menu
        target = Center.objects.filter(slug=switch_to).first()
        if target and access.can(request.user, Permission.VIEW_DASHBOARD, target):
            return redirect("staff:dashboard", slug=target.slug)
    centers = access.centers_visible_to(request.user).order_by("name_kana", "name")
    is_network_admin = access.is_network_admin(request.user)
    query = request.GET.get("q", "").strip()[:100] if is_network_admin else ""
    if query:
        centers = centers.matching(query)
    cards = [
        {
            "center": center,
            "roles": [Role(r).label for r in sorted(access.roles_at(request.user, center))],
        }
        for center in sorted(centers, key=lambda c: c.sort_key)
    ]
    context = {
        **_staff_context(request),
        "cards": cards,
        "is_network_admin": is_network_admin,
        "query": query,
    }
    return TemplateResponse(request, "staff/home.html", context)


@require_GET
@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    center = _center(request, slug, Permission.VIEW_DASHBOARD)
    role_counts = dict(
        StaffMembership.objects.current()
        .filter(center=center)
        .order_by()
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    staff_by_role = [(label, role_counts.get(value, 0)) for value, label in Role.choices]
    context = {
        **_staff_context(request, center),
        "staff_by_role": staff_by_role,
        "staff_total": sum(role_counts.values()),
        "partners": _partners_with_sharing(center),
        "recent_events": None,
    }
    if access.can(request.user, Permission.VIEW_AUDIT_LOG, center):
        context["recent_events"] = list(
            AuditEvent.objects.filter(center=center)
            .exclude(action=Action.READ)
            .select_related("center")[:RECENT_EVENTS]
        )
        record_event(
            actor=_person(request),
            action=Action.READ,
            object_type=AuditEvent._meta.label_lower,
            object_repr=_("Recent changes on the dashboard of %(center)s")
            % {"center": center.name},
            center=center,
            request=request,
        )
    return TemplateResponse(request, "staff/dashboard.html", context)


def _partners_with_sharing(center: Center) -> list[dict[str, Any]]:
    """Each partner with the kinds of records shared each way."""
    rows: list[dict[str, Any]] = []
    partnerships = Partnership.objects.involving(center).select_related("first", "second")
    rules = SharingRule.objects.filter(owner=center) | SharingRule.objects.filter(partner=center)
    given: dict[int, set[str]] = {}
    received: dict[int, set[str]] = {}
    for owner_id, partner_id, kind in rules.values_list("owner_id", "partner_id", "kind"):
        if owner_id == center.pk:
            given.setdefault(partner_id, set()).add(kind)
        else:
            received.setdefault(owner_id, set()).add(kind)
    for partnership in partnerships:
        partner = partnership.other(center)
        rows.append(
            {
                "partner": partner,
                "partnership": partnership,
                "we_share": [k.label for k in RecordKind if k.value in given.get(partner.pk, ())],
                "they_share": [
                    k.label for k in RecordKind if k.value in received.get(partner.pk, ())
                ],
            }
        )
    rows.sort(key=lambda row: (row["partner"].name_kana, row["partner"].name))
    return rows


@require_http_methods(["GET", "POST"])
@login_required
def memberships(request: HttpRequest, slug: str) -> HttpResponse:
    """The people who hold a role at the center; its administrators add and end roles."""
    center = _center(request, slug, Permission.VIEW_STAFF_DIRECTORY)
    may_manage = access.can(request.user, Permission.MANAGE_STAFF, center)
    add_form = StaffMembershipForm(prefix="add")
    end_form = EndMembershipForm(center=center, prefix="end")
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if "end-membership" in request.POST:
            end_form = EndMembershipForm(request.POST, center=center, prefix="end")
            if end_form.is_valid():
                membership = end_form.cleaned_data["membership"]
                try:
                    actions.end_staff_membership(
                        membership=membership,
                        by=_person(request),
                        request=request,
                    )
                except ValidationError as error:
                    end_form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        _("The role %(role)s of %(person)s has ended.")
                        % {
                            "role": membership.get_role_display(),
                            "person": membership.user.display_name,
                        },
                    )
                    return redirect("staff:memberships", slug=center.slug)
        else:
            add_form = StaffMembershipForm(request.POST, prefix="add")
            if add_form.is_valid():
                data = add_form.cleaned_data
                try:
                    membership = actions.add_staff_membership(
                        center=center,
                        user=data["email"],
                        role=data["role"],
                        department=data["department"],
                        by=_person(request),
                        request=request,
                    )
                except ValidationError as error:
                    add_form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        _("%(person)s now holds the role %(role)s.")
                        % {
                            "person": membership.user.display_name,
                            "role": membership.get_role_display(),
                        },
                    )
                    return redirect("staff:memberships", slug=center.slug)
    people = list(
        StaffMembership.objects.current()
        .filter(center=center)
        .select_related("user")
        .order_by("user__name_kana", "user__display_name", "role")
    )
    record_event(
        actor=_person(request),
        action=Action.READ,
        object_type=StaffMembership._meta.label_lower,
        object_repr=_("Staff list of %(center)s") % {"center": center.name},
        center=center,
        request=request,
        details={"people": len(people)},
    )
    context = {
        **_staff_context(request, center),
        "memberships": people,
        "may_manage": may_manage,
        "add_form": add_form,
        "end_form": end_form,
    }
    return TemplateResponse(request, "staff/memberships.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def sharing(request: HttpRequest, slug: str) -> HttpResponse:
    """Which kinds of records the center shares with each partner, and what partners
    share with it (read-only)."""
    center = _center(request, slug, Permission.MANAGE_SHARING)
    partners = _partners_with_sharing(center)
    given = {
        (rule.partner_id, rule.kind)
        for rule in SharingRule.objects.from_center(center).only("partner_id", "kind")
    }
    failed_partner: int | None = None
    failed_form: SharingForm | None = None
    if request.method == "POST":
        partner = _posted_partner(request, center, partners)
        form = SharingForm(request.POST, prefix=f"p{partner.pk}")
        if form.is_valid():
            try:
                changed = actions.set_sharing_rules(
                    owner=center,
                    partner=partner,
                    kinds=form.cleaned_data["kinds"],
                    by=_person(request),
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if changed:
                    messages.success(
                        request,
                        _("What %(center)s shares with %(partner)s has been saved.")
                        % {"center": center.name, "partner": partner.name},
                    )
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("staff:sharing", slug=center.slug)
        failed_partner, failed_form = partner.pk, form
    for row in partners:
        pk = row["partner"].pk
        if pk == failed_partner:
            row["form"] = failed_form
        else:
            initial = [kind for partner_id, kind in given if partner_id == pk]
            row["form"] = SharingForm(prefix=f"p{pk}", initial={"kinds": initial})
    context = {**_staff_context(request, center), "partners": partners}
    return TemplateResponse(request, "staff/sharing.html", context)


def _posted_partner(request: HttpRequest, center: Center, partners: list[dict[str, Any]]) -> Center:
    raw = request.POST.get("partner", "")
    for row in partners:
        if str(row["partner"].pk) == raw:
            partner: Center = row["partner"]
            return partner
    # Not a partner of this center: the page never offers that.
    raise BadRequest("Not a partner of this center.")


@require_http_methods(["GET", "POST"])
@login_required
def center_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The public profile of the center."""
    center = _center(request, slug, Permission.EDIT_CENTER)
    form = CenterProfileForm(instance=center)
    if request.method == "POST":
        form = CenterProfileForm(request.POST, instance=Center.objects.get(pk=center.pk))
        if form.is_valid():
            changed = actions.update_center_profile(
                center=center,
                data=form.cleaned_data,
                services=form.cleaned_data["services"],
                by=_person(request),
                request=request,
            )
            if changed:
                messages.success(request, _("The public profile has been saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("staff:dashboard", slug=center.slug)
    context = {**_staff_context(request, center), "form": form}
    return TemplateResponse(request, "staff/center_edit.html", context)
