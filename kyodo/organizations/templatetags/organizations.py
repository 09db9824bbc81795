"""Template helpers of the organization pages: ``{% load organizations %}``."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext as _

from kyodo.japanese import era
from kyodo.organizations.models import (
    ActivityField,
    CertificationKind,
    DissolutionReason,
    LegalForm,
    SourceKind,
    Status,
)

register = template.Library()


@register.filter
def date_with_wareki(value: datetime.date | None) -> str:
    """``2015年10月5日（平成27年）``: the date, and the year in 和暦 when it has one."""
    if not value:
        return ""
    text = str(date_filter(value, "DATE_FORMAT"))
    try:
        wareki = era.to_wareki(value)
    except era.WarekiError:
        return text
    year = str(era.EraYear(wareki.era, wareki.year))
    return _("%(date)s (%(wareki)s)") % {"date": text, "wareki": year}


@register.filter
def activity_field_label(code: int) -> str:
    try:
        return str(ActivityField(int(code)).label)
    except ValueError:
        return ""


_CHOICES: dict[str, Any] = {
    "legal_form": LegalForm,
    "status": Status,
    "dissolution_reason": DissolutionReason,
}


@register.filter
def field_value(value: Any, name: str) -> str:
    """A master field's value as staff read it: labels for choices and fields of
    activity, dates as dates, a dash for nothing."""
    if value in (None, "", []):
        return "—"
    if name == "activity_fields" and isinstance(value, list):
        return "、".join(activity_field_label(code) or str(code) for code in value)
    if name == "certifications" and isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                kind = _label_of(CertificationKind, item.get("kind"))
                dates = "〜".join(str(item.get(k) or "") for k in ("started_on", "expires_on"))
                parts.append(f"{kind} {item.get('authority') or ''} {dates}".strip())
        return "、".join(parts)
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if name in _CHOICES:
        return _label_of(_CHOICES[name], value) or str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return str(date_filter(value, "DATE_FORMAT"))
    if isinstance(value, str) and name.endswith("_on"):
        try:
            return str(date_filter(datetime.date.fromisoformat(value), "DATE_FORMAT"))
        except ValueError:
            return value
    return str(value)


def _label_of(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return ""


@register.filter
def source_label(kind: str) -> str:
    return _label_of(SourceKind, kind) or str(kind or "")
