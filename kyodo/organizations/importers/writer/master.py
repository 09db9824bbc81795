"""``MasterWriter``: loads the master records an import touches, applies values where
the source may (``models.may_overwrite``) keeping the history, and writes it all in
``flush`` with bulk queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from kyodo.organizations import matching
from kyodo.organizations.models import (
    LIST_FIELDS,
    MANUAL_SOURCES,
    TRACKED_FIELDS,
    ActivityArea,
    CenterRegistration,
    Certification,
    FieldChange,
    FieldSource,
    MatchReview,
    Organization,
    OrganizationActivityField,
    OrganizationName,
    SourceRecord,
    may_overwrite,
)

from .bulk import CHUNK, fast_insert
from .state import Applied, OrgState, Provenance, is_blank, same_value, to_json

_DERIVED = (
    "name_key",
    "name_reading_row",
    "name_reading_sort",
    "search_text",
    "search_tokens",
    "updated_at",
)


class MasterWriter:
    def __init__(
        self,
        *,
        by: Any = None,
        now: datetime.datetime | None = None,
        load_registrations: bool = True,
    ) -> None:
        self.by = by if getattr(by, "is_authenticated", False) else None
        self.now = now or timezone.now()
        self.load_registrations = load_registrations
        self.states: dict[int, OrgState] = {}
        self.new_states: list[OrgState] = []
        self.by_corporate_number: dict[str, OrgState] = {}
        self.new_records: list[SourceRecord] = []
        self._new_record_ids: set[int] = set()
        self.dirty_records: dict[int, SourceRecord] = {}
        self.changes: list[FieldChange] = []
        self.reviews: list[MatchReview] = []
        self._dirty_provenance: dict[int, Provenance] = {}
        self._new_provenance: list[tuple[OrgState, str, Provenance]] = []
        self.flushed = False

    # --- loading -------------------------------------------------------------------------------

    def load(self, ids: Iterable[int]) -> None:
        """Load these master records (and what hangs on them) in a few queries."""
        wanted = sorted({pk for pk in ids if pk not in self.states})
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for org in Organization.objects.filter(pk__in=chunk):
                state = OrgState(org, is_new=False)
                state.lists = {"activity_fields": [], "activity_areas": [], "certifications": []}
                self.states[org.pk] = state
                if org.corporate_number:
                    self.by_corporate_number[org.corporate_number] = state
            sources = FieldSource.objects.filter(organization_id__in=chunk).values_list(
                "pk", "organization_id", "field", "kind", "as_of", "source_record_id", "set_by_id",
                "set_at",
            )  # fmt: skip
            for pk, org_id, name, kind, as_of, record_id, set_by_id, set_at in sources:
                self.states[org_id].provenance[name] = Provenance(
                    kind=kind,
                    as_of=as_of,
                    source_record=record_id,
                    set_by_id=set_by_id,
                    set_at=set_at,
                    pk=pk,
                )
            for row in OrganizationName.objects.filter(organization_id__in=chunk):
                self.states[row.organization_id].names[(row.kind, row.name)] = row
            fields = OrganizationActivityField.objects.filter(organization_id__in=chunk)
            for org_id, code in fields.order_by("code").values_list("organization_id", "code"):
                self.states[org_id].lists["activity_fields"].append(code)
            areas = ActivityArea.objects.filter(organization_id__in=chunk)
            for org_id, area in areas.order_by("position").values_list("organization_id", "name"):
                self.states[org_id].lists["activity_areas"].append(area)
            for certification in Certification.objects.filter(organization_id__in=chunk):
                state = self.states[certification.organization_id]
                state.lists["certifications"].append(certification.as_value())
            if self.load_registrations:
                registrations = CenterRegistration.objects.filter(organization_id__in=chunk)
                for registration in registrations:
                    state = self.states[registration.organization_id]
                    state.registrations[registration.center_id] = registration

    def load_by_corporate_numbers(self, numbers: Iterable[str]) -> None:
        wanted = sorted({n for n in numbers if n and n not in self.by_corporate_number})
        ids: list[int] = []
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            ids += (
                Organization.objects.current()
                .filter(corporate_number__in=chunk)
                .values_list("pk", flat=True)
            )
        self.load(ids)

    def state(self, pk: int) -> OrgState:
        if pk not in self.states:
            self.load([pk])
        return self.states[pk]

    # --- changing ------------------------------------------------------------------------------

    def new_organization(
        self,
        values: dict[str, Any],
        *,
        kind: str,
        as_of: datetime.date | None,
        source_record: SourceRecord | None = None,
        defaults: dict[str, Any] | None = None,
    ) -> OrgState:
        org = Organization(created_at=self.now, **(defaults or {}))
        state = OrgState(org, is_new=True, keeps_history=False)
        state.lists = {"activity_fields": [], "activity_areas": [], "certifications": []}
        self.apply(state, values, kind=kind, as_of=as_of, source_record=source_record)
        state.keeps_history = True
        self.new_states.append(state)
        if org.corporate_number:
            self.by_corporate_number[org.corporate_number] = state
        return state

    def apply(
        self,
        state: OrgState,
        values: dict[str, Any],
        *,
        kind: str,
        as_of: datetime.date | None,
        source_record: SourceRecord | None = None,
        clear: Iterable[str] = (),
        former_name_until: datetime.date | None = None,
    ) -> Applied:
        """Apply ``values`` where the source may (``may_overwrite``); imports never blank
        a field except those named in ``clear``. A changed name is kept as a former name
        (used until ``former_name_until`` when given)."""
        applied = Applied()
        clearable = set(clear)
        for name in TRACKED_FIELDS:
            if name not in values:
                continue
            value = values[name]
            if is_blank(value) and kind not in MANUAL_SOURCES and name not in clearable:
                continue
            if (
                name == "corporate_number"
                and state.org.corporate_number
                and value
                and (kind not in MANUAL_SOURCES)
            ):
                continue  # a corporate number is only ever replaced by staff
            source = state.provenance.get(name)
            current = state.value(name)
            if not may_overwrite(
                source.kind if source else None, source.as_of if source else None, kind, as_of
            ):
                if not same_value(value, current) and not is_blank(value):
                    applied.kept.append(name)
                continue
            if not same_value(value, current):
                if name == "name" and state.keeps_history and current:
                    self._keep_former_name(state, as_of, former_name_until)
                self.set_value(state, name, value, kind=kind, source_record=source_record)
                applied.changed.append(name)
            elif source is not None and source.kind == kind:
                continue  # the same value confirmed: the source keeps the date it was set
            self.set_source(state, name, kind=kind, as_of=as_of, source_record=source_record)
        return applied

    def set_value(
        self, state: OrgState, name: str, value: Any, *, kind: str, source_record: Any
    ) -> None:
        """Set a field, keeping the change in the history (for an existing record)."""
        current = state.value(name)
        if state.keeps_history:
            source = state.provenance.get(name)
            self.changes.append(
                FieldChange(
                    organization=state.org,
                    field=name,
                    old_value=to_json(current),
                    new_value=to_json(value),
                    old_source=(
                        {
                            "kind": source.kind,
                            "as_of": to_json(source.as_of),
                            "source_record": source.source_record_id,
                        }
                        if source
                        else None
                    ),
                    kind=kind,
                    source_record=source_record,
                    changed_by=self.by,
                    changed_at=self.now,
                )
            )
        if name in LIST_FIELDS:
            state.lists[name] = list(value or [])
            state.lists_changed.add(name)
        else:
            setattr(state.org, name, value if value is not None or _nullable(name) else "")
            state.dirty.add(name)

    def set_source(
        self, state: OrgState, name: str, *, kind: str, as_of: Any, source_record: Any
    ) -> None:
        """Record who set a field, from which record, as of when."""
        source = state.provenance.get(name)
        record_id = getattr(source_record, "pk", None)
        if (
            source is not None
            and source.kind == kind
            and source.as_of == as_of
            and (
                source.source_record is source_record
                or (record_id is not None and source.source_record_id == record_id)
                or (source_record is None and source.source_record_id is None)
            )
        ):
            return
        if source is None:
            source = Provenance(kind=kind, as_of=as_of)
            state.provenance[name] = source
            self._new_provenance.append((state, name, source))
        elif source.pk is not None:
            self._dirty_provenance[source.pk] = source
        source.kind = kind
        source.as_of = as_of
        source.source_record = source_record
        source.set_by_id = self.by.pk if self.by is not None else None
        source.set_at = self.now

    def _keep_former_name(self, state: OrgState, as_of: Any, until: datetime.date | None) -> None:
        source = state.provenance.get("name")
        self.add_name(
            state,
            name=state.org.name,
            name_kana=state.org.name_kana,
            kind=OrganizationName.Kind.FORMER,
            source=source.kind if source else "staff",
            valid_from=source.as_of if source else None,
            valid_to=until or (as_of - datetime.timedelta(days=1) if as_of else None),
            source_record=source.source_record_id if source else None,
        )

    def add_name(
        self,
        state: OrgState,
        *,
        name: str,
        kind: str,
        source: str,
        name_kana: str = "",
        valid_from: datetime.date | None = None,
        valid_to: datetime.date | None = None,
        source_record: SourceRecord | int | None = None,
    ) -> bool:
        """Keep a former name or another spelling, once."""
        if not name or (kind, name) in state.names:
            return False
        row = OrganizationName(
            organization=state.org,
            kind=kind,
            name=name[:300],
            name_kana=name_kana[:300],
            valid_from=valid_from,
            valid_to=valid_to,
            source=source,
        )
        if isinstance(source_record, int):
            row.source_record_id = source_record
        else:
            row.source_record = source_record
        state.names[(kind, name)] = row
        if state._name_keys is not None:
            state._name_keys.add(matching.name_key(name))
        state.names_changed = True
        return True

    def add_alias_if_new(
        self, state: OrgState, name: str, *, source: str, source_record: Any = None
    ) -> bool:
        """Keep how a source writes the name, when it folds to a key not known yet."""
        if not name or matching.name_key(name) in state.name_keys():
            return False
        return self.add_name(
            state,
            name=name,
            kind=OrganizationName.Kind.ALIAS,
            source=source,
            source_record=source_record,
        )

    def register(
        self,
        state: OrgState,
        *,
        center_id: int,
        registered_on: datetime.date | None,
        center_group_id: str,
        source_record: SourceRecord | None,
    ) -> bool:
        """Record the registration at a center (in force); returns whether it changed."""
        registration = state.registrations.get(center_id)
        if registration is None:
            state.registrations[center_id] = CenterRegistration(
                organization=state.org,
                center_id=center_id,
                registered_on=registered_on,
                center_group_id=center_group_id,
                source_record=source_record,
            )
            return True
        wanted = {
            "status": "registered",
            "registered_on": registered_on or registration.registered_on,
            "center_group_id": center_group_id or registration.center_group_id,
        }
        if all(getattr(registration, key) == value for key, value in wanted.items()):
            return False
        for key, value in wanted.items():
            setattr(registration, key, value)
        registration.ended_on = None
        registration._kyodo_dirty = True  # type: ignore[attr-defined]
        return True

    def add_record(self, record: SourceRecord) -> None:
        if record.pk is None:
            if id(record) not in self._new_record_ids:
                self._new_record_ids.add(id(record))
                self.new_records.append(record)
        else:
            self.dirty_records[record.pk] = record

    # --- writing ---------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write every change with bulk queries (inside the caller's transaction).

        A writer is flushed once: the rows it inserted quickly have no primary key."""
        if self.flushed:
            raise RuntimeError("A MasterWriter is flushed only once.")
        self.flushed = True
        for state in self.new_states:
            self._refresh(state)
        fast_insert(Organization, [s.org for s in self.new_states], returning=True)
        dirty = [s for s in self.states.values() if s.is_changed]
        columns: set[str] = set()
        for state in dirty:
            self._refresh(state)
            state.org.updated_at = self.now
            columns |= state.dirty
        if dirty:
            Organization.objects.bulk_update(
                [s.org for s in dirty], sorted(columns | set(_DERIVED)), batch_size=CHUNK
            )
        self._flush_records()
        self._flush_provenance()
        FieldChange.objects.bulk_create(self.changes, batch_size=CHUNK)
        everything = [*self.new_states, *dirty]
        OrganizationName.objects.bulk_create(
            [n for s in everything for n in s.names.values() if n.pk is None], batch_size=CHUNK
        )
        self._flush_lists(everything)
        self._flush_registrations(everything)
        MatchReview.objects.bulk_create(self.reviews, batch_size=CHUNK)
        self._reset()

    def _flush_provenance(self) -> None:
        """Changed provenance rows are replaced (deleted, then inserted with the new)."""
        dirty = sorted(self._dirty_provenance)
        for start in range(0, len(dirty), CHUNK):
            FieldSource.objects.filter(pk__in=dirty[start : start + CHUNK]).delete()
        rows = [(s, name, p) for s in self.states.values() for name, p in s.provenance.items()
                if p.pk in self._dirty_provenance]  # fmt: skip
        rows += self._new_provenance
        fast_insert(
            FieldSource,
            [
                SimpleNamespace(
                    organization_id=state.org.pk,
                    field=name,
                    kind=p.kind,
                    as_of=p.as_of,
                    source_record_id=p.source_record_id,
                    set_by_id=p.set_by_id,
                    set_at=p.set_at or self.now,
                )
                for state, name, p in rows
            ],
            ["organization", "field", "kind", "source_record", "as_of", "set_by", "set_at"],
        )

    def _refresh(self, state: OrgState) -> None:
        state.org.refresh_derived_fields(
            other_names=[name for _kind, name in state.names],
            areas=state.lists.get("activity_areas", []),
        )

    def _flush_records(self) -> None:
        fast_insert(SourceRecord, self.new_records, returning=True)
        if self.dirty_records:
            SourceRecord.objects.bulk_update(
                list(self.dirty_records.values()),
                [
                    "raw",
                    "values",
                    "row_hash",
                    "state_key",
                    "organization",
                    "how_linked",
                    "link_score",
                    "import_run",
                    "as_of",
                    "imported_at",
                ],
                batch_size=CHUNK,
            )

    def _flush_lists(self, states: list[OrgState]) -> None:
        changed = [s for s in states if s.lists_changed]
        for name, model in (
            ("activity_fields", OrganizationActivityField),
            ("activity_areas", ActivityArea),
            ("certifications", Certification),
        ):
            targets = [s for s in changed if name in s.lists_changed]
            old = [s.org.pk for s in targets if not s.is_new]
            for start in range(0, len(old), CHUNK):
                model.objects.filter(organization_id__in=old[start : start + CHUNK]).delete()
            rows: list[Any] = []
            for state in targets:
                rows += _list_rows(name, state)
            model.objects.bulk_create(rows, batch_size=CHUNK)

    def _flush_registrations(self, states: list[OrgState]) -> None:
        registrations = [r for s in states for r in s.registrations.values()]
        CenterRegistration.objects.bulk_create(
            [r for r in registrations if r.pk is None], batch_size=CHUNK
        )
        dirty = [r for r in registrations if getattr(r, "_kyodo_dirty", False)]
        if dirty:
            CenterRegistration.objects.bulk_update(
                dirty,
                ["status", "registered_on", "ended_on", "center_group_id"],
                batch_size=CHUNK,
            )
        for registration in dirty:
            registration._kyodo_dirty = False  # type: ignore[attr-defined]

    def _reset(self) -> None:
        for state in [*self.new_states, *self.states.values()]:
            if state.org.pk is not None:
                self.states[state.org.pk] = state
            state.is_new = False
            state.dirty.clear()
            state.lists_changed.clear()
            state.names_changed = False
        self.new_states = []
        self.new_records = []
        self._new_record_ids = set()
        self.dirty_records = {}
        self.changes = []
        self.reviews = []
        self._new_provenance = []
        self._dirty_provenance = {}


def _nullable(name: str) -> bool:
    return bool(Organization._meta.get_field(name).null)


def _list_rows(name: str, state: OrgState) -> list[Any]:
    org = state.org
    values = state.lists.get(name, [])
    if name == "activity_fields":
        return [OrganizationActivityField(organization=org, code=code) for code in values]
    if name == "activity_areas":
        return [
            ActivityArea(organization=org, name=area, position=position)
            for position, area in enumerate(values)
        ]
    return [
        Certification(
            organization=org,
            kind=item["kind"],
            authority=item.get("authority") or "",
            started_on=_date(item.get("started_on")),
            expires_on=_date(item.get("expires_on")),
            revoked_on=_date(item.get("revoked_on")),
        )
        for item in values
    ]


def _date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))
