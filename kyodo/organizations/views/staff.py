"""The staff side of the registry: search every record, read one with its sources, edit
it, register it at a center, merge two records and undo a merge.

Reading the registry is open to staff of any center (``access.is_staff_user``, as
``Organization.objects.visible_to``); changing it needs ``MANAGE_ORGANIZATIONS`` at some
center. Opening a record shows its private contact data and is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kyodo.accounts.models import User
from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.organizations import actions, group_actions
from kyodo.organizations.forms import (
    MergeForm,
    OrganizationEditForm,
    OtherRecordForm,
    RegistrationForm,
    StaffSearchForm,
)
from kyodo.organizations.models import (
    CONTACT_FIELDS,
    TRACKED_FIELDS,
    FieldChange,
    FieldSource,
    MatchReview,
    MemberStatus,
    MergeRecord,
    Organization,
    OrganizationMember,
    ProposedChange,
    SourceRecord,
    Status,
)

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 50
COMPARED_FIELDS = (
    "name",
    "name_kana",
    "legal_form",
    "corporate_number",
    "competent_authority",
    "postcode",
    "prefecture",
    "municipality",
    "street",
    "phone",
    "email",
    "representative",
    "established_on",
    "status",
)


# --- Who may do what ----------------------------------------------------------------------------


def person(request: HttpRequest) -> User:
    """The signed-in person (the views are behind ``login_required``)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def require_reader(request: HttpRequest) -> User:
    """Staff of any center may read every record."""
    if not access.is_staff_user(request.user):
        raise PermissionDenied
    return person(request)


def curating_centers(request: HttpRequest) -> Any:
    return access.centers_where(request.user, Permission.MANAGE_ORGANIZATIONS).order_by(
        "name_kana", "name"
    )


def may_curate(request: HttpRequest) -> bool:
    return curating_centers(request).exists()


def require_curator(request: HttpRequest) -> User:
    """Changing the registry needs MANAGE_ORGANIZATIONS at some center."""
    user = require_reader(request)
    if not may_curate(request):
        raise PermissionDenied
    return user


def staff_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """What ``staff/base.html`` expects, and what the registry's pages share."""
    return {
        "center": None,
        "staff_centers": access.centers_visible_to(request.user).order_by("name_kana", "name"),
        "may_curate": may_curate(request),
        **extra,
    }


def get_record(request: HttpRequest, pk: int) -> Organization:
    require_reader(request)
    return get_object_or_404(Organization.objects.select_related("merged_into"), pk=pk)


def field_label(name: str) -> str:
    from kyodo.organizations.importers.runner import field_label as label

    try:
        return label(name)
    except FieldDoesNotExist:  # a field of an older version of the data
        return name


# --- Search -------------------------------------------------------------------------------------


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Every record, hidden and dissolved ones too, by name, number, phone or e-mail."""
    require_reader(request)
    form = StaffSearchForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    organizations = form.filter(Organization.objects.all()).prefetch_related(
        "registrations__center"
    )
    page_obj = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = staff_context(
        request,
        form=form,
        page_obj=page_obj,
        organizations=list(page_obj),
        open_reviews=MatchReview.objects.open().count(),
        pending_changes=ProposedChange.objects.filter(status=ProposedChange.Status.PENDING).count(),
        pending_claims=_pending_claims_count(request),
    )
    template = "organizations/staff/search.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return TemplateResponse(request, template, context)


def _pending_claims_count(request: HttpRequest) -> int:
    return int(group_actions.claims_visible_to(request.user).count())


# --- One record -----------------------------------------------------------------------------------


def _field_rows(organization: Organization) -> list[dict[str, Any]]:
    """Each tracked field with its value and where the value came from."""
    sources = {
        source.field: source
        for source in FieldSource.objects.filter(organization=organization).select_related(
            "source_record", "source_record__center", "set_by"
        )
    }
    lists = {
        "activity_fields": organization.activity_field_codes(),
        "activity_areas": organization.activity_area_names(),
        "certifications": [c.as_value() for c in organization.certifications.all()],
    }
    rows = []
    for name in TRACKED_FIELDS:
        value = lists[name] if name in lists else getattr(organization, name)
        flag = f"{name}_is_public"
        rows.append(
            {
                "name": name,
                "label": field_label(name),
                "value": value,
                "source": sources.get(name),
                "is_public": getattr(organization, flag) if hasattr(organization, flag) else None,
                "is_contact": name in CONTACT_FIELDS,
            }
        )
    return rows


@require_GET
@login_required
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """A record as staff see it: every field (private ones too) with its source, the
    registrations, the source records, open reviews, merges and members."""
    user = require_reader(request)
    organization = get_record(request, pk)
    record_event(
        actor=user,
        action=Action.READ,
        target=organization,
        request=request,
        details={"view": "staff_record"},
    )
    reviews = (
        MatchReview.objects.open()
        .filter(Q(organization=organization) | Q(other_organization=organization))
        .select_related("organization", "other_organization", "source_record")
    )
    context = staff_context(
        request,
        organization=organization,
        rows=_field_rows(organization),
        links=list(organization.links.all()),
        registrations=list(organization.registrations.select_related("center")),
        source_records=list(
            SourceRecord.objects.filter(organization=organization).select_related("center")
        ),
        reviews=list(reviews),
        merges=list(
            MergeRecord.objects.filter(kept=organization).select_related("removed", "merged_by")
        ),
        merged_from=MergeRecord.objects.filter(removed=organization, undone_at__isnull=True)
        .select_related("kept")
        .first(),
        proposed=[
            {"change": change, "label": field_label(change.field)}
            for change in organization.proposed_changes.filter(status=ProposedChange.Status.PENDING)
        ],
        registration_form=RegistrationForm(centers=curating_centers(request)),
        members=_members(organization),
        breadcrumbs=[
            (_("Organizations"), reverse("organizations_staff:search")),
            (organization.name, None),
        ],
    )
    return TemplateResponse(request, "organizations/staff/record.html", context)


def _members(organization: Organization) -> list[OrganizationMember]:
    return list(
        OrganizationMember.objects.filter(organization=organization)
        .exclude(status=MemberStatus.LEFT)
        .select_related("user")
    )


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a record; staff values win over every later import."""
    user = require_curator(request)
    organization = get_record(request, pk)
    if organization.is_merged:
        messages.error(request, _("A merged record cannot be edited; edit the record it is in."))
        return redirect("organizations_staff:record", pk=organization.pk)
    form = OrganizationEditForm(instance=Organization.objects.get(pk=pk))
    if request.method == "POST":
        form = OrganizationEditForm(request.POST, instance=Organization.objects.get(pk=pk))
        if form.is_valid():
            try:
                changed = actions.apply_staff_edit(
                    organization=organization, changes=form.changes(), by=user, request=request
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if changed:
                    messages.success(request, _("The record has been saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("organizations_staff:record", pk=organization.pk)
    context = staff_context(
        request,
        organization=organization,
        form=form,
        breadcrumbs=[
            (_("Organizations"), reverse("organizations_staff:search")),
            (organization.name, reverse("organizations_staff:record", args=[organization.pk])),
            (_("Edit"), None),
        ],
    )
    return TemplateResponse(request, "organizations/staff/edit.html", context)


def _add_errors(form: Any, error: ValidationError) -> None:
    """Put an action's error on the form's fields where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_POST
@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the organization at a center, or change its registration."""
    user = require_curator(request)
    organization = get_record(request, pk)
    form = RegistrationForm(request.POST, centers=curating_centers(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_center_registration(
                organization=organization,
                center=data["center"],
                status=data["status"],
                registered_on=data["registered_on"],
                ended_on=data["ended_on"],
                center_group_id=data["center_group_id"],
                by=user,
                request=request,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The registration at %(center)s has been saved.")
                % {"center": data["center"].name},
            )
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for problem in errors:
                messages.error(request, f"{label}: {problem}" if label else str(problem))
    return redirect(
        reverse("organizations_staff:record", args=[organization.pk]) + "#registrations"
    )


@require_POST
@login_required
def unlink(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    """Split an imported record off the master record it was linked to by mistake."""
    user = require_curator(request)
    organization = get_record(request, pk)
    source_record = get_object_or_404(SourceRecord, pk=record_pk, organization=organization)
    try:
        new = actions.unlink_source_record(source_record=source_record, by=user, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("organizations_staff:record", pk=organization.pk)
    messages.success(
        request,
        _("The imported record now feeds a record of its own: %(name)s.") % {"name": new.name},
    )
    return redirect("organizations_staff:record", pk=new.pk)


# --- History -------------------------------------------------------------------------------------


@require_GET
@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change of the record's fields, newest first, with its source and who made it."""
    user = require_reader(request)
    organization = get_record(request, pk)
    changes = FieldChange.objects.filter(organization=organization).select_related(
        "source_record", "source_record__center", "changed_by"
    )
    page_obj = Paginator(changes, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    record_event(
        actor=user,
        action=Action.READ,
        target=organization,
        request=request,
        details={"view": "staff_history"},
    )
    context = staff_context(
        request,
        organization=organization,
        rows=_field_rows(organization),
        page_obj=page_obj,
        changes=[{"change": change, "label": field_label(change.field)} for change in page_obj],
        breadcrumbs=[
            (_("Organizations"), reverse("organizations_staff:search")),
            (organization.name, reverse("organizations_staff:record", args=[organization.pk])),
            (_("History"), None),
        ],
    )
    return TemplateResponse(request, "organizations/staff/history.html", context)


# --- Merge and split ---------------------------------------------------------------------------


class _DryRun(Exception):
    pass


def _merge_preview(keep: Organization, remove: Organization, by: User) -> dict[str, Any]:
    """The values the kept record would have after the merge: the merge is run and
    rolled back, so that the preview follows exactly the rules of the real one."""
    values: dict[str, Any] = {}
    try:
        with transaction.atomic():
            merge = actions.merge_organizations(keep=keep, remove=remove, by=by)
            merged = Organization.objects.get(pk=merge.kept_id)
            values = {row["name"]: row["value"] for row in _field_rows(merged)}
            raise _DryRun
    except _DryRun:
        pass
    return values


@require_http_methods(["GET", "POST"])
@login_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge two records: find the other record, choose the one to keep, look at the
    result, confirm."""
    user = require_curator(request)
    organization = get_record(request, pk)
    if organization.status == Status.MERGED:
        messages.error(request, _("This record has already been merged into another one."))
        return redirect("organizations_staff:record", pk=organization.pk)
    other_form = OtherRecordForm(request.GET if "other" in request.GET else None)
    other: Organization | None = None
    if other_form.is_bound and other_form.is_valid():
        other = (
            Organization.objects.current()
            .exclude(pk=organization.pk)
            .filter(pk=other_form.cleaned_data["other"])
            .first()
        )
        if other is None:
            other_form.add_error("other", _("There is no other current record with this number."))
    query = request.GET.get("q", "").strip()[:100]
    candidates: list[Organization] = []
    if query and other is None:
        candidates = list(
            Organization.objects.current()
            .exclude(pk=organization.pk)
            .search(query)
            .by_reading()[:20]
        )
    context = staff_context(
        request,
        organization=organization,
        other=other,
        other_form=other_form,
        query=query,
        candidates=candidates,
        breadcrumbs=[
            (_("Organizations"), reverse("organizations_staff:search")),
            (organization.name, reverse("organizations_staff:record", args=[organization.pk])),
            (_("Merge"), None),
        ],
    )
    if other is not None:
        data = request.POST if request.method == "POST" else request.GET
        form = MergeForm(
            data if "keep" in data else None,
            first=organization,
            second=other,
            initial={"keep": str(organization.pk)},
        )
        keep, remove = organization, other
        if form.is_bound and form.is_valid() and form.cleaned_data["keep"] == str(other.pk):
            keep, remove = other, organization
        if request.method == "POST" and form.is_bound and form.is_valid():
            try:
                merge_record = actions.merge_organizations(
                    keep=keep, remove=remove, by=user, request=request
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(removed)s has been merged into %(kept)s. The merge can be undone.")
                    % {"removed": remove.name, "kept": keep.name},
                )
                return redirect("organizations_staff:record", pk=merge_record.kept_id)
        preview: dict[str, Any] = {}
        preview_error = ""
        try:
            preview = _merge_preview(keep, remove, user)
        except ValidationError as error:
            preview_error = " ".join(error.messages)
        first_rows = _field_rows(organization)
        second = {row["name"]: row for row in _field_rows(other)}
        context.update(
            form=form,
            keep=keep,
            remove=remove,
            preview_error=preview_error,
            comparison=[
                {
                    "label": row["label"],
                    "name": row["name"],
                    "first": row["value"],
                    "second": second[row["name"]]["value"],
                    "result": preview.get(row["name"]),
                    "differs": row["value"] != second[row["name"]]["value"],
                }
                for row in first_rows
            ],
        )
    return TemplateResponse(request, "organizations/staff/merge.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def split(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a merge: the removed record comes back with what it brought."""
    user = require_curator(request)
    merge_record = get_object_or_404(
        MergeRecord.objects.select_related("kept", "removed", "merged_by", "undone_by"), pk=pk
    )
    error = ""
    if request.method == "POST" and not merge_record.is_undone:
        try:
            restored = actions.split_organization(
                merge_record=merge_record, by=user, request=request
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                _("The merge has been undone; %(name)s is a record of its own again.")
                % {"name": restored.name},
            )
            return redirect("organizations_staff:record", pk=restored.pk)
    context = staff_context(
        request,
        merge=merge_record,
        error=error,
        fields=[field_label(name) for name in merge_record.snapshot.get("fields", {})],
        breadcrumbs=[
            (_("Organizations"), reverse("organizations_staff:search")),
            (
                merge_record.kept.name,
                reverse("organizations_staff:record", args=[merge_record.kept_id]),
            ),
            (_("Undo a merge"), None),
        ],
    )
    return TemplateResponse(request, "organizations/staff/split.html", context)
