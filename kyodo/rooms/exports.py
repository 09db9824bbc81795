"""CSV downloads of the rooms: the occupancy report (UTF-8 with BOM, for Excel)."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.utils.translation import gettext as _

from kyodo.rooms.occupancy import Report


def occupancy_csv(report: Report, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [_("Room"), *[f"{m.year}-{m.month:02d}" for m in report.months], _("Fiscal year")]
    )
    for row in report.rooms:
        writer.writerow([row.room.name, *[t.percent for t in row.months], row.total.percent])
    writer.writerow(
        [_("All rooms"), *[t.percent for t in report.month_totals], report.total.percent]
    )
    return response
