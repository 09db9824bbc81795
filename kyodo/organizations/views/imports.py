"""Importing files from the staff screens: upload, map the columns of a center's list
when its headers were not recognised, run, and read the report row by row.

The import runs within the request, in the one transaction of ``actions.import_organizations``
(nothing of it is visible to another request before it ends, so there is no progress to
poll): the page shows a busy indicator while it runs, then the report.
"""

from __future__ import annotations

import datetime
import re
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from kyodo.centers.models import Center
from kyodo.organizations import actions
from kyodo.organizations.forms import ColumnMapForm, ImportForm
from kyodo.organizations.importers import ImportFileError, detect_columns, field_choices
from kyodo.organizations.importers import center_list as center_list_files
from kyodo.organizations.importers.common import csv_rows, decode
from kyodo.organizations.models import ImportRowResult, ImportRun, RowOutcome
from kyodo.organizations.views.staff import curating_centers, require_curator, staff_context

SESSION_KEY = "organizations_import"
STAGED_MAX_AGE_SECONDS = 24 * 60 * 60
REPORT_PAGE_SIZE = 100
HEADER_SEARCH_ROWS = 10
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


# --- Files waiting for their column mapping ---------------------------------------------------


def staging_dir() -> Path:
    return Path(
        getattr(
            settings,
            "KYODO_ORGANIZATION_IMPORT_DIR",
            settings.BASE_DIR / "var" / "organization-imports",
        )
    )


def _stage(request: HttpRequest, data: bytes, meta: dict[str, Any]) -> None:
    """Keep an uploaded file for the mapping step (outside the web root); the session
    holds its random name, so only the person who uploaded it can use it."""
    directory = staging_dir()
    directory.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in directory.glob("*.upload"):
        if now - old.stat().st_mtime > STAGED_MAX_AGE_SECONDS:
            old.unlink(missing_ok=True)
    _discard(request)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.upload").write_bytes(data)
    request.session[SESSION_KEY] = {**meta, "token": token}


def _staged_path(meta: Any) -> Path | None:
    token = str(meta.get("token", "")) if isinstance(meta, dict) else ""
    if not TOKEN.fullmatch(token):
        return None
    return staging_dir() / f"{token}.upload"


def _staged(request: HttpRequest) -> tuple[dict[str, Any], bytes] | None:
    meta = request.session.get(SESSION_KEY)
    path = _staged_path(meta)
    if not isinstance(meta, dict) or path is None or not path.is_file():
        return None
    return meta, path.read_bytes()


def _discard(request: HttpRequest) -> None:
    path = _staged_path(request.session.pop(SESSION_KEY, None))
    if path is not None:
        path.unlink(missing_ok=True)


def header_rows(data: bytes, file_name: str) -> list[list[str]]:
    """The first rows of a center's list, to find and show its headers."""
    if center_list_files.is_xlsx(data, file_name):
        rows = center_list_files.read_xlsx(data)
    else:
        rows = csv_rows(decode(data))
    return [row for row in rows[:HEADER_SEARCH_ROWS] if row]


def _needs_mapping(rows: list[list[str]]) -> bool:
    """No row of the top of the file is a header the importer recognises by itself."""
    detections = [detect_columns(row) for row in rows]
    return not any(not found.missing_required and len(found.mapping) >= 2 for found in detections)


def _header_candidates(rows: list[list[str]]) -> list[str]:
    """The row that most looks like a header: the first with the most filled cells."""
    best: list[str] = []
    for row in rows:
        if sum(1 for cell in row if cell.strip()) > sum(1 for cell in best if cell.strip()):
            best = row
    return [cell.strip() for cell in best]


# --- The screens ----------------------------------------------------------------------------


def _run(
    request: HttpRequest,
    *,
    source: str,
    data: bytes,
    file_name: str,
    center: Center | None,
    as_of: datetime.date | None,
    column_map: dict[str, str] | None = None,
) -> int:
    """Run the import and say what happened; returns the ImportRun's id."""
    user = require_curator(request)
    report = actions.import_organizations(
        source=source,
        data=data,
        file_name=file_name,
        center=center,
        by=user,
        column_map=column_map,
        as_of=as_of,
        request=request,
    )
    for note in report.notes:
        messages.info(request, note)
    messages.success(request, _("The import has finished; the report is below."))
    return int(report.run_id or 0)


def _done(request: HttpRequest, run_id: int) -> HttpResponse:
    url = reverse("organizations_staff:import_report", args=[run_id])
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


@require_http_methods(["GET", "POST"])
@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """Upload a file and import it; the list of earlier imports."""
    require_curator(request)
    centers = curating_centers(request)
    form = ImportForm(centers=centers)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, centers=centers)
        if form.is_valid():
            response = _import_upload(request, form)
            if response is not None:
                return response
    runs = ImportRun.objects.select_related("center", "by").order_by("-started_at", "-pk")
    page_obj = Paginator(runs, 20).get_page(request.GET.get("page"))
    context = staff_context(
        request,
        form=form,
        page_obj=page_obj,
        runs=[
            {
                "run": run,
                "counts": [
                    (label, run.counts[value])
                    for value, label in RowOutcome.choices
                    if run.counts.get(value)
                ],
            }
            for run in page_obj
        ],
        breadcrumbs=[
            (_("Organizations"), reverse("organizations_staff:search")),
            (_("Imports"), None),
        ],
    )
    template = "organizations/staff/imports.html"
    if getattr(request, "htmx", False):
        template += "#import-form"
    return TemplateResponse(request, template, context)


def _import_upload(request: HttpRequest, form: ImportForm) -> HttpResponse | None:
    """Import the uploaded file, or send a center's list with unknown headers to the
    mapping step. Returns None when the form shows a problem."""
    data_in = form.cleaned_data
    upload = data_in["file"]
    data = upload.read()
    center = data_in.get("center")
    source = data_in["source"]
    try:
        if source == "center_list":
            rows = header_rows(data, upload.name)
            if not rows:
                raise ImportFileError(_("The file is empty."))
            if _needs_mapping(rows):
                _stage(
                    request,
                    data,
                    {
                        "file_name": upload.name,
                        "center": center.pk if center else None,
                        "as_of": data_in["as_of"].isoformat() if data_in["as_of"] else "",
                        "headers": _header_candidates(rows),
                    },
                )
                return redirect("organizations_staff:import_mapping")
        run_id = _run(
            request,
            source=source,
            data=data,
            file_name=upload.name,
            center=center if source == "center_list" else None,
            as_of=data_in["as_of"],
        )
    except (ImportFileError, ValidationError) as error:
        form.add_error("file", _message(error))
        return None
    return _done(request, run_id)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


@require_http_methods(["GET", "POST"])
@login_required
def import_mapping(request: HttpRequest) -> HttpResponse:
    """Say what each column of a center's list holds, then import it."""
    require_curator(request)
    staged = _staged(request)
    if staged is None:
        messages.info(request, _("Choose the file to import again."))
        return redirect("organizations_staff:imports")
    meta, data = staged
    center = curating_centers(request).filter(pk=meta.get("center")).first()
    if center is None:
        _discard(request)
        raise PermissionDenied
    headers = [str(header) for header in meta.get("headers", [])]
    form = ColumnMapForm(
        request.POST or None,
        headers=headers,
        fields=field_choices(),
        initial_map=detect_columns(headers).mapping,
    )
    if request.method == "POST" and "cancel" in request.POST:
        _discard(request)
        messages.info(request, _("The import was cancelled."))
        return redirect("organizations_staff:imports")
    if request.method == "POST" and form.is_valid():
        as_of = meta.get("as_of") or ""
        try:
            run_id = _run(
                request,
                source="center_list",
                data=data,
                file_name=str(meta.get("file_name", "")),
                center=center,
                as_of=datetime.date.fromisoformat(as_of) if as_of else None,
                column_map=form.cleaned_data["column_map"],
            )
        except (ImportFileError, ValidationError) as error:
            form.add_error(None, _message(error))
        else:
            _discard(request)
            return _done(request, run_id)
    context = staff_context(
        request,
        form=form,
        file_name=meta.get("file_name", ""),
        import_center=center,
        breadcrumbs=[
            (_("Organizations"), reverse("organizations_staff:search")),
            (_("Imports"), reverse("organizations_staff:imports")),
            (_("Columns of the file"), None),
        ],
    )
    template = "organizations/staff/import_mapping.html"
    if getattr(request, "htmx", False):
        template += "#mapping-form"
    return TemplateResponse(request, template, context)


@require_GET
@login_required
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    """What an import did: the counts and every row with its outcome and reason."""
    require_curator(request)
    run = get_object_or_404(ImportRun.objects.select_related("center", "by"), pk=pk)
    rows = ImportRowResult.objects.filter(run=run).select_related("organization")
    outcome = request.GET.get("outcome", "")
    if outcome in RowOutcome.values:
        rows = rows.filter(outcome=outcome)
    else:
        outcome = ""
    page_obj = Paginator(rows.order_by("row_number"), REPORT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = [
        (value, label, int(run.counts.get(value, 0)))
        for value, label in RowOutcome.choices
        if value in run.counts
    ]
    context = staff_context(
        request,
        run=run,
        counts=counts,
        outcome=outcome,
        page_obj=page_obj,
        rows=list(page_obj),
        breadcrumbs=[
            (_("Organizations"), reverse("organizations_staff:search")),
            (_("Imports"), reverse("organizations_staff:imports")),
            (run.file_name, None),
        ],
    )
    return TemplateResponse(request, "organizations/staff/import_report.html", context)
