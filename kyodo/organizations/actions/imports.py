"""Importing a file of organizations (NTA, NPO portal, a center's list)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.organizations.importers import IMPORTERS, ImportReport, run_import
from kyodo.organizations.importers.common import ProgressCallback
from kyodo.organizations.models import (
    SourceKind,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User
    from kyodo.centers.models import Center

from kyodo.organizations.actions._checks import require_curator


def import_organizations(
    *,
    source: str,
    data: bytes,
    file_name: str,
    center: Center | None = None,
    by: User | None = None,
    column_map: dict[str, str] | None = None,
    as_of: datetime.date | None = None,
    progress: ProgressCallback | None = None,
    request: HttpRequest | None = None,
) -> ImportReport:
    """Import a file of ``source`` (``nta``, ``npo_portal`` or ``center_list``).

    ``by`` is None only for the command line. One transaction: a file-level problem
    raises ``ImportFileError`` and saves nothing but a failed ``ImportRun``; a bad row is
    reported as rejected. ``progress(done, total)`` is called as rows are applied.
    """
    if source not in IMPORTERS:
        raise ValidationError(_("Unknown source %(source)s.") % {"source": source})
    if by is not None:
        require_curator(by, center if source == SourceKind.CENTER_LIST else None)
    report = run_import(
        IMPORTERS[source](),
        data,
        file_name=file_name,
        center=center,
        by=by,
        column_map=column_map,
        as_of=as_of,
        progress=progress,
    )
    record_event(
        actor=by,
        action=Action.CREATE,
        object_type="organizations.importrun",
        object_id=report.run_id or "",
        object_repr=file_name,
        center=center,
        request=request,
        details={"source": source, "counts": report.counts},
    )
    return report
