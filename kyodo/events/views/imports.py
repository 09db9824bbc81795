"""Importing an イベント一覧 open-data file from the staff screens: upload, preview, import.

1. Upload (CSV in UTF-8 with or without BOM, or CP932; or an .xlsx sheet) and choose the
   center. The file is read and imported in a transaction that is rolled back: the
   preview shows what each row would become (created, updated, unchanged, rejected with
   the reason) and nothing is saved. A file that cannot be read as a whole (wrong
   layout, not text…) is reported on the form.
2. Import: the same file (kept on the server, outside the web root, under a random name
   the person's session holds) is imported in one transaction
   (``opendata.importer.import_event_file``): all of it or, if anything fails, nothing.
   Rejected rows are left out, as the preview said.
3. The report: every row with its outcome and a link to its event.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kyodo.centers.models import Center
from kyodo.events.forms import EventImportForm
from kyodo.events.opendata.importer import ImportReport, import_event_file
from kyodo.events.opendata.reader import EventFileError
from kyodo.events.views.staff import _managed_centers, _person, _require_staff, _staff_context

SESSION_KEY = "events_import"
REPORT_KEY = "events_import_report"
STAGED_MAX_AGE_SECONDS = 24 * 60 * 60
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")

OUTCOME_LABELS = {
    "created": gettext_lazy("New event"),
    "updated": gettext_lazy("Updated"),
    "unchanged": gettext_lazy("Unchanged"),
    "rejected": gettext_lazy("Not imported"),
}


def staging_dir() -> Path:
    return Path(
        getattr(settings, "KYODO_EVENT_IMPORT_DIR", settings.BASE_DIR / "var" / "event-imports")
    )


def _write(data: bytes, suffix: str) -> str:
    """Keep ``data`` under a new random name; old files are cleared on the way."""
    directory = staging_dir()
    directory.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in directory.glob("*.*"):
        if now - old.stat().st_mtime > STAGED_MAX_AGE_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.{suffix}").write_bytes(data)
    return token


def _path(meta: Any, suffix: str) -> Path | None:
    token = str(meta.get("token", "")) if isinstance(meta, dict) else ""
    if not TOKEN.fullmatch(token):
        return None
    path = staging_dir() / f"{token}.{suffix}"
    return path if path.is_file() else None


def _discard(request: HttpRequest, key: str, suffix: str) -> None:
    path = _path(request.session.pop(key, None), suffix)
    if path is not None:
        path.unlink(missing_ok=True)


def _breadcrumbs(here: str | None = None) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [(_("Events"), reverse("events_staff:list"))]
    if here is None:
        return [*crumbs, (_("Import an イベント一覧 file"), None)]
    return [
        *crumbs,
        (_("Import an イベント一覧 file"), reverse("events_staff:import")),
        (here, None),
    ]


def _rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**row, "label": OUTCOME_LABELS.get(row["outcome"], row["outcome"])}
        for row in report.get("rows", [])
    ]


def _preview(center: Center, data: bytes, file_name: str, request: HttpRequest) -> ImportReport:
    """Import in a transaction that is rolled back: what the import would do."""
    with transaction.atomic():
        report = import_event_file(
            center=center, data=data, file_name=file_name, by=_person(request)
        )
        transaction.set_rollback(True)
    return report


@require_http_methods(["GET", "POST"])
@login_required
def event_import(request: HttpRequest) -> HttpResponse:
    """Upload a file and see what importing it would do."""
    _require_staff(request)
    centers = _managed_centers(request)
    chosen = centers.filter(slug=request.GET.get("center", "")).first()
    form = EventImportForm(
        request.POST or None,
        request.FILES or None,
        centers=centers,
        initial={"center": chosen.pk if chosen else None},
    )
    context = _staff_context(request, chosen)
    context.update({"form": form, "breadcrumbs": _breadcrumbs()})
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            center = form.cleaned_data["center"]
            data = upload.read()
            file_name = Path(upload.name or "").name[:200]
            try:
                report = _preview(center, data, file_name, request)
            except EventFileError as error:
                form.add_error("file", str(error))
            else:
                _discard(request, SESSION_KEY, "upload")
                token = _write(data, "upload")
                request.session[SESSION_KEY] = {
                    "token": token,
                    "center": center.pk,
                    "file_name": file_name,
                }
                preview = report.to_json()
                context.update(
                    {
                        "center": center,
                        "preview": preview,
                        "rows": _rows(preview),
                        "changes": preview["counts"]["created"] + preview["counts"]["updated"],
                        "breadcrumbs": _breadcrumbs(_("Preview")),
                    }
                )
                return TemplateResponse(request, "events/staff/import_preview.html", context)
        return TemplateResponse(request, "events/staff/import.html", context, status=422)
    return TemplateResponse(request, "events/staff/import.html", context)


@require_POST
@login_required
def event_import_run(request: HttpRequest) -> HttpResponse:
    """Import the file shown in the preview, in one transaction."""
    _require_staff(request)
    meta = request.session.get(SESSION_KEY)
    path = _path(meta, "upload")
    if path is None or not isinstance(meta, dict):
        messages.info(request, _("Choose the file to import again."))
        return redirect("events_staff:import")
    center = _managed_centers(request).filter(pk=meta.get("center")).first()
    if center is None:
        _discard(request, SESSION_KEY, "upload")
        raise PermissionDenied
    try:
        report = import_event_file(
            center=center,
            data=path.read_bytes(),
            file_name=str(meta.get("file_name", "")),
            by=_person(request),
            request=request,
        )
    except EventFileError as error:
        _discard(request, SESSION_KEY, "upload")
        messages.error(request, str(error))
        return redirect("events_staff:import")
    _discard(request, SESSION_KEY, "upload")
    _discard(request, REPORT_KEY, "json")
    token = _write(json.dumps(report.to_json(), ensure_ascii=False).encode(), "json")
    request.session[REPORT_KEY] = {"token": token, "center": center.pk}
    messages.success(request, _("The file is imported; the report is below."))
    return redirect("events_staff:import_report")


@require_GET
@login_required
def event_import_report(request: HttpRequest) -> HttpResponse:
    """What the last import of this person did, row by row."""
    _require_staff(request)
    meta = request.session.get(REPORT_KEY)
    path = _path(meta, "json")
    if path is None or not isinstance(meta, dict):
        messages.info(request, _("There is no import report to show."))
        return redirect("events_staff:import")
    center = _managed_centers(request).filter(pk=meta.get("center")).first()
    if center is None:
        raise PermissionDenied
    report = json.loads(path.read_text(encoding="utf-8"))
    context = _staff_context(request, center)
    context.update(
        {
            "report": report,
            "rows": _rows(report),
            "breadcrumbs": _breadcrumbs(_("Report")),
        }
    )
    return TemplateResponse(request, "events/staff/import_report.html", context)
