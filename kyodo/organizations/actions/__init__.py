"""Operations on the organization registry: imports, linking decisions, merges and splits,
staff edits and the changes groups ask for.

Each operation checks the acting person through ``kyodo.centers.access`` (raising
``PermissionDenied``), validates (raising ``ValidationError`` with a message for the
person), changes the rows in one transaction and appends an event to the audit log.
Values are applied through ``importers.writer.MasterWriter``, so that staff edits,
review decisions and imports follow the same provenance rules (``models.may_overwrite``).
"""

from kyodo.organizations.actions.edits import (
    EDITABLE_FIELDS,
    FLAG_FIELDS,
    apply_staff_edit,
    decide_proposed_change,
    propose_organization_changes,
    set_center_registration,
)
from kyodo.organizations.actions.imports import import_organizations
from kyodo.organizations.actions.linking import (
    decide_match_review,
    link_source_record,
    merge_organizations,
    queue_possible_duplicates,
    split_organization,
    unlink_source_record,
)

__all__ = [
    "EDITABLE_FIELDS",
    "FLAG_FIELDS",
    "apply_staff_edit",
    "decide_match_review",
    "decide_proposed_change",
    "import_organizations",
    "link_source_record",
    "merge_organizations",
    "propose_organization_changes",
    "queue_possible_duplicates",
    "set_center_registration",
    "split_organization",
    "unlink_source_record",
]
