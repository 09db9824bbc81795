"""Running an import: one transaction, a report row per file row, linking (名寄せ).

Rows are handled in two passes. The first decides for every row what it is — a record
seen before, the same corporate number as a master record, a match to link, a doubtful
match to review or a new organization — using only the in-memory ``MatchIndex``; the
second loads every master record concerned in bulk and applies the rows in file order
through the ``MasterWriter``. A row deciding "new" is put in the index at once, so that
the same group twice in one file becomes one record.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast

from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.organizations import matching, search
from kyodo.organizations.importers.common import (
    ImportFileError,
    ImportReport,
    ParsedRow,
    ProgressCallback,
    RowResult,
)
from kyodo.organizations.importers.writer import MasterWriter, OrgState, fast_insert, to_json
from kyodo.organizations.models import (
    LIST_FIELDS,
    OFFICIAL_SOURCES,
    ImportRowResult,
    ImportRun,
    ImportStatus,
    MatchReview,
    Organization,
    OrganizationName,
    RowOutcome,
    SourceRecord,
)

if TYPE_CHECKING:
    from kyodo.accounts.models import User
    from kyodo.centers.models import Center

PROGRESS_EVERY = 200


class Importer(Protocol):
    source: str

    def read(self, data: bytes, *, context: ImportContext) -> list[ParsedRow]: ...

    def process(self, rows: list[ParsedRow], *, context: ImportContext) -> None: ...


@dataclass
class ImportContext:
    source: str
    file_name: str
    run: ImportRun
    writer: MasterWriter
    report: ImportReport
    as_of: datetime.date
    center: Center | None = None
    by: User | None = None
    column_map: dict[str, str] | None = None
    progress: ProgressCallback | None = None
    as_of_given: bool = False
    results: list[tuple[RowResult, OrgState | None]] = field(default_factory=list)

    def result(
        self,
        row: ParsedRow,
        outcome: str,
        reason: str = "",
        state: OrgState | None = None,
        organization_id: int | None = None,
    ) -> None:
        text = " ".join([reason, *row.notes]).strip()
        result = RowResult(row.number, row.origin_id, outcome, text, organization_id)
        self.results.append((result, state))

    def tick(self, done: int, total: int) -> None:
        if self.progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            self.progress(done, total)


def run_import(
    importer: Importer,
    data: bytes,
    *,
    file_name: str,
    center: Center | None = None,
    by: User | None = None,
    column_map: dict[str, str] | None = None,
    as_of: datetime.date | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import a file in one transaction; on a file-level error nothing is kept but a
    failed ``ImportRun`` (and :class:`ImportFileError` is raised again)."""
    report = ImportReport(source=importer.source, file_name=file_name)
    started_at = timezone.now()
    user = by if getattr(by, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            run = ImportRun.objects.create(
                source=importer.source,
                center=center,
                file_name=file_name[:255],
                by=user,
                started_at=started_at,
            )
            context = ImportContext(
                source=importer.source,
                file_name=file_name,
                run=run,
                writer=MasterWriter(by=user),
                report=report,
                as_of=as_of or timezone.localdate(),
                as_of_given=as_of is not None,
                center=center,
                by=user,
                column_map=column_map,
                progress=progress,
            )
            rows = importer.read(data, context=context)
            run.as_of = context.as_of
            importer.process(rows, context=context)
            context.writer.flush()
            _save_results(context)
            run.status = ImportStatus.SUCCEEDED
            run.finished_at = timezone.now()
            run.counts = report.counts
            run.save(update_fields=["status", "finished_at", "counts", "as_of"])
            report.run_id = run.pk
    except Exception as error:
        failed = ImportRun.objects.create(
            source=importer.source,
            center=center,
            file_name=file_name[:255],
            by=user,
            started_at=started_at,
            finished_at=timezone.now(),
            status=ImportStatus.FAILED,
            error=str(error) if isinstance(error, ImportFileError) else repr(error)[:2000],
        )
        if isinstance(error, ImportFileError):
            error.run_id = failed.pk  # type: ignore[attr-defined]
        raise
    # Imports are how most records arrive: keep the planner's statistics up to date.
    search.refresh_statistics(using=router.db_for_write(Organization))
    return report


def _save_results(context: ImportContext) -> None:
    rows = []
    for result, state in sorted(context.results, key=lambda pair: pair[0].row):
        if state is not None:
            result.organization_id = state.org.pk
        context.report.rows.append(result)
        rows.append(
            ImportRowResult(
                run=context.run,
                row_number=result.row,
                origin_id=result.origin_id[:100],
                outcome=result.outcome,
                reason=result.reason,
                organization_id=result.organization_id,
            )
        )
    fast_insert(
        ImportRowResult,
        rows,
        ["run", "row_number", "origin_id", "outcome", "reason", "organization"],
    )


# --- Words for the report --------------------------------------------------------------------


def field_label(name: str) -> str:
    if name in LIST_FIELDS:
        related = {
            "activity_fields": "activity_fields",
            "activity_areas": "activity_areas",
            "certifications": "certifications",
        }[name]
        model = Organization._meta.get_field(related).related_model
        return str(model._meta.verbose_name_plural)  # type: ignore[union-attr]
    return str(Organization._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def changed_reason(changed: Iterable[str], kept: Iterable[str] = ()) -> str:
    parts = []
    changed, kept = list(changed), list(kept)
    if changed:
        parts.append(
            _("Changed: %(fields)s.") % {"fields": ", ".join(field_label(f) for f in changed)}
        )
    if kept:
        parts.append(
            _("Kept the values of staff or of a stronger or newer source: %(fields)s.")
            % {"fields": ", ".join(field_label(f) for f in kept)}
        )
    return " ".join(parts)


def _score_text(value: float) -> str:
    return f"{value:.0f}"


# --- Linking ---------------------------------------------------------------------------------


# The columns of a master record that linking compares.
MATCH_COLUMNS = (
    "pk",
    "name",
    "name_kana",
    "corporate_number",
    "postcode",
    "municipality",
    "street",
    "phone",
)


def match_record_of_values(values: dict[str, Any], other_names: Iterable[str] = ()) -> Any:
    return matching.MatchRecord.build(
        name=str(values.get("name", "")),
        other_names=other_names,
        name_kana=str(values.get("name_kana", "")),
        corporate_number=str(values.get("corporate_number", "")),
        postcode=str(values.get("postcode", "")),
        municipality=str(values.get("municipality", "")),
        street=str(values.get("street", "")),
        phone=str(values.get("phone", "")),
    )


@dataclass
class Pending:
    """A master record a row of this file will create; ``state`` is set once it is."""

    row_number: int
    state: OrgState | None = None


class Linker:
    """Finds the master record an imported record belongs to (blocking + scoring)."""

    def __init__(self, *, only_without_corporate_number: bool) -> None:
        self.only_without_corporate_number = only_without_corporate_number
        self._index: matching.MatchIndex | None = None

    @property
    def index(self) -> matching.MatchIndex:
        if self._index is None:
            self._index = self._build()
        return self._index

    @property
    def is_empty(self) -> bool:
        """No record to link to (then there is no need to build the records to match)."""
        return len(self.index) == 0

    def _build(self) -> matching.MatchIndex:
        index = matching.MatchIndex()
        records = Organization.objects.current()
        if self.only_without_corporate_number:
            records = records.filter(corporate_number="")
        other_names: dict[int, list[str]] = {}
        names = OrganizationName.objects.filter(organization__in=records)
        for org_id, name in names.values_list("organization_id", "name"):
            other_names.setdefault(org_id, []).append(name)
        columns = MATCH_COLUMNS
        for row in records.values_list(*columns).iterator(chunk_size=2000):
            values = dict(zip(columns, row, strict=True))
            record = match_record_of_values(values, other_names.get(values["pk"], ()))
            index.add(record, values["pk"])
        return index

    def add(self, values: dict[str, Any], ref: Any, record: Any = None) -> None:
        """Put a record being created in the index (``record``: its MatchRecord, if
        already built for ``decide``)."""
        if self.only_without_corporate_number and values.get("corporate_number"):
            return
        self.index.add(record or match_record_of_values(values), ref)

    def decide(self, values: dict[str, Any]) -> matching.Decision:
        return self.index.decide(match_record_of_values(values))

    def decide_record(self, record: matching.MatchRecord) -> matching.Decision:
        return self.index.decide(record)


def resolve_ref(writer: MasterWriter, ref: Any) -> OrgState:
    if isinstance(ref, Pending):
        if ref.state is None:
            raise RuntimeError("A pending record is created by an earlier row.")
        return ref.state
    if isinstance(ref, OrgState):
        return ref
    return writer.state(int(ref))


def ref_ids(refs: Iterable[Any]) -> list[int]:
    return [int(ref) for ref in refs if isinstance(ref, int)]


def review_reason(decision: matching.Decision, writer: MasterWriter) -> str:
    names = []
    for candidate in decision.candidates:
        names.append(resolve_ref(writer, candidate.ref).org.name)
    best = decision.candidates[0].score.value if decision.candidates else 0.0
    return _("May be the same as %(names)s (score %(score)s); waiting for staff review.") % {
        "names": "、".join(names),
        "score": _score_text(best),
    }


def add_reviews(
    context: ImportContext,
    decision: matching.Decision,
    *,
    record: SourceRecord | None = None,
    new_state: OrgState | None = None,
) -> None:
    """Queue the candidates of a doubtful match for review: against the imported record,
    or (``new_state``, for official sources) against the master record just created."""
    ambiguous = len(decision.candidates) > 1
    for candidate in decision.candidates:
        state = resolve_ref(context.writer, candidate.ref)
        reasons = candidate.score.reasons_as_data()
        if ambiguous:
            reasons.append(matching.ambiguous_reason())
        context.writer.reviews.append(
            MatchReview(
                source_record=record,
                organization=state.org,
                other_organization=new_state.org if new_state else None,
                score=round(candidate.score.value, 1),
                reasons=reasons,
                import_run=context.run,
            )
        )


def linked_reason(candidate: matching.Candidate, name: str) -> str:
    return _("Linked to %(name)s: %(reasons)s (score %(score)s).") % {
        "name": name,
        "reasons": matching.describe(candidate.score.reasons_as_data()),
        "score": _score_text(candidate.score.value),
    }


# --- Rows keyed by an id (NPO portal, center lists) ---------------------------------------------


@dataclass
class Plan:
    row: ParsedRow
    action: str  # unchanged, update, review_again, number, link, review, create, reject
    record: SourceRecord | None = None
    ref: Any = None
    decision: matching.Decision | None = None
    pending: Pending | None = None
    reason: str = ""


class KeyedRowsImporter:
    """Rows with a stable id in the source (``origin_id``): a row seen before with the
    same content is unchanged; a changed one updates the record it fed. Subclasses read
    the file and may add to ``after_apply`` (a center's registration)."""

    source = ""

    def read(self, data: bytes, *, context: ImportContext) -> list[ParsedRow]:
        raise NotImplementedError

    def defaults_for_new(self, row: ParsedRow) -> dict[str, Any]:
        return {}

    def after_apply(
        self, state: OrgState, row: ParsedRow, record: SourceRecord, *, context: ImportContext
    ) -> bool:
        return False

    def existing_records(self, rows: list[ParsedRow], context: ImportContext) -> dict[str, Any]:
        ids = sorted({row.origin_id for row in rows if row.origin_id and not row.error})
        found: dict[str, SourceRecord] = {}
        for start in range(0, len(ids), 500):
            records = SourceRecord.objects.filter(
                source=self.source, origin_id__in=ids[start : start + 500]
            )
            if context.center is None:
                records = records.filter(center__isnull=True)
            else:
                records = records.filter(center=context.center)
            found.update({record.origin_id: record for record in records})
        return found

    def process(self, rows: list[ParsedRow], *, context: ImportContext) -> None:
        plans = self._plan(rows, context)
        writer = context.writer
        writer.load(ref_ids(p.ref for p in plans))
        writer.load(ref_ids(c.ref for p in plans if p.decision for c in p.decision.candidates))
        total = len(plans)
        for done, plan in enumerate(plans, start=1):
            self._apply(plan, context)
            context.tick(done, total)

    def _plan(self, rows: list[ParsedRow], context: ImportContext) -> list[Plan]:
        existing = self.existing_records(rows, context)
        numbers = {str(r.values.get("corporate_number", "")) for r in rows if not r.error}
        context.writer.load_by_corporate_numbers(numbers)
        linker = Linker(only_without_corporate_number=self.source in OFFICIAL_SOURCES)
        seen: dict[str, int] = {}
        pending_numbers: dict[str, Pending] = {}
        plans: list[Plan] = []
        for row in rows:
            if row.error:
                plans.append(Plan(row, "reject", reason=row.error))
                continue
            if row.origin_id in seen:
                reason = _("This row repeats the id %(origin_id)s of row %(row)s.") % {
                    "origin_id": row.origin_id,
                    "row": seen[row.origin_id],
                }
                plans.append(Plan(row, "reject", reason=reason))
                continue
            seen[row.origin_id] = row.number
            record = existing.get(row.origin_id)
            if record is not None:
                if record.organization_id is None:
                    action = "unchanged" if record.row_hash == row.row_hash else "review_again"
                    plans.append(Plan(row, action, record=record))
                elif record.row_hash == row.row_hash:
                    plans.append(Plan(row, "unchanged", record=record, ref=None))
                else:
                    plans.append(Plan(row, "update", record=record, ref=record.organization_id))
                continue
            number = str(row.values.get("corporate_number", ""))
            if number and number in context.writer.by_corporate_number:
                state = context.writer.by_corporate_number[number]
                plans.append(Plan(row, "number", ref=state.org.pk))
                continue
            if number and number in pending_numbers:
                plans.append(Plan(row, "number", ref=pending_numbers[number]))
                continue
            record = match_record_of_values(row.values)
            decision = linker.decide_record(record)
            if decision.kind == matching.LINK:
                plans.append(Plan(row, "link", ref=decision.candidates[0].ref, decision=decision))
                continue
            if decision.kind == matching.REVIEW_DECISION and self.source not in OFFICIAL_SOURCES:
                plans.append(Plan(row, "review", decision=decision))
                continue
            pending = Pending(row.number)
            linker.add(row.values, pending, record)
            if number:
                pending_numbers[number] = pending
            plans.append(Plan(row, "create", pending=pending, decision=decision))
        return plans

    def _new_record(self, row: ParsedRow, context: ImportContext) -> SourceRecord:
        return SourceRecord(
            source=self.source,
            center=context.center,
            origin_id=row.origin_id[:100],
            import_run=context.run,
            imported_at=context.writer.now,
        )

    def _fill_record(self, record: SourceRecord, row: ParsedRow, context: ImportContext) -> None:
        record.raw = row.raw
        record.values = to_json(row.values)
        record.row_hash = row.row_hash
        record.as_of = context.as_of
        record.import_run = context.run
        record.imported_at = context.writer.now
        context.writer.add_record(record)

    def _apply(self, plan: Plan, context: ImportContext) -> None:
        row, writer = plan.row, context.writer
        kind, as_of = self.source, context.as_of
        if plan.action == "reject":
            context.result(row, RowOutcome.REJECTED, plan.reason)
            return
        if plan.action == "unchanged":
            org_id = cast(SourceRecord, plan.record).organization_id
            reason = "" if org_id is not None else _("Still waiting for staff review.")
            context.result(row, RowOutcome.UNCHANGED, reason, organization_id=org_id)
            return
        if plan.action == "review_again":
            self._fill_record(cast(SourceRecord, plan.record), row, context)
            context.result(
                row, RowOutcome.NEEDS_REVIEW, _("Changed; still waiting for staff review.")
            )
            return
        if plan.action == "review":
            decision = cast(matching.Decision, plan.decision)
            record = self._new_record(row, context)
            self._fill_record(record, row, context)
            add_reviews(context, decision, record=record)
            context.result(row, RowOutcome.NEEDS_REVIEW, review_reason(decision, writer))
            return
        if plan.action == "create":
            record = self._new_record(row, context)
            record.how_linked = SourceRecord.HowLinked.CREATED
            self._fill_record(record, row, context)
            state = writer.new_organization(
                row.values,
                kind=kind,
                as_of=as_of,
                source_record=record,
                defaults=self.defaults_for_new(row),
            )
            cast(Pending, plan.pending).state = state
            record.organization = state.org
            self.after_apply(state, row, record, context=context)
            doubtful = plan.decision
            if doubtful is not None and doubtful.kind == matching.REVIEW_DECISION:
                decision = doubtful
                add_reviews(context, decision, new_state=state)
                reason = _(
                    "New record; it may be the same as %(names)s (score %(score)s), "
                    "which staff will review."
                ) % {
                    "names": "、".join(
                        resolve_ref(writer, c.ref).org.name for c in decision.candidates
                    ),
                    "score": _score_text(decision.candidates[0].score.value),
                }
                context.result(row, RowOutcome.NEEDS_REVIEW, reason, state)
            else:
                context.result(row, RowOutcome.CREATED, _("New record."), state)
            return
        # update, number, link: the row feeds an existing (or just created) record
        state = resolve_ref(writer, plan.ref)
        record = plan.record or self._new_record(row, context)
        self._fill_record(record, row, context)
        record.organization = state.org
        applied = writer.apply(state, row.values, kind=kind, as_of=as_of, source_record=record)
        writer.add_alias_if_new(
            state, str(row.values.get("name", "")), source=kind, source_record=record
        )
        registered = self.after_apply(state, row, record, context=context)
        if plan.action == "update":
            changed = applied.changed or registered
            outcome = RowOutcome.UPDATED if changed else RowOutcome.UNCHANGED
            context.result(row, outcome, changed_reason(applied.changed, applied.kept), state)
            return
        if plan.action == "number":
            record.how_linked = SourceRecord.HowLinked.CORPORATE_NUMBER
            reason = _("Linked by corporate number to %(name)s.") % {"name": state.org.name}
        else:
            best = cast(matching.Decision, plan.decision).candidates[0]
            record.how_linked = SourceRecord.HowLinked.AUTOMATIC
            record.link_score = round(best.score.value, 1)
            reason = linked_reason(best, state.org.name)
        detail = changed_reason(applied.changed, applied.kept)
        context.result(row, RowOutcome.LINKED, f"{reason} {detail}".strip(), state)
