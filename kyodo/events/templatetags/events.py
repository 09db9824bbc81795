"""``{% reason_text reason %}``: a coordination reason in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kyodo.events.models import Audience

register = template.Library()


@register.simple_tag
def reason_text(reason: dict[str, Any]) -> str:
    code = reason.get("code")
    if code == "days_apart":
        days = int(reason.get("days", 0))
        if days == 0:
            return _("On the same day")
        return ngettext("%(days)s day apart", "%(days)s days apart", days) % {"days": days}
    if code == "audiences":
        labels = dict(Audience.choices)
        names = "、".join(str(labels.get(v, v)) for v in reason.get("values", []))
        return _("Same audience: %(audiences)s") % {"audiences": names}
    if code == "topics":
        return _("Same topics: %(topics)s") % {"topics": "、".join(reason.get("values", []))}
    if code == "title":
        return _("Similar titles (%(percent)s%%)") % {
            "percent": round(float(reason.get("similarity", 0)) * 100)
        }
    return str(code)
