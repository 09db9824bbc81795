"""The typed columns of a row besides its dates and times: 定員, 料金, 緯度・経度, URLs,
telephone, e-mail, postcode and local government code. A value that cannot be read is a
problem of its row (never fatal) and is left empty, or kept as text where the field is
text.

- 料金(基本): an amount of yen (``500``, ``500円``, ``1,000``) or 無料 → ``fee_yen``;
  anything else is kept as text with a warning. Empty, 料金(詳細) is used when it is
  just as clear.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from .results import EventRow, ProblemKind

_CAPACITY = re.compile(r"(?:定員|先着|募集)?\s*(\d+)\s*(?:名|人|組|席|人程度|名程度|程度)?")


def _capacity(row: EventRow) -> int | None:
    text = row.text("定員")
    if not text:
        return None
    match = _CAPACITY.fullmatch(unicodedata.normalize("NFKC", text).replace(",", ""))
    if match is None or int(match[1]) <= 0:
        row.problem(
            ProblemKind.INVALID_NUMBER,
            _("定員: “%(value)s” is not a number of people above zero.") % {"value": text},
            column="定員",
            value=text,
        )
        return None
    return int(match[1])


_FREE = frozenset({"無料", "無償", "なし", "不要", "0円", "参加無料", "入場無料", "free"})
_YEN = re.compile(r"[¥￥]?\s*(\d+)\s*(?:円)?")


def _yen(text: str) -> int | None:
    folded = unicodedata.normalize("NFKC", text).replace(",", "").strip().casefold()
    if folded in _FREE:
        return 0
    if match := _YEN.fullmatch(folded):
        return int(match[1])
    return None


def _fee(row: EventRow) -> int | None:
    basic = row.text("料金(基本)")
    if basic:
        value = _yen(basic)
        if value is None:
            row.problem(
                ProblemKind.UNCLEAR_FEE,
                _("料金(基本): “%(value)s” is not an amount of yen; it is kept as text.")
                % {"value": basic},
                column="料金(基本)",
                value=basic,
            )
        return value
    detail = row.text("料金(詳細)")
    return _yen(detail) if detail else None


def _coordinates(row: EventRow) -> tuple[Decimal | None, Decimal | None]:
    latitude, longitude = row.text("緯度"), row.text("経度")
    if not latitude and not longitude:
        return None, None
    try:
        lat = Decimal(unicodedata.normalize("NFKC", latitude))
        lon = Decimal(unicodedata.normalize("NFKC", longitude))
        valid = lat.is_finite() and lon.is_finite() and -90 <= lat <= 90 and -180 <= lon <= 180
    except InvalidOperation:
        valid = False
    if not valid:
        row.problem(
            ProblemKind.INVALID_COORDINATES,
            _("緯度・経度: “%(latitude)s, %(longitude)s” is not a position on the Earth.")
            % {"latitude": latitude, "longitude": longitude},
            column="緯度",
            value=f"{latitude},{longitude}",
        )
        return None, None
    return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))


_URL_VALIDATOR = URLValidator(schemes=["http", "https"])


def _url(row: EventRow, column: str) -> str:
    text = row.text(column)
    if not text:
        return ""
    try:
        _URL_VALIDATOR(text)
    except ValidationError:
        row.problem(
            ProblemKind.INVALID_URL,
            _("%(column)s: “%(value)s” is not a web address.") % {"column": column, "value": text},
            column=column,
            value=text,
        )
        return ""
    return text


_PHONE_CHARS = re.compile(r"[\d\s()\-+]+")
_PHONE_SEPARATOR = re.compile(r"\s*[/、,・]\s*|\s+または\s+")


def _check_phone(row: EventRow) -> None:
    text = row.text("連絡先電話番号")
    if not text:
        return
    folded = unicodedata.normalize("NFKC", text).replace("()", "")
    numbers = [re.sub(r"\D", "", part) for part in _PHONE_SEPARATOR.split(folded)]
    if _PHONE_CHARS.fullmatch(_PHONE_SEPARATOR.sub("", folded)) is None or not all(
        10 <= len(digits) <= 11 for digits in numbers
    ):
        row.problem(
            ProblemKind.INVALID_PHONE,
            _("連絡先電話番号: “%(value)s” is not a telephone number; it is kept as text.")
            % {"value": text},
            column="連絡先電話番号",
            value=text,
        )


def _email(row: EventRow) -> str:
    text = row.text("連絡先メールアドレス")
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        row.problem(
            ProblemKind.INVALID_EMAIL,
            _("連絡先メールアドレス: “%(value)s” is not an e-mail address.") % {"value": text},
            column="連絡先メールアドレス",
            value=text,
        )
        return ""
    return text


def _postcode(row: EventRow) -> str:
    text = row.text("郵便番号")
    if not text:
        return ""
    digits = unicodedata.normalize("NFKC", text).lstrip("〒 ").replace("-", "")
    if not re.fullmatch(r"\d{7}", digits):
        row.problem(
            ProblemKind.INVALID_POSTCODE,
            _("郵便番号: “%(value)s” is not a seven-digit postcode.") % {"value": text},
            column="郵便番号",
            value=text,
        )
        return ""
    return f"{digits[:3]}-{digits[3:]}"


def _code(row: EventRow) -> str:
    column = "都道府県コード又は市区町村コード"
    text = unicodedata.normalize("NFKC", row.text(column))
    if not text:
        return ""
    if not re.fullmatch(r"\d{5,6}", text):
        row.problem(
            ProblemKind.INVALID_CODE,
            _("%(column)s: “%(value)s” is not a local government code.")
            % {"column": column, "value": text},
            column=column,
            value=text,
        )
        return ""
    return text
