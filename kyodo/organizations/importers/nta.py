"""The National Tax Agency's corporate-number data (法人番号公表サイト 差分データ).

The official files have 30 columns and no header; our collection adds a leading
``source_diff_file`` column and a header row. Both are recognised, in UTF-8 or CP932.

Each row is the state of one corporation after a change (処理区分): 01 new, 11 name,
12 domestic address, 13 foreign address, 21 closure of the registration (登記記録の閉鎖等:
the corporation is dissolved, with a reason), 22 revival, 71 absorption by merger,
72 annulment of that, 81 erasure of the trade name, 99 deletion. Rows are applied in
the order of 更新年月日 and 一連番号; a row whose (変更年月日, 更新年月日, 一連番号) is not
newer than what was already applied for that corporation changes nothing but may add a
former name (rows with 最新履歴 = 0 are such past states, re-sent with corrections).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Final, cast

from django.utils.translation import gettext as _

from kyodo.japanese.text import is_katakana_reading, normalize_spaces
from kyodo.organizations import matching
from kyodo.organizations.importers.common import (
    ImportFileError,
    ParsedRow,
    clean,
    csv_rows,
    decode,
    legal_form_from_name,
    read_corporate_number,
    read_date,
    read_postcode,
)
from kyodo.organizations.importers.runner import (
    ImportContext,
    Linker,
    OrgState,
    Pending,
    add_reviews,
    changed_reason,
    linked_reason,
    match_record_of_values,
    ref_ids,
    resolve_ref,
)
from kyodo.organizations.importers.writer import same_value, to_json
from kyodo.organizations.models import (
    DissolutionReason,
    LegalForm,
    OrganizationName,
    RowOutcome,
    SourceKind,
    SourceRecord,
    Status,
)

COLUMNS: Final = (
    "一連番号",
    "法人番号",
    "処理区分",
    "訂正区分",
    "更新年月日",
    "変更年月日",
    "商号又は名称",
    "商号又は名称イメージID",
    "法人種別",
    "国内所在地（都道府県）",
    "国内所在地（市区町村）",
    "国内所在地（丁目番地等）",
    "国内所在地イメージID",
    "都道府県コード",
    "市区町村コード",
    "郵便番号",
    "国外所在地",
    "国外所在地イメージID",
    "登記記録の閉鎖等年月日",
    "登記記録の閉鎖等の事由",
    "承継先法人番号",
    "変更事由の詳細",
    "法人番号指定年月日",
    "最新履歴",
    "商号又は名称（英語表記）",
    "国内所在地（都道府県）（英語表記）",
    "国内所在地（市区町村丁目番地等）（英語表記）",
    "国外所在地（英語表記）",
    "フリガナ",
    "検索対象除外",
)
FILE_COLUMN: Final = "source_diff_file"

PROCESS_CODES: Final = {"01", "11", "12", "13", "21", "22", "71", "72", "81", "99"}
CLOSURE_REASONS: Final = {
    "01": DissolutionReason.LIQUIDATION_COMPLETED,
    "11": DissolutionReason.MERGER,
    "21": DissolutionReason.CLOSED_BY_REGISTRAR,
    "31": DissolutionReason.OTHER_LIQUIDATION,
}
# 法人種別: 101 国の機関, 201 地方公共団体, 301 株式会社, 302 有限会社, 303 合名会社,
# 304 合資会社, 305 合同会社, 399 その他の設立登記法人 (NPO法人 among them), 401 外国会社等,
# 499 その他.
COMPANY_KINDS: Final = {"301", "302", "303", "304", "305", "401"}


def _legal_form(kind: str, name: str) -> str:
    if kind in COMPANY_KINDS:
        return LegalForm.COMPANY.value
    return legal_form_from_name(name) or LegalForm.OTHER.value


class NtaImporter:
    source = SourceKind.NTA.value

    # --- reading ---------------------------------------------------------------------------

    def read(self, data: bytes, *, context: ImportContext) -> list[ParsedRow]:
        records = csv_rows(decode(data))
        if not records:
            raise ImportFileError(_("The file is empty."))
        first = [cell.strip().lstrip("\ufeff") for cell in records[0]]
        has_header = bool(first) and first[0] in (FILE_COLUMN, COLUMNS[0])
        width = len(first)
        if width not in (len(COLUMNS), len(COLUMNS) + 1):
            raise ImportFileError(
                _(
                    "This is not a corporate-number file of the National Tax Agency: its first "
                    "row has %(count)s columns, not 30 (or 31 with source_diff_file)."
                )
                % {"count": width}
            )
        has_file_column = width == len(COLUMNS) + 1
        if has_header:
            expected = ([FILE_COLUMN] if has_file_column else []) + list(COLUMNS)
            if first != expected:
                missing = [c for c in expected if c not in first]
                raise ImportFileError(
                    _(
                        "The header row does not name the columns of the National Tax Agency "
                        "file (missing: %(columns)s)."
                    )
                    % {"columns": "、".join(missing) or "—"}
                )
        rows = []
        for index, cells in enumerate(records):
            if (index == 0 and has_header) or not cells:
                continue
            rows.append(self._row(index + 1, cells, width, has_file_column))
        return rows

    def _row(self, number: int, cells: list[str], width: int, has_file_column: bool) -> ParsedRow:
        if len(cells) != width:
            row = ParsedRow(number, {"cells": "|".join(cells)[:500]})
            row.error = _("The row has %(count)s columns, not %(expected)s.") % {
                "count": len(cells),
                "expected": width,
            }
            return row
        values = cells[1:] if has_file_column else cells
        raw = {column: value for column, value in zip(COLUMNS, values, strict=True)}
        if has_file_column:
            raw = {FILE_COLUMN: cells[0], **raw}
        row = ParsedRow(number, raw)
        number_text = read_corporate_number(row, "法人番号", raw["法人番号"])
        row.origin_id = number_text or clean(raw["法人番号"])
        if not number_text and not row.error:
            row.reject("法人番号", _("the corporate number is missing."))
        code = clean(raw["処理区分"])
        if code not in PROCESS_CODES:
            row.reject("処理区分", _("unknown code 「%(code)s」.") % {"code": code})
        updated_on = read_date(row, "更新年月日", raw["更新年月日"])
        changed_on = read_date(row, "変更年月日", raw["変更年月日"])
        closed_on = read_date(row, "登記記録の閉鎖等年月日", raw["登記記録の閉鎖等年月日"])
        if updated_on is None and not row.error:
            row.reject("更新年月日", _("the date is missing."))
        name = normalize_spaces(raw["商号又は名称"])
        if not name and not row.error:
            row.reject("商号又は名称", _("the name is missing."))
        if row.error or updated_on is None:
            return row
        serial = clean(raw["一連番号"])
        row.process_code = code
        row.is_history = clean(raw["最新履歴"]) == "0"
        fact_on = changed_on or updated_on
        row.state_key = f"{fact_on.isoformat()}|{updated_on.isoformat()}|{serial:>10}"
        kana = normalize_spaces(raw["フリガナ"])
        row.values = {
            "name": name,
            "name_kana": kana if is_katakana_reading(kana) else "",
            "corporate_number": number_text,
            "legal_form": _legal_form(clean(raw["法人種別"]), name),
            "prefecture": clean(raw["国内所在地（都道府県）"]),
            "municipality": clean(raw["国内所在地（市区町村）"]),
            "street": normalize_spaces(raw["国内所在地（丁目番地等）"]),
            "postcode": read_postcode(raw["郵便番号"]),
        }
        if code == "21":
            reason = CLOSURE_REASONS.get(
                clean(raw["登記記録の閉鎖等の事由"]), DissolutionReason.OTHER
            )
            row.values |= {
                "status": Status.DISSOLVED.value,
                "dissolved_on": closed_on or fact_on,
                "dissolution_reason": reason.value,
                "successor_corporate_number": clean(raw["承継先法人番号"]),
            }
        elif code == "22":
            row.values |= {
                "status": Status.ACTIVE.value,
                "dissolved_on": None,
                "dissolution_reason": "",
                "dissolution_note": "",
                "successor_corporate_number": "",
            }
        row.values["_as_of"] = fact_on
        return row

    # --- applying --------------------------------------------------------------------------------

    def process(self, rows: list[ParsedRow], *, context: ImportContext) -> None:
        valid = [row for row in rows if not row.error]
        for row in rows:
            if row.error:
                context.result(row, RowOutcome.REJECTED, row.error)
        valid.sort(key=lambda r: (r.state_key.split("|")[1], _serial(r.raw["一連番号"]), r.number))
        numbers = sorted({row.origin_id for row in valid})
        records = _existing_records(numbers)
        # A record whose master record was deleted is linked again like a new one.
        orphans = {n: r for n, r in records.items() if r.organization_id is None}
        records = {n: r for n, r in records.items() if r.organization_id is not None}
        writer = context.writer
        writer.load_by_corporate_numbers(numbers)
        writer.load(r.organization_id for r in records.values() if r.organization_id)
        targets = self._plan(valid, records, context)
        writer.load(ref_ids(t.ref for t in targets.values()))
        writer.load(
            ref_ids(c.ref for t in targets.values() if t.decision for c in t.decision.candidates)
        )
        states: dict[str, OrgState] = {}
        for number, record in records.items():
            states[number] = writer.state(cast(int, record.organization_id))
        total = len(valid)
        for done, row in enumerate(valid, start=1):
            self._apply(row, records, orphans, states, targets, context)
            context.tick(done, total)

    def _plan(
        self, rows: list[ParsedRow], records: dict[str, SourceRecord], context: ImportContext
    ) -> dict[str, _Target]:
        """For each corporation not seen in NTA data before: the master record it links to
        (same corporate number, or a match among records without one), or a new one."""
        linker = Linker(only_without_corporate_number=True)
        targets: dict[str, _Target] = {}
        for row in rows:
            number = row.origin_id
            if number in records or number in targets:
                continue
            state = context.writer.by_corporate_number.get(number)
            if state is not None:
                targets[number] = _Target("number", ref=state.org.pk)
                continue
            if linker.is_empty:
                targets[number] = _Target("create", Pending(row.number))
                continue
            record = match_record_of_values(row.values)
            decision = linker.decide_record(record)
            if decision.kind == matching.LINK:
                targets[number] = _Target("link", decision.candidates[0].ref, decision)
                continue
            pending = Pending(row.number)
            linker.add(row.values, pending, record)
            targets[number] = _Target("create", pending, decision)
        return targets

    def _apply(
        self,
        row: ParsedRow,
        records: dict[str, SourceRecord],
        orphans: dict[str, SourceRecord],
        states: dict[str, OrgState],
        targets: dict[str, _Target],
        context: ImportContext,
    ) -> None:
        writer, number = context.writer, row.origin_id
        values = {k: v for k, v in row.values.items() if not k.startswith("_")}
        as_of = row.values["_as_of"]
        # The NTA knows an NPO corporation but not its certification (認定): on a record
        # that exists, "NPO corporation" must not undo the portal's "certified NPO".
        if values.get("legal_form") == LegalForm.NPO_CORPORATION:
            update_values = {k: v for k, v in values.items() if k != "legal_form"}
        else:
            update_values = values
        clear = (
            "dissolved_on",
            "dissolution_reason",
            "dissolution_note",
            "successor_corporate_number",
        )
        record = records.get(number)
        if record is None:
            target = targets[number]
            record = orphans.pop(number, None) or SourceRecord(
                source=self.source,
                origin_id=number,
                imported_at=writer.now,
                import_run=context.run,
            )
            records[number] = record
            self._fill(record, row, context)
            if target.kind == "create":
                record.how_linked = SourceRecord.HowLinked.CREATED
                state = writer.new_organization(
                    values, kind=self.source, as_of=as_of, source_record=record
                )
                cast(Pending, target.ref).state = state
                states[number] = state
                record.organization = state.org
                decision = target.decision
                if decision is not None and decision.kind == matching.REVIEW_DECISION:
                    add_reviews(context, decision, new_state=state)
                    names = "、".join(
                        resolve_ref(writer, c.ref).org.name for c in decision.candidates
                    )
                    reason = _(
                        "New record; it may be the same as %(names)s (score %(score)s), "
                        "which staff will review."
                    ) % {"names": names, "score": f"{decision.candidates[0].score.value:.0f}"}
                    context.result(row, RowOutcome.NEEDS_REVIEW, reason, state)
                else:
                    context.result(row, RowOutcome.CREATED, _process_note(row) or "", state)
                return
            state = resolve_ref(writer, target.ref)
            states[number] = state
            record.organization = state.org
            applied = writer.apply(
                state,
                update_values,
                kind=self.source,
                as_of=as_of,
                source_record=record,
                clear=clear,
            )
            if target.kind == "number":
                record.how_linked = SourceRecord.HowLinked.CORPORATE_NUMBER
                reason = _("Linked by corporate number to %(name)s.") % {"name": state.org.name}
            else:
                best = cast(matching.Decision, target.decision).candidates[0]
                record.how_linked = SourceRecord.HowLinked.AUTOMATIC
                record.link_score = round(best.score.value, 1)
                reason = linked_reason(best, state.org.name)
            detail = changed_reason(applied.changed, applied.kept)
            context.result(row, RowOutcome.LINKED, f"{reason} {detail}".strip(), state)
            return
        state = states[number]
        if row.state_key <= record.state_key:
            added = self._keep_past_name(state, row, record, context)
            if added:
                reason = _("Kept %(name)s as a former name.") % {"name": values["name"]}
                context.result(row, RowOutcome.UPDATED, reason, state)
            elif row.state_key < record.state_key:
                reason = _("Older than the data already recorded; kept as history.")
                context.result(row, RowOutcome.UNCHANGED, reason, state)
            else:
                context.result(row, RowOutcome.UNCHANGED, "", state)
            return
        self._fill(record, row, context)
        applied = writer.apply(
            state,
            update_values,
            kind=self.source,
            as_of=as_of,
            source_record=record,
            clear=clear if row.process_code == "22" else (),
        )
        reason = " ".join(
            part
            for part in (_process_note(row), changed_reason(applied.changed, applied.kept))
            if part
        )
        outcome = RowOutcome.UPDATED if applied.changed else RowOutcome.UNCHANGED
        context.result(row, outcome, reason, state)

    def _fill(self, record: SourceRecord, row: ParsedRow, context: ImportContext) -> None:
        record.raw = row.raw
        record.values = to_json({k: v for k, v in row.values.items() if not k.startswith("_")})
        record.row_hash = row.row_hash
        record.state_key = row.state_key
        record.as_of = row.values["_as_of"]
        record.import_run = context.run
        record.imported_at = context.writer.now
        context.writer.add_record(record)

    def _keep_past_name(
        self, state: OrgState, row: ParsedRow, record: SourceRecord, context: ImportContext
    ) -> bool:
        name = str(row.values["name"])
        if same_value(name, state.org.name):
            return False
        return context.writer.add_name(
            state,
            name=name,
            name_kana=str(row.values.get("name_kana", "")),
            kind=OrganizationName.Kind.FORMER,
            source=self.source,
            valid_from=row.values["_as_of"],
            source_record=record,
        )


@dataclass
class _Target:
    kind: str  # number, link or create
    ref: Any
    decision: matching.Decision | None = None


def _serial(text: str) -> int:
    digits = clean(text)
    return int(digits) if digits.isdigit() else 0


def _existing_records(numbers: list[str]) -> dict[str, SourceRecord]:
    found: dict[str, SourceRecord] = {}
    for start in range(0, len(numbers), 500):
        for record in SourceRecord.objects.filter(
            source=SourceKind.NTA, center__isnull=True, origin_id__in=numbers[start : start + 500]
        ):
            found[record.origin_id] = record
    return found


def _process_note(row: ParsedRow) -> str:
    code = row.process_code
    if code == "21":
        reason = DissolutionReason(row.values["dissolution_reason"]).label
        closed_on = row.values.get("dissolved_on")
        return _("Registration closed on %(date)s (%(reason)s): dissolved.") % {
            "date": closed_on.isoformat() if isinstance(closed_on, datetime.date) else "",
            "reason": reason,
        }
    notes = {
        "22": _("Registration revived."),
        "71": _("Absorbed another corporation by merger."),
        "72": _("Absorption by merger annulled."),
        "81": _("Registration of the trade name erased."),
        "99": _("Deleted by the National Tax Agency; check this record."),
    }
    return notes.get(code, "")
