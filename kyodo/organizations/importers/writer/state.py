"""What ``MasterWriter`` holds in memory: a master record being changed (:class:`OrgState`),
who set each of its fields (:class:`Provenance`), and field values as JSON data (for the
history and the proposed changes).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from kyodo.japanese.text import normalize_spaces, normalize_width
from kyodo.organizations import matching
from kyodo.organizations.models import (
    LIST_FIELDS,
    CenterRegistration,
    Organization,
    OrganizationName,
)


def to_json(value: Any) -> Any:
    """A field value as JSON data (dates as ISO text)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value


def from_json(field_name: str, value: Any) -> Any:
    """The inverse of :func:`to_json` for a master field."""
    if value is None or field_name in LIST_FIELDS:
        return value
    model_field = Organization._meta.get_field(field_name)
    if model_field.get_internal_type() == "DateField" and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def same_value(new: Any, current: Any) -> bool:
    """Equal, or texts that differ only in width or spaces (``南３条`` / ``南3条``): a
    source writing a value differently is not a change (a change of case is)."""
    if isinstance(new, str) and isinstance(current, str):
        return new == current or _folded(new) == _folded(current)
    return bool(new == current)


def _folded(text: str) -> str:
    return normalize_spaces(normalize_width(text)).replace(" ", "")


class Provenance:
    """Who set a field (a ``FieldSource`` row, loaded or to be written), kept light: an
    import handles tens of thousands of them."""

    __slots__ = ("as_of", "kind", "pk", "set_at", "set_by_id", "source_record")

    def __init__(
        self,
        *,
        kind: str,
        as_of: datetime.date | None,
        source_record: Any = None,
        set_by_id: int | None = None,
        set_at: datetime.datetime | None = None,
        pk: int | None = None,
    ) -> None:
        self.kind = kind
        self.as_of = as_of
        self.source_record = source_record  # a SourceRecord, or its id once loaded
        self.set_by_id = set_by_id
        self.set_at = set_at
        self.pk = pk

    @property
    def source_record_id(self) -> int | None:
        record = self.source_record
        return record if isinstance(record, int) or record is None else record.pk


@dataclass
class OrgState:
    """A master record being changed: the model instance and what hangs on it."""

    org: Organization
    is_new: bool
    provenance: dict[str, Provenance] = field(default_factory=dict)
    lists: dict[str, list[Any]] = field(default_factory=dict)
    lists_changed: set[str] = field(default_factory=set)
    names: dict[tuple[str, str], OrganizationName] = field(default_factory=dict)
    registrations: dict[int, CenterRegistration] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)
    names_changed: bool = False
    # False only while the values a record is created with are applied: later changes,
    # even within the same import, are history (former names, FieldChange rows).
    keeps_history: bool = True
    _name_keys: set[str] | None = None
    _keyed_name: str = ""

    def value(self, name: str) -> Any:
        if name in LIST_FIELDS:
            return self.lists.get(name, [])
        return getattr(self.org, name)

    def name_keys(self) -> set[str]:
        """The matching keys of the name and of the other names (computed once)."""
        if self._name_keys is None or self._keyed_name != self.org.name:
            self._name_keys = {matching.name_key(self.org.name)}
            self._name_keys.update(matching.name_key(name) for _kind, name in self.names)
            self._keyed_name = self.org.name
        return self._name_keys

    @property
    def is_changed(self) -> bool:
        return self.is_new or bool(self.dirty or self.lists_changed or self.names_changed)


@dataclass
class Applied:
    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # differing values kept from a stronger source
