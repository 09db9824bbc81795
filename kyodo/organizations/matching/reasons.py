"""The reasons of a score in words (``REASON_LABELS``), for the staff review queue and
import reports.
"""

from __future__ import annotations

from typing import Any, Final

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .scoring import Reason

REASON_LABELS: Final = {
    "same_corporate_number": _("Same corporate number"),
    "different_corporate_number": _("Different corporate numbers"),
    "same_name": _("Same name (legal form, width and kana ignored)"),
    "other_same_name": _("Same as a former name or another spelling"),
    "similar_name": _("Similar name (similarity %(detail)s)"),
    "other_similar_name": _("Similar to a former name or another spelling (similarity %(detail)s)"),
    "extended_name": _("One name adds a word such as 支部 or 連合会 to the other"),
    "distinctive_name": _("Long, distinctive name"),
    "same_phone": _("Same telephone number"),
    "different_phone": _("Different telephone numbers"),
    "same_postcode": _("Same postcode"),
    "different_postcode": _("Different postcodes"),
    "same_street": _("Same street address"),
    "same_building": _("Same building and room"),
    "different_street": _("Different street addresses"),
    "same_municipality": _("Same municipality"),
    "different_municipality": _("Different municipalities"),
    "same_reading": _("Same reading"),
    "different_reading": _("Different readings"),
    "ambiguous": _("Several records match about as well"),
}


_LABELS_BY_LANGUAGE: dict[tuple[str | None, str], str] = {}


def _label(code: str) -> str:
    """``REASON_LABELS[code]`` in the active language (looked up once per language: an
    import describes tens of thousands of links)."""
    key = (get_language(), code)
    text = _LABELS_BY_LANGUAGE.get(key)
    if text is None:
        text = _LABELS_BY_LANGUAGE[key] = str(REASON_LABELS[code])
    return text


def reason_label(reason: dict[str, Any]) -> str:
    """A stored reason (``{"code", "points", "detail"}``) in words."""
    code = str(reason.get("code"))
    if code not in REASON_LABELS:
        return str(reason.get("code", ""))
    text = _label(code)
    if "%(detail)s" in text:
        text = text % {"detail": reason.get("detail", "")}
    return text


def ambiguous_reason() -> dict[str, Any]:
    return Reason("ambiguous", 0.0).as_dict()


def describe(reasons: list[dict[str, Any]]) -> str:
    """The reasons as one line of text, for import reports."""
    return "; ".join(reason_label(reason) for reason in reasons)
