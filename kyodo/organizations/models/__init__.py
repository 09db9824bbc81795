"""The organization registry (まちづくり活動団体情報): one master record per group.

An ``Organization`` is the master record of a civic group, whatever its sources: the
National Tax Agency's corporate-number data (法人番号公表サイト), the Cabinet Office NPO
portal (内閣府NPO法人ポータルサイト), the lists of groups registered at each center
(登録団体), and edits by staff or by the group itself.

- Every import row is kept as a ``SourceRecord`` (source + origin id, the raw row) linked
  to the master record it fed; each import is an ``ImportRun`` with one
  ``ImportRowResult`` per row.
- Every master field knows who set it and as of when (``FieldSource``): staff and group
  edits win over imports, an official source (NTA, NPO portal) over a center list, and
  between two sources of the same rank the newer wins (:func:`may_overwrite`). Updates
  are kept as ``FieldChange`` rows, former names as ``OrganizationName`` rows.
- Linking (名寄せ) sends doubtful matches to the staff review queue (``MatchReview``);
  merges are reversible through their ``MergeRecord``. The operations live in
  ``actions.py``, the scoring in ``matching/``, the file readers in ``importers/``.
- What the public may see of a record is decided here, in one place: ``PUBLIC_FIELDS``,
  :meth:`Organization.public_contacts` and :meth:`Organization.public_data`.
"""

from __future__ import annotations

from kyodo.organizations.models.listing import Listing, load_listings
from kyodo.organizations.models.members import (
    NewsItem,
    NewsItemQuerySet,
    OrganizationMember,
    OrganizationMemberQuerySet,
)
from kyodo.organizations.models.organization import (
    LISTING_COLUMNS,
    MIN_SEARCH_LENGTH,
    ActivityArea,
    CenterRegistration,
    Certification,
    CertificationQuerySet,
    Organization,
    OrganizationActivityField,
    OrganizationLink,
    OrganizationName,
    OrganizationQuerySet,
    build_search_text,
    reading_sort_key,
    search_key,
    search_terms,
)
from kyodo.organizations.models.records import (
    FieldChange,
    FieldSource,
    ImportRowResult,
    ImportRun,
    MatchReview,
    MatchReviewQuerySet,
    MergeRecord,
    ProposedChange,
    SourceRecord,
)
from kyodo.organizations.models.vocabulary import (
    CONTACT_FIELDS,
    FIELDS_NEEDING_REVIEW,
    IMPORT_SOURCES,
    KATAKANA_READING,
    LIST_FIELDS,
    MANUAL_SOURCES,
    OFFICIAL_SOURCES,
    PUBLIC_FIELDS,
    SOURCE_RANK,
    STAGE_YEARS,
    TRACKED_FIELDS,
    ActivityField,
    CertificationKind,
    DissolutionReason,
    ImportStatus,
    LegalForm,
    LinkKind,
    MemberRole,
    MemberStatus,
    OperatingStage,
    RegistrationStatus,
    ReviewStatus,
    RowOutcome,
    SourceKind,
    Status,
    may_overwrite,
)

__all__ = [
    "CONTACT_FIELDS",
    "FIELDS_NEEDING_REVIEW",
    "IMPORT_SOURCES",
    "KATAKANA_READING",
    "LISTING_COLUMNS",
    "LIST_FIELDS",
    "MANUAL_SOURCES",
    "MIN_SEARCH_LENGTH",
    "OFFICIAL_SOURCES",
    "PUBLIC_FIELDS",
    "SOURCE_RANK",
    "STAGE_YEARS",
    "TRACKED_FIELDS",
    "ActivityArea",
    "ActivityField",
    "CenterRegistration",
    "Certification",
    "CertificationKind",
    "CertificationQuerySet",
    "DissolutionReason",
    "FieldChange",
    "FieldSource",
    "ImportRowResult",
    "ImportRun",
    "ImportStatus",
    "LegalForm",
    "LinkKind",
    "Listing",
    "MatchReview",
    "MatchReviewQuerySet",
    "MemberRole",
    "MemberStatus",
    "MergeRecord",
    "NewsItem",
    "NewsItemQuerySet",
    "OperatingStage",
    "Organization",
    "OrganizationActivityField",
    "OrganizationLink",
    "OrganizationMember",
    "OrganizationMemberQuerySet",
    "OrganizationName",
    "OrganizationQuerySet",
    "ProposedChange",
    "RegistrationStatus",
    "ReviewStatus",
    "RowOutcome",
    "SourceKind",
    "SourceRecord",
    "Status",
    "build_search_text",
    "load_listings",
    "may_overwrite",
    "reading_sort_key",
    "search_key",
    "search_terms",
]
