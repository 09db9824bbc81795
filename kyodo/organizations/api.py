"""Public API of the organization directory: ``GET /api/v1/organizations`` and
``/organizations/{id}``.

Public fields only (``Organization.public_data()`` through ``exports.public_item``). The
filters are validated by the same ``DirectoryFilterForm`` as the directory page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import BaseModel, Field

from kyodo.organizations import exports, prepared, search
from kyodo.organizations.forms import DirectoryFilterForm
from kyodo.organizations.models import (
    LISTING_COLUMNS,
    Organization,
    OrganizationName,
    load_listings,
)

router = Router(tags=["organizations"])

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


# The responses are plain pydantic models: the items are dicts already, and ninja's
# Schema reads every field of every item through a Python getter (3–4 ms a page of 20).


class CodeLabel(BaseModel):
    code: int
    label: str


class LinkOut(BaseModel):
    kind: str
    label: str
    url: str


class CertificationOut(BaseModel):
    kind: str
    label: str
    authority: str
    started_on: datetime.date | None
    expires_on: datetime.date | None


class RegistrationOut(BaseModel):
    center_id: int
    center: str
    registered_on: datetime.date | None


class ContactsOut(BaseModel):
    phone: str | None = Field(None, description="Only when the group made it public.")
    fax: str | None = None
    email: str | None = None
    contact_person: str | None = None


class OrganizationOut(BaseModel):
    id: int
    name: str
    name_kana: str
    legal_form: str
    legal_form_label: str
    corporate_number: str
    competent_authority: str
    postcode: str = Field(description="Empty unless the group made its address public.")
    prefecture: str
    municipality: str
    address: str = Field(
        description="The whole address when public, else prefecture and municipality."
    )
    representative: str = Field(description="Empty unless the group made it public.")
    established_on: datetime.date | None
    certified_on: datetime.date | None
    purpose: str
    activities: str
    website: str
    contacts: ContactsOut
    links: list[LinkOut]
    activity_fields: list[CodeLabel]
    activity_areas: list[str]
    certifications: list[CertificationOut]
    status: str
    status_label: str
    dissolved_on: datetime.date | None
    dissolution_reason: str
    operating_stage: str | None
    operating_stage_label: str | None
    registrations: list[RegistrationOut]
    url: str


class FormerNameOut(BaseModel):
    name: str
    valid_to: datetime.date | None


class NewsItemOut(BaseModel):
    title: str
    body: str
    published_at: datetime.datetime


class OrganizationDetailOut(OrganizationOut):
    former_names: list[FormerNameOut]
    news: list[NewsItemOut]


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class OrganizationPage(BaseModel):
    count: int = Field(
        description="How many organizations match, counted up to 1,000 (see count_is_capped)."
    )
    count_is_capped: bool = Field(
        description="True when more than 1,000 organizations match: count then says "
        "1,000, and the pages after it are read one by one while has_next is true."
    )
    has_next: bool = Field(description="Whether another page follows this one.")
    results: list[OrganizationOut]


class OrganizationFilters(Schema):
    q: str = Field(
        "",
        description="Words of two characters or more in the name, reading or area "
        "(width and hiragana/katakana folded), e.g. 子育 or さっぽろ.",
    )
    field: str = Field("", description="A field of activity (1–20 of the NPO Act, 99 other).")
    area: str = Field("", description="A prefecture, municipality or area, e.g. 札幌市中央区.")
    legal_form: str = Field("", description="A legal form, e.g. npo_corporation.")
    center: str = Field("", description="The id of a center the organization is registered at.")
    certification: str = Field(
        "", description="any, certified, special_certified or ordinance_designated."
    )
    status: str = Field("", description="active (default), dissolved or all.")
    row: str = Field("", description="A row of the 50音 index of readings, e.g. か行.")
    sort: str = Field("", description="reading (50音順, default) or newest.")
    page: int = Field(1, ge=1, description="Page number.")
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Results per page.")


def _invalid(errors: dict[str, list[str]]) -> ValidationError:
    return ValidationError(
        [
            {"loc": ["query", field], "msg": str(message)}
            for field, messages in errors.items()
            for message in messages
        ]
    )


def _absolute(request: HttpRequest) -> exports.UrlBuilder:
    """The absolute URL of a path of this site (``/organizations/12/``): the scheme and
    host read once for a page of items rather than for each."""
    root = request.build_absolute_uri("/")[:-1]
    return lambda path: root + path if path.startswith("/") else request.build_absolute_uri(path)


@router.get(
    "",
    response={200: OrganizationPage, 422: ValidationErrorOut},
    summary="Search the directory of organizations",
)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]) -> dict[str, Any]:
    """Active organizations in 50音順 of their reading (``sort=newest`` for the newest
    first), 20 per page unless ``page_size`` says otherwise. Matches are counted up to
    1,000; the export of the directory (CSV or JSON) gives every one at once."""
    params = {k: v for k, v in filters.dict(exclude={"page", "page_size"}).items() if v != ""}
    form = DirectoryFilterForm(params)
    if not form.is_valid():
        raise _invalid(
            {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        )
    if form.query_too_short:
        raise _invalid({"q": [_("Give words of two characters or more.")]})
    page = search.result_page(
        prepared.directory_rows(form, LISTING_COLUMNS),
        filters.page,
        per_page=filters.page_size,
        past_the_end_gives_last=False,  # past the end: nothing more, not an error
    )
    load_listings(page.items)
    return {
        "count": page.count,
        "count_is_capped": page.count_is_capped,
        "has_next": page.has_next,
        "results": list(exports.public_items(page.items, absolute_url=_absolute(request))),
    }


@router.get(
    "/{organization_id}",
    response={200: OrganizationDetailOut, 404: ErrorOut},
    summary="One organization, with its former names and news",
)
def get_organization(request: HttpRequest, organization_id: int) -> dict[str, Any]:
    organization = (
        exports.for_public_listing(Organization.objects.public().filter(pk=organization_id))
        .prefetch_related("links")
        .first()
    )
    if organization is None:
        raise HttpError(404, _("There is no organization with this number."))
    item = exports.public_item(organization, absolute_url=_absolute(request))
    item["former_names"] = [
        {"name": name.name, "valid_to": name.valid_to}
        for name in organization.names.filter(kind=OrganizationName.Kind.FORMER).order_by(
            "-valid_to", "name"
        )
    ]
    item["news"] = exports.public_news(organization)
    return item
