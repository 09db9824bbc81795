"""``manage.py import_events --center CENTER FILE [--json]``: import an イベント一覧 file.

CENTER is the center's id or slug. The report lists every row as created, updated,
unchanged or rejected (with the reason); ``--json`` prints it as one object
``{"file", "center", "counts": {...}, "rows": [{"row", "id", "outcome", "reason",
"event_id", ...}]}``. Exit status 0 when the file was imported (rows may still be
rejected), 1 when the file as a whole could not be (no such center or file, not an
イベント一覧 CSV file…): the reason is printed on stderr and nothing is saved.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from kyodo.centers.models import Center
from kyodo.events.opendata.importer import ImportReport, import_event_file
from kyodo.events.opendata.reader import MAX_FILE_BYTES, EventFileError


class Command(BaseCommand):
    help = "Import the events of an イベント一覧 open-data CSV file into a center."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--center", required=True, help="The center's id or slug")
        parser.add_argument("file", help="The CSV file (UTF-8 or Shift_JIS) or .xlsx sheet")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        center = _center(options["center"])
        if center is None:
            self._fail(
                _("No center has the id or identifier “%(center)s”.")
                % {"center": options["center"]}
            )
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            self._fail(
                _("The file %(file)s cannot be read: %(error)s")
                % {"file": path, "error": error.strerror or error}
            )
        try:
            report = import_event_file(center=center, data=data, file_name=path.name)
        except EventFileError as error:
            self._fail(_("%(file)s: %(error)s") % {"file": path.name, "error": error})
        if options["json"]:
            self.stdout.write(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            self._print(report)

    def _print(self, report: ImportReport) -> None:
        counts = report.counts
        self.stdout.write(
            _(
                "%(file)s → %(center)s: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged, %(rejected)s rejected."
            )
            % {"file": report.file_name, "center": report.center.name, **counts}
        )
        for warning in report.warnings:
            self.stdout.write(f"  {warning}")
        for result in report.rows:
            line = _("Row %(row)s (line %(line)s, NO %(id)s) %(title)s: %(outcome)s") % {
                "row": result.row,
                "line": result.line,
                "id": result.id or "-",
                "title": result.title or "-",
                "outcome": result.outcome.value,
            }
            if result.event_id:
                line += f" #{result.event_id}"
            self.stdout.write(line)
            if result.reason:
                self.stdout.write(f"    {result.reason}")
            for warning in result.warnings:
                self.stdout.write(f"    - {warning}")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        self.stderr.flush()
        sys.exit(1)


def _center(value: str) -> Center | None:
    if value.isdigit():
        found = Center.objects.filter(pk=int(value)).first()
        if found is not None:
            return found
    return Center.objects.filter(slug=value).first()
