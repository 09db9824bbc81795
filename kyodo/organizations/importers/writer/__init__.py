"""Applying values to master records with their provenance, in bulk.

``MasterWriter`` loads the master records an import touches in a few queries, applies
values in memory (who may overwrite what: ``models.may_overwrite``), keeps the history
(``FieldChange``, former names) and writes everything with bulk queries in ``flush``.
Imports of 50,000 rows stay within seconds this way; the actions use the same writer for
one record, so that staff edits, review decisions and imports follow the same rules.

The parts:

- ``state``: what the writer holds in memory: a record being changed (``OrgState``),
  who set each field (``Provenance``), field values as JSON;
- ``master``: ``MasterWriter``: loading, applying values, writing;
- ``bulk``: ``fast_insert``, the INSERT (or PostgreSQL COPY) of tens of thousands of rows.
"""

from __future__ import annotations

from .bulk import CHUNK, fast_insert
from .master import MasterWriter
from .state import (
    Applied,
    OrgState,
    Provenance,
    from_json,
    is_blank,
    same_value,
    to_json,
)

__all__ = [
    "CHUNK",
    "Applied",
    "MasterWriter",
    "OrgState",
    "Provenance",
    "fast_insert",
    "from_json",
    "is_blank",
    "same_value",
    "to_json",
]
