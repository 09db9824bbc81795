"""Input of the organization pages and API. The modules group the forms by audience:

- ``directory``: the filters of the public directory, its exports and the API, and the
  list of areas they offer;
- ``staff``: the staff search, the edit of a master record, registrations, merges and the
  decisions of the review queues;
- ``group``: what groups send (claims, their profile, news);
- ``imports``: the import screen and the column mapping of a center's list;
- ``_record``: the lists and the corporate number shared by the staff and group forms.
"""

from ._record import LINK_HOSTS, MAX_LINKS, AreasField, LinksField, link_kind, list_initial
from ._widgets import DateInput
from .directory import (
    ALL_STATUSES,
    ANY_CERTIFICATION,
    AREAS_CACHE_KEY,
    INDEX_ROWS,
    MAX_QUERY_LENGTH,
    SORT_NEWEST,
    SORT_READING,
    DirectoryFilterForm,
    directory_areas,
)
from .group import GROUP_PROFILE_FIELDS, ClaimForm, GroupProfileForm, NewsItemForm
from .imports import ColumnMapForm, ImportForm
from .staff import (
    STAFF_EDIT_FIELDS,
    DecisionForm,
    MergeForm,
    OrganizationEditForm,
    OtherRecordForm,
    RegistrationForm,
    StaffSearchForm,
)

__all__ = [
    "ALL_STATUSES",
    "ANY_CERTIFICATION",
    "AREAS_CACHE_KEY",
    "GROUP_PROFILE_FIELDS",
    "INDEX_ROWS",
    "LINK_HOSTS",
    "MAX_LINKS",
    "MAX_QUERY_LENGTH",
    "SORT_NEWEST",
    "SORT_READING",
    "STAFF_EDIT_FIELDS",
    "AreasField",
    "ClaimForm",
    "ColumnMapForm",
    "DateInput",
    "DecisionForm",
    "DirectoryFilterForm",
    "GroupProfileForm",
    "ImportForm",
    "LinksField",
    "MergeForm",
    "NewsItemForm",
    "OrganizationEditForm",
    "OtherRecordForm",
    "RegistrationForm",
    "StaffSearchForm",
    "directory_areas",
    "link_kind",
    "list_initial",
]
