"""Corporate numbers (法人番号): the 13-digit numbers the National Tax Agency gives corporations.

A corporate number is a check digit followed by a 12-digit base number (基礎番号; for a
registered corporation, its 会社法人等番号). The check digit is the FIRST digit:

    check digit = 9 − ((Σ Pn × Qn) mod 9), n = 1 … 12

where Pn is the n-th digit of the base number counted from the right and Qn is 1 for odd n
and 2 for even n (法人番号の指定等に関する省令 第2条). It is always 1–9. Example from the
National Tax Agency: base number 123456789012 → 7, so 7123456789012.

Input: the 13 digits may be typed full-width (``７１２３…``) and surrounding spaces are
ignored; hyphens, spaces inside the number, letters and any other character are refused, as
the number is never written with separators in official records.
"""

from __future__ import annotations

import re
from typing import Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kyodo.japanese.text import to_halfwidth_digits

__all__ = [
    "CorporateNumberError",
    "check_digit",
    "is_valid_corporate_number",
    "normalize_corporate_number",
    "validate_corporate_number",
]

LENGTH: Final = 13

_THIRTEEN_DIGITS = re.compile(r"[0-9]{13}")
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")

FORMAT_MESSAGE: Final = _("Enter the 13-digit corporate number (法人番号).")
CHECK_DIGIT_MESSAGE: Final = _(
    "This corporate number's check digit is wrong. Please check the number."
)


class CorporateNumberError(ValueError):
    """Text that is not a valid corporate number; ``code`` is ``"format"`` or ``"check_digit"``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def check_digit(base_number: str) -> int:
    """Return the check digit (1–9) of a 12-digit base number (基礎番号), e.g. 123456789012 → 7."""
    if _TWELVE_DIGITS.fullmatch(base_number) is None:
        raise ValueError(f"A base number is 12 ASCII digits, not {base_number!r}.")
    total = sum(
        int(digit) * (2 if position % 2 == 0 else 1)
        for position, digit in enumerate(reversed(base_number), start=1)
    )
    return 9 - total % 9


def normalize_corporate_number(value: str) -> str:
    """Return the corporate number as 13 ASCII digits, or raise :class:`CorporateNumberError`.

    Full-width digits are folded and surrounding whitespace removed; the check digit must
    match.
    """
    digits = to_halfwidth_digits(value.strip())
    if _THIRTEEN_DIGITS.fullmatch(digits) is None:
        raise CorporateNumberError(str(FORMAT_MESSAGE), "format")
    if int(digits[0]) != check_digit(digits[1:]):
        raise CorporateNumberError(str(CHECK_DIGIT_MESSAGE), "check_digit")
    return digits


def is_valid_corporate_number(value: str) -> bool:
    """Tell whether ``value`` is a corporate number with a correct check digit."""
    try:
        normalize_corporate_number(value)
    except CorporateNumberError:
        return False
    return True


def validate_corporate_number(value: object) -> None:
    """Django validator: raise ``ValidationError`` unless ``value`` is a valid corporate number.

    Error codes: ``invalid_format`` (not 13 digits) and ``invalid_check_digit``. Use with a
    form field's ``clean`` calling :func:`normalize_corporate_number` to store ASCII digits.
    """
    try:
        normalize_corporate_number(str(value))
    except CorporateNumberError as error:
        if error.code == "format":
            raise ValidationError(FORMAT_MESSAGE, code="invalid_format") from error
        raise ValidationError(CHECK_DIGIT_MESSAGE, code="invalid_check_digit") from error
