"""The audit log in the back office: browse and export, never change.

Center administrators see the events of their centers, network administrators every
event. Browsing and exporting are themselves recorded in the log.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kyodo.accounts.models import User
from kyodo.audit import exports
from kyodo.audit.actions import record_event
from kyodo.audit.forms import AuditFilterForm, record_type_choices
from kyodo.audit.models import Action, AuditEvent
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.centers.models import Center

PAGE_SIZE = 50


def _person(request: HttpRequest) -> User:
    """The signed-in person (the views are behind ``login_required``)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _filtered(
    request: HttpRequest, permission: Permission
) -> tuple[AuditFilterForm, Any, Center | None]:
    """The filter form, the events it selects, and the center to record the reading
    against: the chosen one, or the person's only center."""
    centers = list(access.centers_where(request.user, permission).order_by("name_kana", "name")[:2])
    if not centers:
        raise PermissionDenied
    form = AuditFilterForm(
        request.GET or None, centers=access.centers_where(request.user, permission)
    )
    chosen = None
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data.get("center")
    events = form.filter(AuditEvent.objects.visible_to(request.user))
    if chosen is None and len(centers) == 1 and not access.is_network_admin(request.user):
        chosen = centers[0]
    return form, events, chosen


@require_GET
@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    form, events, center = _filtered(request, Permission.VIEW_AUDIT_LOG)
    page = Paginator(events.select_related("center"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)  # read before this reading is itself recorded
    labels = dict(record_type_choices())
    for row in rows:
        row.record_label = labels.get(row.object_type, row.object_type)
    record_event(
        actor=_person(request),
        action=Action.READ,
        object_type=AuditEvent._meta.label_lower,
        object_repr=_("Audit log, page %(page)s") % {"page": page.number},
        center=center,
        request=request,
        details=form.as_details() if form.is_bound else {},
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "events": rows,
        "query": query.urlencode(),
        "staff_centers": access.centers_visible_to(request.user).order_by("name_kana", "name"),
        "may_export": access.centers_where(request.user, Permission.EXPORT_AUDIT_LOG).exists(),
    }
    return TemplateResponse(request, "audit/event_list.html", context)


@require_GET
@login_required
def event_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered log as CSV. The export is recorded before the first row is sent."""
    form, events, center = _filtered(request, Permission.EXPORT_AUDIT_LOG)
    # Only what the person may export, even if they may browse more.
    if not access.is_network_admin(request.user):
        events = events.filter(
            center__in=access.centers_where(request.user, Permission.EXPORT_AUDIT_LOG)
        )
    record_event(
        actor=_person(request),
        action=Action.EXPORT,
        object_type=AuditEvent._meta.label_lower,
        object_repr=_("Audit log as CSV"),
        center=center,
        request=request,
        details=form.as_details() if form.is_bound else {},
    )
    filename = f"audit-log-{timezone.localtime():%Y%m%d-%H%M}.csv"
    response = StreamingHttpResponse(
        exports.csv_lines(exports.iterate(events)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
