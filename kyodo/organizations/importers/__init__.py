"""Importers of organization data: one module per source, one runner for all.

- ``nta``: the National Tax Agency's corporate-number files (30 columns, UTF-8 or CP932);
- ``npo_portal``: the Cabinet Office NPO portal's bulk CSV (CP932, 60 columns);
- ``center_list``: a center's list of registered groups (CSV or .xlsx, columns by header).

Use ``kyodo.organizations.actions.import_organizations``, which checks who may import;
``runner.run_import`` does the work in one transaction.
"""

from __future__ import annotations

from kyodo.organizations.importers.center_list import (
    CenterListImporter,
    ColumnDetection,
    detect_columns,
    field_choices,
)
from kyodo.organizations.importers.common import ImportFileError, ImportReport, RowResult
from kyodo.organizations.importers.npo_portal import NpoPortalImporter
from kyodo.organizations.importers.nta import NtaImporter
from kyodo.organizations.importers.runner import Importer, run_import
from kyodo.organizations.models import SourceKind

# A fresh importer object per import: ``IMPORTERS[source]()``.
IMPORTERS: dict[str, type[Importer]] = {
    SourceKind.NTA.value: NtaImporter,
    SourceKind.NPO_PORTAL.value: NpoPortalImporter,
    SourceKind.CENTER_LIST.value: CenterListImporter,
}

__all__ = [
    "IMPORTERS",
    "ColumnDetection",
    "ImportFileError",
    "ImportReport",
    "RowResult",
    "detect_columns",
    "field_choices",
    "run_import",
]
