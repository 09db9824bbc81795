"""Fiscal years (年度) of Japanese public bodies: 1 April to 31 March.

A fiscal year is named by the calendar year in which it begins: fiscal year 2024 runs from
2024-04-01 to 2025-03-31, so 2025-03-31 is in fiscal year 2024 and 2025-04-01 in 2025.

Its Japanese label uses the era year by which that calendar year is named
(:func:`kyodo.japanese.era.era_year_of`): 2025 → ``令和7年度``, 2019 → ``令和元年度`` (the
fiscal year began in 平成31年 but the government renamed it once 令和 began), 1988 →
``昭和63年度``, 1989 → ``平成元年度``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from django.utils.translation import gettext

from kyodo.japanese.era import WarekiError, era_year_of, parse_wareki_year
from kyodo.japanese.text import normalize_spaces, normalize_width

__all__ = [
    "FIRST_MONTH",
    "FiscalYearError",
    "fiscal_year_label",
    "fiscal_year_months",
    "fiscal_year_of",
    "fiscal_year_range",
    "parse_fiscal_year",
]

FIRST_MONTH: Final = 4
"""A fiscal year begins in April."""


class FiscalYearError(ValueError):
    """Text that cannot be read as a fiscal year."""


def fiscal_year_of(value: date) -> int:
    """Return the fiscal year of a date: 2025-03-31 → 2024, 2025-04-01 → 2025."""
    return value.year if value.month >= FIRST_MONTH else value.year - 1


def fiscal_year_range(fiscal_year: int) -> tuple[date, date]:
    """Return the first and last day of a fiscal year, both included (4/1 and 3/31)."""
    return date(fiscal_year, FIRST_MONTH, 1), date(fiscal_year + 1, FIRST_MONTH - 1, 31)


def fiscal_year_months(fiscal_year: int) -> list[date]:
    """Return the first day of each month of a fiscal year, April to March, in order."""
    return [
        date(fiscal_year + (month < FIRST_MONTH), month, 1)
        for month in (*range(FIRST_MONTH, 13), *range(1, FIRST_MONTH))
    ]


def fiscal_year_label(fiscal_year: int, lang: str = "ja", *, gannen: bool = True) -> str:
    """Return the name of a fiscal year: ``令和7年度`` in Japanese, ``FY2025`` in English.

    ``lang`` is a language code (``"ja"``, ``"en"``, ``"en-us"`` …), typically
    ``django.utils.translation.get_language()``. Year 1 of an era is ``元年度`` unless
    ``gannen=False``.
    """
    language = lang.lower()
    if language.startswith("en"):
        return f"FY{fiscal_year}"
    if language.startswith("ja"):
        return f"{era_year_of(fiscal_year).format(gannen=gannen)}度"
    raise ValueError(f"Unsupported language for a fiscal-year label: {lang!r}")


_GREGORIAN = re.compile(r"(?:FY ?)?(?P<year>\d{4})(?: ?年度| ?年)?", re.IGNORECASE)
_WAREKI_SUFFIX = re.compile(r" ?年度$")


def parse_fiscal_year(text: str, *, strict: bool = False) -> int:
    """Read a fiscal year and return it as an integer (the calendar year it begins in).

    ``令和7年度``, ``R7年度``, ``R7``, ``H26``, ``令和元年度``, ``令和７年度``,
    ``令和 7 年度``, ``令和七年度``, ``2025年度``, ``2025``, ``FY2025``. ``平成32年度``, found
    in plans written before 令和 was announced, gives 2020 unless ``strict=True``.
    """
    folded = normalize_spaces(normalize_width(text))
    match = _GREGORIAN.fullmatch(folded)
    if match is not None:
        return int(match["year"])
    try:
        return parse_wareki_year(_WAREKI_SUFFIX.sub("", folded), strict=strict)
    except WarekiError as error:
        if error.code == "invalid":
            message = gettext("Enter a fiscal year such as 令和7年度, R7 or 2025年度.")
            raise FiscalYearError(message) from error
        raise FiscalYearError(str(error)) from error
