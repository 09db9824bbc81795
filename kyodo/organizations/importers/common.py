"""What every importer shares: reading files, the row and report types, value parsers.

An importer turns a file into ``ParsedRow`` objects (``read``), which the writer applies
(``importers.run``). File-level problems — an encoding that is neither UTF-8 nor CP932,
an empty or too large file, missing columns — raise :class:`ImportFileError` before
anything is saved; a problem in one row only rejects that row (``ParsedRow.error``).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from django.conf import settings
from django.utils.translation import gettext as _

from kyodo.japanese.corporate_number import CorporateNumberError, normalize_corporate_number
from kyodo.japanese.era import WarekiError, parse_date
from kyodo.japanese.prefectures import PREFECTURES
from kyodo.japanese.text import (
    comparison_key,
    normalize_spaces,
    normalize_width,
    to_halfwidth_digits,
)
from kyodo.organizations.models import ActivityField, LegalForm, RowOutcome

ProgressCallback = Callable[[int, int], None]

DEFAULT_MAX_BYTES: Final = 200 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be imported; nothing was saved. The message is for the
    person who chose the file."""


def max_bytes() -> int:
    return int(getattr(settings, "KYODO_ORGANIZATION_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


# --- Files ---------------------------------------------------------------------------------


def decode(data: bytes, *, prefer_cp932: bool = False) -> str:
    """The text of a CSV file in UTF-8 (with or without BOM) or CP932 (Shift_JIS).

    The BOM decides when present; otherwise the encoding that decodes the whole file
    without error, UTF-8 first (CP932 first with ``prefer_cp932``, as the NPO portal
    publishes).
    """
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > max_bytes():
        raise ImportFileError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": len(data) // (1024 * 1024), "limit": max_bytes() // (1024 * 1024)}
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    encodings = ("cp932", "utf-8") if prefer_cp932 else ("utf-8", "cp932")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _(
            "The file could not be read: it is neither UTF-8 nor Shift_JIS (CP932). "
            "Save it again as CSV (UTF-8) and retry."
        )
    )


def csv_rows(text: str) -> list[list[str]]:
    """The records of a CSV text (quoted fields may hold line breaks). Blank records are
    kept as ``[]`` so that positions stay the row numbers a spreadsheet shows; trailing
    blank records are dropped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [row if any(cell.strip() for cell in row) else [] for row in reader]
        while rows and not rows[-1]:
            rows.pop()
        return rows
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not a valid CSV file (line %(line)s: %(error)s).")
            % {"line": reader.line_num, "error": error}
        ) from error


def header_key(text: str) -> str:
    """A header folded for recognition: width, spaces, notes in brackets and marks such
    as ※ or * removed (``法人番号（13桁）`` → ``法人番号``, ``フリガナ `` → ``フリガナ``)."""
    folded = comparison_key(text)
    folded = re.sub(r"[(\[【<（].*?[)\]】>）]", "", folded)
    return re.sub(r"[※*＊:：]", "", folded)


# --- Rows and reports ---------------------------------------------------------------------------


@dataclass
class ParsedRow:
    """One row of a file, read into our fields (``values``) and kept as written (``raw``)."""

    number: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    origin_id: str = ""
    error: str = ""
    # NTA data: the row's place in time, its 処理区分 and whether it is a past state.
    state_key: str = ""
    process_code: str = ""
    is_history: bool = False
    notes: list[str] = field(default_factory=list)

    def reject(self, column: str, message: str) -> None:
        """Reject the row, naming the column (only the first problem is kept)."""
        if not self.error:
            self.error = _("Column %(column)s: %(message)s") % {
                "column": column,
                "message": message,
            }

    @property
    def row_hash(self) -> str:
        text = json.dumps(self.raw, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class RowResult:
    row: int
    origin_id: str
    outcome: str
    reason: str = ""
    organization_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "origin_id": self.origin_id,
            "outcome": self.outcome,
            "reason": self.reason,
            "organization_id": self.organization_id,
        }


@dataclass
class ImportReport:
    """What an import did, row by row. ``as_dict()`` is the ``--json`` output."""

    source: str
    file_name: str
    run_id: int | None = None
    rows: list[RowResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {outcome.value: 0 for outcome in RowOutcome}
        for row in self.rows:
            counts[row.outcome] += 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "file": self.file_name,
            "run_id": self.run_id,
            "counts": self.counts,
            "notes": self.notes,
            "rows": [row.as_dict() for row in self.rows],
        }


# --- Values --------------------------------------------------------------------------------------


def clean(value: Any) -> str:
    """A cell as text: width-folded digits kept as typed, spaces collapsed."""
    if value is None:
        return ""
    return normalize_spaces(str(value))


def read_date(row: ParsedRow, column: str, text: str) -> datetime.date | None:
    """A date in 西暦 or 和暦 (``2015/10/05``, ``平成27年10月5日``, ``H27.10.5``, full-width
    digits); a date with a time (``2015/10/05 0:00:00``) keeps the date. Rejects the
    row when the cell cannot be read."""
    text = clean(text)
    if not text:
        return None
    text = re.sub(r"[ T]\d{1,2}:\d{2}(:\d{2})?$", "", to_halfwidth_digits(text)).strip()
    try:
        return parse_date(text)
    except WarekiError as error:
        row.reject(
            column,
            _("「%(value)s」 is not a date (%(error)s)")
            % {
                "value": text,
                "error": error,
            },
        )
        return None


def read_corporate_number(row: ParsedRow, column: str, text: str) -> str:
    text = clean(text)
    if not text:
        return ""
    try:
        return normalize_corporate_number(text.replace("-", "").replace(" ", ""))
    except CorporateNumberError as error:
        row.reject(column, _("「%(value)s」: %(error)s") % {"value": text, "error": error})
        return ""


def read_postcode(text: str) -> str:
    number = "".join(c for c in to_halfwidth_digits(clean(text)) if c.isdigit())
    if len(number) == 6:  # a spreadsheet dropped the leading zero (064-0809 → 640809)
        number = "0" + number
    return number if len(number) == 7 else ""


def read_phone(text: str) -> str:
    text = normalize_width(clean(text))
    if text.isdigit() and len(text) in (9, 10) and not text.startswith("0"):
        text = "0" + text  # a spreadsheet read the number as an integer
    return text[:30]


# The designated cities (政令指定都市), whose wards follow the city name.
DESIGNATED_CITIES: Final = {
    "札幌市": "北海道",
    "仙台市": "宮城県",
    "さいたま市": "埼玉県",
    "千葉市": "千葉県",
    "横浜市": "神奈川県",
    "川崎市": "神奈川県",
    "相模原市": "神奈川県",
    "新潟市": "新潟県",
    "静岡市": "静岡県",
    "浜松市": "静岡県",
    "名古屋市": "愛知県",
    "京都市": "京都府",
    "大阪市": "大阪府",
    "堺市": "大阪府",
    "神戸市": "兵庫県",
    "岡山市": "岡山県",
    "広島市": "広島県",
    "北九州市": "福岡県",
    "福岡市": "福岡県",
    "熊本市": "熊本県",
}
_PREFECTURE_RE = re.compile("^(" + "|".join(PREFECTURES) + ")")
_DESIGNATED_RE = re.compile("^(" + "|".join(DESIGNATED_CITIES) + r")(.{1,4}?区)?")
_MUNICIPALITY_RES = (
    re.compile(r"^(.{1,5}?郡.{1,5}?[町村])"),
    re.compile(r"^((?:四日市|廿日市|野々市).{0,0}市)"),
    re.compile(r"^(.{1,6}?市)"),
    re.compile(r"^(.{1,4}?区)"),
    re.compile(r"^(.{1,5}?[町村])"),
)


def split_address(text: str, *, prefecture_hint: str = "") -> tuple[str, str, str]:
    """``北海道札幌市中央区南9条西4丁目1-7`` → (``北海道``, ``札幌市中央区``, ``南9条西4丁目1-7``).

    Without a prefecture in the text, a designated city gives it, else ``prefecture_hint``.
    The text is kept as written (full-width digits stay full-width), without spaces.
    """
    text = normalize_spaces(text).replace(" ", "")
    prefecture = ""
    if match := _PREFECTURE_RE.match(text):
        prefecture, text = match.group(1), text[match.end() :]
    municipality = ""
    if match := _DESIGNATED_RE.match(text):
        municipality = match.group(0)
        prefecture = prefecture or DESIGNATED_CITIES[match.group(1)]
    else:
        for pattern in _MUNICIPALITY_RES:
            if match := pattern.match(text):
                municipality = match.group(1)
                break
    street = text[len(municipality) :]
    if not prefecture and prefecture_hint in PREFECTURES:
        prefecture = prefecture_hint
    if not prefecture and prefecture_hint in DESIGNATED_CITIES:
        prefecture = DESIGNATED_CITIES[prefecture_hint]
    return prefecture, municipality, street


_LEGAL_FORM_WORDS: Final = (
    (("認定npo", "認定特定非営利", "特例認定"), LegalForm.CERTIFIED_NPO),
    (("npo法人", "特定非営利活動法人", "特非", "特活", "npo"), LegalForm.NPO_CORPORATION),
    (("一般社団", "一社"), LegalForm.GENERAL_INCORPORATED_ASSOCIATION),
    (("町内会", "自治会", "町会", "連合町内会"), LegalForm.NEIGHBORHOOD_ASSOCIATION),
    (("ボランティア",), LegalForm.VOLUNTEER_GROUP),
    (("任意団体", "任意", "市民活動団体", "サークル"), LegalForm.VOLUNTARY_GROUP),
    (("株式会社", "有限会社", "合同会社", "企業", "会社"), LegalForm.COMPANY),
    (("大学", "短期大学", "高専"), LegalForm.UNIVERSITY),
)


def legal_form_from_text(text: str) -> str:
    """A legal form (法人格) written in words: ``NPO法人`` → npo_corporation, ``任意団体`` →
    voluntary_group … ``""`` when nothing is recognised."""
    key = comparison_key(text)
    if not key:
        return ""
    for choice in LegalForm:
        if key in (comparison_key(str(choice.label)), choice.value):
            return choice.value
    for words, form in _LEGAL_FORM_WORDS:
        if any(word in key for word in words):
            return form.value
    return LegalForm.OTHER.value


def legal_form_from_name(name: str) -> str:
    """The legal form a name starts or ends with (特定非営利活動法人…, …株式会社), or ``""``."""
    key = comparison_key(name)
    for words, form in _LEGAL_FORM_WORDS[:3]:
        if any(key.startswith(word) for word in words):
            return form.value
    if key.startswith(("株式会社", "有限会社", "合同会社")) or key.endswith(
        ("株式会社", "有限会社", "合同会社")
    ):
        return LegalForm.COMPANY.value
    if key.endswith(("町内会", "自治会")):
        return LegalForm.NEIGHBORHOOD_ASSOCIATION.value
    return ""


# Keywords of each field of activity as centers write them (福祉, まちづくり, 子ども …).
ACTIVITY_FIELD_KEYWORDS: Final = (
    (ActivityField.HEALTH_WELFARE, ("保健", "医療", "福祉", "介護", "障害", "高齢", "健康")),
    (ActivityField.SOCIAL_EDUCATION, ("社会教育", "生涯学習", "教育")),
    (ActivityField.COMMUNITY_DEVELOPMENT, ("まちづくり", "街づくり", "町づくり", "地域づくり")),
    (ActivityField.TOURISM, ("観光",)),
    (ActivityField.RURAL_DEVELOPMENT, ("農山漁村", "中山間", "農業", "漁業")),
    (
        ActivityField.CULTURE_ARTS_SPORTS,
        ("学術", "文化", "芸術", "スポーツ", "音楽", "美術", "伝統"),
    ),
    (ActivityField.ENVIRONMENT, ("環境", "自然", "緑化", "リサイクル")),
    (ActivityField.DISASTER_RELIEF, ("災害", "被災", "防災")),
    (ActivityField.COMMUNITY_SAFETY, ("地域安全", "防犯", "交通安全", "安全")),
    (ActivityField.HUMAN_RIGHTS_PEACE, ("人権", "平和")),
    (ActivityField.INTERNATIONAL_COOPERATION, ("国際", "多文化", "外国")),
    (ActivityField.GENDER_EQUALITY, ("男女共同参画", "男女", "ジェンダー")),
    (ActivityField.CHILDREN, ("子ども", "子供", "こども", "児童", "青少年", "子育て", "育児")),
    (ActivityField.INFORMATION_SOCIETY, ("情報化", "情報", "ict")),
    (ActivityField.SCIENCE_TECHNOLOGY, ("科学技術", "科学", "技術")),
    (ActivityField.ECONOMIC_ACTIVITY, ("経済", "商店街", "起業")),
    (ActivityField.EMPLOYMENT, ("職業", "雇用", "就労", "就業")),
    (ActivityField.CONSUMER_PROTECTION, ("消費者",)),
    (ActivityField.SUPPORT_FOR_ORGANIZATIONS, ("中間支援", "団体の運営", "連絡", "助言", "援助")),
    (ActivityField.ORDINANCE, ("条例",)),
)
_LIST_SEPARATORS = re.compile(r"[、,，・/／;；\n|｜]+")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(clean(text)) if part.strip()]


def activity_fields_from_text(text: str) -> tuple[list[int], list[str]]:
    """The fields of activity named in a cell (``福祉・まちづくり、子ども``), and the parts
    that named none. A number 1–20 is the field of that number of the NPO Act."""
    codes: list[int] = []
    unknown: list[str] = []
    for part in split_list(text):
        key = comparison_key(part)
        number = re.fullmatch(r"(?:第)?(\d{1,2})(?:号)?", key)
        if number and 1 <= int(number.group(1)) <= 20:
            codes.append(int(number.group(1)))
            continue
        # The longest keyword found decides (子ども教育 → 子ども, not 教育).
        found = [
            (len(word), -position, code)
            for position, (code, words) in enumerate(ACTIVITY_FIELD_KEYWORDS)
            for word in words
            if word in key
        ]
        if found:
            codes.append(int(max(found)[2]))
        elif key in ("その他", "other"):
            codes.append(int(ActivityField.OTHER))
        else:
            unknown.append(part)
    return sorted(set(codes)), unknown


def first_nonblank(values: Iterable[str]) -> str:
    return next((value for value in values if value), "")
