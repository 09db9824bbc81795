"""The Cabinet Office NPO portal's bulk data (内閣府NPO法人ポータルサイト 行政入力情報データ).

``000_AdministrativeInputData_YYYYMMDD.csv`` (and the per-所轄庁 files) in CP932, 60
columns; the older 45-column layout (2019) is read too. Files with a header row are
read by column name, files without one by position. The date in the file name, when
there is one, is the date the data speaks for (``as_of``).

Each row is one NPO corporation, identified by the number in its portal URL
(``…/npoportal/detail/101000123``), else by its corporate number.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Final

from django.utils.translation import gettext as _

from kyodo.japanese.era import find_dates
from kyodo.japanese.text import comparison_key, is_katakana_reading, normalize_spaces
from kyodo.organizations import matching
from kyodo.organizations.importers.common import (
    ImportFileError,
    ParsedRow,
    clean,
    csv_rows,
    decode,
    read_corporate_number,
    read_date,
    read_postcode,
    split_address,
)
from kyodo.organizations.importers.runner import ImportContext, KeyedRowsImporter
from kyodo.organizations.models import (
    CertificationKind,
    DissolutionReason,
    LegalForm,
    SourceKind,
    Status,
)

COLUMNS: Final = (
    "法人名称",
    "法人名称カナ",
    "所轄庁",
    "権限移譲先市町村",
    "主たる事務所の所在地",
    "主たる事業所の郵便番号",
    "従たる事務所の所在地",
    "代表者氏名",
    "団体代表者名（フリガナ）",
    "法人設立認証年月日",
    "設立年月日",
    "定款に記載された目的",
    *(
        f"活動分野{n}"
        for n in [
            "１",
            "２",
            "３",
            "４",
            "５",
            "６",
            "７",
            "８",
            "９",
            "１０",
            "１１",
            "１２",
            "１３",
            "１４",
            "１５",
            "１６",
            "１７",
            "１８",
            "１９",
            "２０",
        ]
    ),
    "認定（認定・特例認定１）",
    "認定（認定・特例認定２）",
    "認定（認定・特例認定３）",
    "認定（認定・特例認定４）",
    "認定（PST基準１）",
    "認定（PST基準２）",
    "認定（PST基準３）",
    "認定（PST基準 条例指定（都道府県及び市区町村名））",
    "認定（認定開始日）",
    "認定（認定満了日）",
    "認定（認定取消日）",
    "認定（特例認定年月日）",
    "認定（特例認定満了日）",
    "認定（特例認定取消日）",
    "監督情報",
    "解散情報",
    "法人情報URL",
    "法人番号",
    "条例個別指定フラグ",
    "特定非営利活動に係る事業",
    "その他の事業",
    "事業年度開始日",
    "事業年度終了日",
    "条例個別指定：有効期間(開始日)",
    "条例個別指定：有効期間(満了日)",
    "条例個別指定：有効期限（更新申請日)",
    "条例個別指定：有効期限（更新日)",
    "条例個別指定：有効期限（条例個別指定：取消日)",
)
# The 45 columns of the 2019 layout, by their names in the 2024 layout.
COLUMNS_2019: Final = (
    "法人名称",
    "所轄庁",
    "主たる事務所の所在地",
    "従たる事務所の所在地",
    "代表者氏名",
    "法人設立認証年月日",
    "定款に記載された目的",
    *COLUMNS[12:32],
    *COLUMNS[32:46],
    "監督情報",
    "解散情報",
    "法人情報URL",
    "法人番号",
)
REQUIRED: Final = ("法人名称",)
_FALSE_FLAGS: Final = {"", "0", "×", "x", "-", "なし", "無", "false"}
_URL_ID = re.compile(r"detail/(\d+)")
_FILE_DATE = re.compile(r"(20\d{2})(\d{2})(\d{2})")
_DISSOLUTION_WORDS: Final = (
    ("認証取消", DissolutionReason.CERTIFICATION_REVOKED),
    ("合併", DissolutionReason.MERGER),
    ("破産", DissolutionReason.BANKRUPTCY),
    ("総会", DissolutionReason.GENERAL_MEETING),
)


def _key(text: str) -> str:
    return comparison_key(text.lstrip("\ufeff"))


def _flag(text: str) -> bool:
    return clean(text).casefold() not in _FALSE_FLAGS


def date_in_file_name(file_name: str) -> datetime.date | None:
    match = _FILE_DATE.search(file_name)
    if match is None:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


class NpoPortalImporter(KeyedRowsImporter):
    source = SourceKind.NPO_PORTAL.value

    def read(self, data: bytes, *, context: ImportContext) -> list[ParsedRow]:
        records = csv_rows(decode(data, prefer_cp932=True))
        if not records:
            raise ImportFileError(_("The file is empty."))
        if not context.as_of_given and (file_date := date_in_file_name(context.file_name)):
            context.as_of = file_date
        first = records[0]
        known = {_key(name): name for name in COLUMNS}
        if _key(first[0]) == _key(COLUMNS[0]):
            positions: dict[str, int] = {}
            for index, header in enumerate(first):
                name = known.get(_key(header))
                if name is not None and name not in positions:
                    positions[name] = index
            missing = [name for name in REQUIRED if name not in positions]
            if missing:
                raise ImportFileError(
                    _("The file has no column %(columns)s.") % {"columns": "、".join(missing)}
                )
            body = list(enumerate(records[1:], start=2))
        elif len(first) in (len(COLUMNS), len(COLUMNS_2019)):
            layout = COLUMNS if len(first) == len(COLUMNS) else COLUMNS_2019
            positions = {name: index for index, name in enumerate(layout)}
            body = list(enumerate(records, start=1))
        else:
            raise ImportFileError(
                _(
                    "This is not an NPO portal file: it has no header row naming 法人名称 and "
                    "%(count)s columns, not 60 (or 45 in the 2019 layout)."
                )
                % {"count": len(first)}
            )
        width = max(positions.values()) + 1
        rows = []
        for number, cells in body:
            if not cells:
                continue
            raw = {name: (cells[i] if i < len(cells) else "") for name, i in positions.items()}
            row = ParsedRow(number, raw)
            if len(cells) < width:
                row.error = _("The row has %(count)s columns, not %(expected)s.") % {
                    "count": len(cells),
                    "expected": width,
                }
            else:
                self._parse(row, context)
            rows.append(row)
        return rows

    def _parse(self, row: ParsedRow, context: ImportContext) -> None:
        raw = row.raw

        def cell(name: str) -> str:
            return raw.get(name, "")

        name = normalize_spaces(cell("法人名称"))
        if not name:
            row.reject("法人名称", _("the name is missing."))
        number = read_corporate_number(row, "法人番号", cell("法人番号"))
        authority = clean(cell("所轄庁"))
        prefecture, municipality, street = split_address(
            cell("主たる事務所の所在地"), prefecture_hint=authority
        )
        kana = normalize_spaces(cell("法人名称カナ"))
        representative_kana = normalize_spaces(cell("団体代表者名（フリガナ）"))
        values: dict[str, Any] = {
            "name": name,
            "name_kana": kana if is_katakana_reading(kana) else "",
            "corporate_number": number,
            "competent_authority": authority,
            "prefecture": prefecture,
            "municipality": municipality,
            "street": street,
            "postcode": read_postcode(cell("主たる事業所の郵便番号")),
            "representative": normalize_spaces(cell("代表者氏名")),
            "representative_kana": (
                representative_kana if is_katakana_reading(representative_kana) else ""
            ),
            "certified_on": read_date(row, "法人設立認証年月日", cell("法人設立認証年月日")),
            "established_on": read_date(row, "設立年月日", cell("設立年月日")),
            "purpose": cell("定款に記載された目的").strip(),
            "activities": cell("特定非営利活動に係る事業").strip(),
            "activity_fields": [n for n in range(1, 21) if _flag(cell(COLUMNS[11 + n]))],
        }
        certifications = self._certifications(row, authority)
        values["certifications"] = certifications
        in_force = [
            c
            for c in certifications
            if c["kind"] != CertificationKind.ORDINANCE_DESIGNATED
            and not c["revoked_on"]
            and (not c["expires_on"] or c["expires_on"] >= context.as_of.isoformat())
        ]
        values["legal_form"] = (
            LegalForm.CERTIFIED_NPO.value if in_force else LegalForm.NPO_CORPORATION.value
        )
        dissolution = normalize_spaces(cell("解散情報"))
        if dissolution:
            dates = find_dates(dissolution)
            reason = next(
                (r for word, r in _DISSOLUTION_WORDS if word in dissolution),
                DissolutionReason.OTHER,
            )
            values |= {
                "status": Status.DISSOLVED.value,
                "dissolved_on": dates[0].date if dates else None,
                "dissolution_reason": reason.value,
                "dissolution_note": dissolution[:300],
            }
        row.values = values
        url_id = _URL_ID.search(cell("法人情報URL"))
        if url_id:
            row.origin_id = url_id.group(1)
        elif number:
            row.origin_id = number
        else:
            row.origin_id = f"name:{comparison_key(authority)}:{matching.name_key(name)}"[:100]

    def _certifications(self, row: ParsedRow, authority: str) -> list[dict[str, Any]]:
        raw = row.raw

        def day(column: str) -> str | None:
            value = read_date(row, column, raw.get(column, ""))
            return value.isoformat() if value else None

        found = []
        if _flag(raw.get("認定（認定・特例認定１）", "")) or day("認定（認定開始日）"):
            found.append(
                {
                    "kind": CertificationKind.CERTIFIED.value,
                    "authority": authority,
                    "started_on": day("認定（認定開始日）"),
                    "expires_on": day("認定（認定満了日）"),
                    "revoked_on": day("認定（認定取消日）"),
                }
            )
        if _flag(raw.get("認定（認定・特例認定２）", "")) or day("認定（特例認定年月日）"):
            found.append(
                {
                    "kind": CertificationKind.SPECIAL_CERTIFIED.value,
                    "authority": authority,
                    "started_on": day("認定（特例認定年月日）"),
                    "expires_on": day("認定（特例認定満了日）"),
                    "revoked_on": day("認定（特例認定取消日）"),
                }
            )
        designated = _flag(raw.get("認定（PST基準３）", "")) or _flag(
            raw.get("条例個別指定フラグ", "")
        )
        if designated:
            found.append(
                {
                    "kind": CertificationKind.ORDINANCE_DESIGNATED.value,
                    "authority": clean(
                        raw.get("認定（PST基準 条例指定（都道府県及び市区町村名））", "")
                    ),
                    "started_on": day("条例個別指定：有効期間(開始日)"),
                    "expires_on": day("条例個別指定：有効期間(満了日)"),
                    "revoked_on": day("条例個別指定：有効期限（条例個別指定：取消日)"),
                }
            )
        return found
