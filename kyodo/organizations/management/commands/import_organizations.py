"""``manage.py import_organizations``: import a file of organizations and print the report.

    python manage.py import_organizations --source nta FILE
    python manage.py import_organizations --source npo-portal FILE
    python manage.py import_organizations --source center --center sapporo-shimin-katsudo FILE
    … --json  prints the report as JSON

Exit status 0 when the file was imported (rows may still be rejected: see the report),
1 on a file-level error (the message goes to stderr and nothing is saved).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyodo.centers.models import Center
from kyodo.organizations import actions
from kyodo.organizations.importers import ImportFileError
from kyodo.organizations.models import RowOutcome, SourceKind

SOURCES = {
    "npo-portal": SourceKind.NPO_PORTAL,
    "nta": SourceKind.NTA,
    "center": SourceKind.CENTER_LIST,
}


class Command(BaseCommand):
    help = "Import organizations from an NTA, NPO portal or center-list file and print the report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, choices=sorted(SOURCES))
        parser.add_argument("--center", help="The center's id or slug (for --source center).")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = SOURCES[options["source"]]
        path: Path = options["file"]
        center = self._center(options.get("center"), source)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.", returncode=1) from error
        try:
            report = actions.import_organizations(
                source=source, data=data, file_name=path.name, center=center
            )
        except ImportFileError as error:
            raise CommandError(f"{path.name}: {error}", returncode=1) from error
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        counts = report.counts
        self.stdout.write(
            f"{path.name} ({options['source']}): "
            + ", ".join(f"{outcome} {counts[outcome]}" for outcome in RowOutcome.values)
        )
        for note in report.notes:
            self.stdout.write(f"  {note}")
        for row in report.rows:
            if row.outcome == RowOutcome.UNCHANGED:
                continue
            organization = f" → #{row.organization_id}" if row.organization_id else ""
            self.stdout.write(
                f"  row {row.row} [{row.origin_id}] {row.outcome}{organization}: {row.reason}"
            )

    def _center(self, value: str | None, source: str) -> Center | None:
        if source != SourceKind.CENTER_LIST:
            if value:
                raise CommandError("--center is only for --source center.", returncode=1)
            return None
        if not value:
            raise CommandError("--source center needs --center CENTER_ID_OR_SLUG.", returncode=1)
        centers = Center.objects.filter(slug=value)
        if value.isdigit():
            centers = Center.objects.filter(pk=int(value)) | centers
        center = centers.first()
        if center is None:
            raise CommandError(f"There is no center {value!r}.", returncode=1)
        return center
