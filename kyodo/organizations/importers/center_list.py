"""A center's list of registered groups (登録団体一覧), as CSV or .xlsx.

Columns are recognised by their headers (:func:`detect_columns`): 名称, フリガナ, 法人番号,
法人格, 所在地, 郵便番号, 電話番号, 代表者, 活動分野, 設立年月日, 登録日, 団体ID and a few
more, with the usual variants (団体名, 住所, TEL, 法人番号（13桁）…). A title row above the
header is skipped. Other layouts are imported with an explicit ``column_map``
({our field: their header}), which the staff screen builds from ``detect_columns``.

Each row is one group, identified at the center by its 団体ID, else by its name. Dates
may be written in 西暦 or 和暦; 活動分野 is a list (福祉・まちづくり、子ども) mapped to the
fields of the NPO Act by keywords.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any, Final, cast

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyodo.centers.models import Center
from kyodo.japanese.text import (
    hiragana_to_katakana,
    is_katakana_reading,
    normalize_spaces,
    normalize_width,
)
from kyodo.organizations import matching
from kyodo.organizations.importers.common import (
    ImportFileError,
    ParsedRow,
    activity_fields_from_text,
    clean,
    csv_rows,
    decode,
    header_key,
    legal_form_from_name,
    legal_form_from_text,
    max_bytes,
    read_corporate_number,
    read_date,
    read_phone,
    read_postcode,
    split_address,
    split_list,
)
from kyodo.organizations.importers.runner import ImportContext, KeyedRowsImporter, OrgState
from kyodo.organizations.models import LegalForm, SourceKind, SourceRecord

# Our fields, their names for people, and the headers that name them.
FIELDS: Final = {
    "name": (
        gettext_lazy("Group name"),
        ("名称", "団体名", "団体名称", "法人名", "法人名称", "組織名"),
    ),
    "name_kana": (
        gettext_lazy("Reading (kana)"),
        (
            "フリガナ",
            "ふりがな",
            "よみがな",
            "カナ",
            "読み",
            "団体名フリガナ",
            "名称フリガナ",
            "団体名カナ",
            "法人名称カナ",
        ),
    ),
    "corporate_number": (gettext_lazy("Corporate number"), ("法人番号",)),
    "legal_form": (
        gettext_lazy("Legal form"),
        ("法人格", "団体種別", "法人種別", "組織形態", "団体の種類", "種別"),
    ),
    "address": (
        gettext_lazy("Address"),
        ("所在地", "住所", "事務所所在地", "主たる事務所の所在地", "団体所在地", "連絡先住所"),
    ),
    "postcode": (gettext_lazy("Postcode"), ("郵便番号", "〒")),
    "phone": (gettext_lazy("Telephone"), ("電話番号", "電話", "tel", "連絡先電話番号")),
    "fax": (gettext_lazy("Fax"), ("fax", "fax番号", "ファクス", "ファックス")),
    "email": (
        gettext_lazy("E-mail"),
        ("メールアドレス", "メール", "e-mail", "email", "電子メール"),
    ),
    "website": (
        gettext_lazy("Website"),
        ("ホームページ", "url", "hp", "ウェブサイト", "webサイト"),
    ),
    "representative": (gettext_lazy("Representative"), ("代表者", "代表者名", "代表者氏名")),
    "contact_person": (gettext_lazy("Contact person"), ("担当者", "担当者名", "連絡担当者")),
    "activity_fields": (gettext_lazy("Fields of activity"), ("活動分野", "分野", "活動分類")),
    "activity_areas": (gettext_lazy("Areas of activity"), ("活動地域", "活動エリア", "活動範囲")),
    "purpose": (gettext_lazy("Aims"), ("活動目的", "目的", "活動内容")),
    "established_on": (
        gettext_lazy("Date of establishment"),
        ("設立年月日", "設立日", "設立年", "設立"),
    ),
    "registered_on": (gettext_lazy("Registered on"), ("登録日", "登録年月日", "登録開始日")),
    "center_group_id": (
        gettext_lazy("Group ID at the center"),
        ("団体id", "団体番号", "登録番号", "登録団体番号", "団体コード"),
    ),
    "center": (gettext_lazy("Center"), ("センター", "登録センター", "登録施設")),
}
REQUIRED: Final = ("name",)
HEADER_SEARCH_ROWS: Final = 10
_SYNONYMS: Final = {
    header_key(word): name for name, (_label, words) in FIELDS.items() for word in words
}


@dataclass
class ColumnDetection:
    """What :func:`detect_columns` recognised in a header row."""

    mapping: dict[str, str] = field(default_factory=dict)  # our field → their header
    unknown: list[str] = field(default_factory=list)  # headers that name none of our fields
    duplicates: list[str] = field(default_factory=list)  # a second header for the same field

    @property
    def missing_required(self) -> list[str]:
        return [name for name in REQUIRED if name not in self.mapping]


def detect_columns(headers: list[str]) -> ColumnDetection:
    """Map a header row to our fields (for the import and for the staff screen that
    lets a person correct the mapping)."""
    detection = ColumnDetection()
    for header in headers:
        if not clean(header):
            continue
        name = _SYNONYMS.get(header_key(header))
        if name is None:
            detection.unknown.append(header)
        elif name in detection.mapping:
            detection.duplicates.append(header)
        else:
            detection.mapping[name] = header
    return detection


def field_choices() -> list[tuple[str, str]]:
    """(field, label) for the staff screen's mapping form."""
    return [(name, str(label)) for name, (label, _words) in FIELDS.items()]


# --- Files ---------------------------------------------------------------------------------


def is_xlsx(data: bytes, file_name: str) -> bool:
    return data[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm"))


def read_xlsx(data: bytes) -> list[list[str]]:
    """The cells of the first sheet as text (dates as ISO dates, whole numbers without
    ``.0``)."""
    if len(data) > max_bytes():
        raise ImportFileError(_("The file is too large."))
    try:
        import openpyxl
    except ImportError as error:
        raise ImportFileError(
            _("Reading .xlsx files needs the openpyxl package; save the sheet as CSV instead.")
        ) from error
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(
            _("The .xlsx file could not be read (%(error)s).") % {"error": error}
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = [[_xlsx_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    rows = [row if any(cell for cell in row) else [] for row in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- The importer ----------------------------------------------------------------------------


class CenterListImporter(KeyedRowsImporter):
    source = SourceKind.CENTER_LIST.value

    def read(self, data: bytes, *, context: ImportContext) -> list[ParsedRow]:
        if context.center is None:
            raise ImportFileError(_("Choose the center whose list this is."))
        if is_xlsx(data, context.file_name):
            records = read_xlsx(data)
        elif context.file_name.lower().endswith(".xls"):
            raise ImportFileError(
                _("Old Excel files (.xls) cannot be read; save the sheet as .xlsx or CSV.")
            )
        else:
            records = csv_rows(decode(data))
        if not records:
            raise ImportFileError(_("The file is empty."))
        header_index, mapping = self._header(records, context.column_map)
        headers = records[header_index]
        positions = {name: headers.index(header) for name, header in mapping.items()}
        detection = detect_columns(headers)
        if context.column_map is None and detection.unknown:
            context.report.notes.append(
                _("Columns not imported: %(columns)s.") % {"columns": "、".join(detection.unknown)}
            )
        self._centers: dict[str, Center | None] = {}
        rows = []
        for index in range(header_index + 1, len(records)):
            cells = records[index]
            if not cells:
                continue
            raw = {
                header: cells[i] if i < len(cells) else ""
                for i, header in enumerate(headers)
                if clean(header)
            }
            values_in = {name: cells[i] if i < len(cells) else "" for name, i in positions.items()}
            row = ParsedRow(index + 1, raw)
            self._parse(row, values_in, mapping, context)
            rows.append(row)
        return rows

    def _header(
        self, records: list[list[str]], column_map: dict[str, str] | None
    ) -> tuple[int, dict[str, str]]:
        if column_map:
            unknown_fields = [name for name in column_map if name not in FIELDS]
            if unknown_fields:
                raise ImportFileError(
                    _("The column mapping names unknown fields: %(fields)s.")
                    % {"fields": "、".join(unknown_fields)}
                )
            if "name" not in column_map:
                raise ImportFileError(_("The column mapping must name the column of the name."))
            wanted = {header_key(header) for header in column_map.values()}
            for index, cells in enumerate(records[:HEADER_SEARCH_ROWS]):
                keys = {header_key(cell): cell for cell in cells}
                if wanted <= set(keys):
                    mapping = {n: keys[header_key(h)] for n, h in column_map.items()}
                    return index, mapping
            raise ImportFileError(
                _("No row of the file has the headers of the column mapping (%(headers)s).")
                % {"headers": "、".join(column_map.values())}
            )
        best: tuple[int, ColumnDetection] | None = None
        for index, cells in enumerate(records[:HEADER_SEARCH_ROWS]):
            detection = detect_columns(cells)
            if "name" in detection.mapping and (
                best is None or len(detection.mapping) > len(best[1].mapping)
            ):
                best = (index, detection)
        if best is None:
            raise ImportFileError(
                _(
                    "The file has no header row with a column for the name (名称 or 団体名); "
                    "map its columns by hand."
                )
            )
        return best[0], best[1].mapping

    def _parse(
        self,
        row: ParsedRow,
        cells: dict[str, str],
        mapping: dict[str, str],
        context: ImportContext,
    ) -> None:
        center = cast("Center", context.center)  # read() refused a list without one

        def text(name: str) -> str:
            return normalize_spaces(cells.get(name, ""))

        name = text("name")
        if not name:
            row.reject(mapping["name"], _("the name is missing."))
        number = (
            read_corporate_number(row, mapping["corporate_number"], text("corporate_number"))
            if "corporate_number" in mapping
            else ""
        )
        kana = (
            hiragana_to_katakana(normalize_width(text("name_kana"))) if "name_kana" in cells else ""
        )
        if kana and not is_katakana_reading(kana):
            row.notes.append(
                _("The reading 「%(kana)s」 is not in kana; left out.") % {"kana": kana}
            )
            kana = ""
        prefecture, municipality, street = split_address(
            text("address"), prefecture_hint=center.prefecture
        )
        legal_form = legal_form_from_text(text("legal_form")) or legal_form_from_name(name)
        if not legal_form:
            legal_form = LegalForm.NPO_CORPORATION.value if number else LegalForm.OTHER.value
        codes, unknown_fields = activity_fields_from_text(text("activity_fields"))
        if unknown_fields:
            row.notes.append(
                _("Fields of activity not recognised: %(fields)s.")
                % {"fields": "、".join(unknown_fields)}
            )
        values: dict[str, Any] = {
            "name": name,
            "name_kana": kana,
            "corporate_number": number,
            "legal_form": legal_form,
            "prefecture": prefecture,
            "municipality": municipality,
            "street": street,
            "postcode": read_postcode(text("postcode")),
            "phone": read_phone(text("phone")),
            "fax": read_phone(text("fax")),
            "email": self._email(row, text("email")),
            "website": self._website(row, text("website")),
            "representative": text("representative")[:100],
            "contact_person": text("contact_person")[:100],
            "activity_fields": codes,
            "activity_areas": [area[:60] for area in split_list(text("activity_areas"))],
            "purpose": cells.get("purpose", "").strip(),
        }
        for date_field in ("established_on", "registered_on"):
            if date_field in mapping:
                values[date_field] = read_date(row, mapping[date_field], text(date_field))
        group_id = clean(cells.get("center_group_id", ""))
        values["center_group_id"] = group_id[:40]
        if text("center"):
            found = self._center(text("center"))
            if found is None:
                row.reject(
                    mapping["center"],
                    _("there is no center 「%(center)s」.") % {"center": text("center")},
                )
            else:
                center = found
        values["center_id"] = center.pk
        row.values = {key: value for key, value in values.items() if value not in ("", None, [])}
        row.values.setdefault("center_id", center.pk)
        row.origin_id = group_id or f"name:{matching.name_key(name)}"[:100]

    def _center(self, label: str) -> Center | None:
        if label not in self._centers:
            self._centers[label] = (
                Center.objects.filter(slug=label).first()
                or Center.objects.filter(name=label).first()
            )
        return self._centers[label]

    def _email(self, row: ParsedRow, value: str) -> str:
        if not value:
            return ""
        value = normalize_width(value)
        try:
            EmailValidator()(value)
        except ValidationError:
            row.notes.append(
                _("The e-mail address 「%(value)s」 is not valid; left out.") % {"value": value}
            )
            return ""
        return value

    def _website(self, row: ParsedRow, value: str) -> str:
        if not value:
            return ""
        value = normalize_width(value)
        if re.match(r"^www\.", value):
            value = f"https://{value}"
        try:
            URLValidator()(value)
        except ValidationError:
            row.notes.append(
                _("The website 「%(value)s」 is not a web address; left out.") % {"value": value}
            )
            return ""
        return value[:500]

    def defaults_for_new(self, row: ParsedRow) -> dict[str, Any]:
        # A group without a corporate number often gives a member's home as its address
        # and a private person as its representative: public only once the group says so.
        corporate = bool(row.values.get("corporate_number"))
        return {"address_is_public": corporate, "representative_is_public": corporate}

    def after_apply(
        self, state: OrgState, row: ParsedRow, record: SourceRecord, *, context: ImportContext
    ) -> bool:
        registered_on = row.values.get("registered_on")
        return context.writer.register(
            state,
            center_id=int(row.values["center_id"]),
            registered_on=registered_on if isinstance(registered_on, datetime.date) else None,
            center_group_id=str(row.values.get("center_group_id", "")),
            source_record=record,
        )
