"""Public API of the network of centers: ``GET /api/v1/centers`` and ``/centers/{id}``.

Only the public profile of active centers; no staff, no sharing rules. The filters are
validated by the same ``CenterFilterForm`` as the public list page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from kyodo.centers.forms import CenterFilterForm
from kyodo.centers.models import Center, Partnership, Service

router = Router(tags=["centers"])

PAGE_SIZE = 50


class ServiceOut(Schema):
    code: str
    label: str


class CenterRef(Schema):
    id: int
    name: str


class CenterOut(Schema):
    id: int
    slug: str
    name: str
    name_kana: str
    kind: str
    kind_label: str
    parent: int | None
    area_served: str
    prefecture: str
    municipality: str
    postcode: str
    address: str
    phone: str
    website: str
    services: list[ServiceOut]
    services_description: str
    opening_hours: str
    url: str

    @staticmethod
    def resolve_kind_label(obj: Center) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent(obj: Center) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_services(obj: Center) -> list[dict[str, str]]:
        codes = set(obj.service_codes)
        return [
            {"code": code, "label": str(label)} for code, label in Service.choices if code in codes
        ]

    @staticmethod
    def resolve_url(obj: Center, context: dict[str, Any]) -> str:
        request: HttpRequest = context["request"]
        return request.build_absolute_uri(obj.get_absolute_url())


class CenterDetailOut(CenterOut):
    description: str
    established_on: datetime.date | None
    partners: list[CenterRef]
    children: list[CenterRef]

    @staticmethod
    def resolve_partners(obj: Center) -> list[dict[str, Any]]:
        pairs = (
            Partnership.objects.involving(obj)
            .filter(first__is_active=True, second__is_active=True)
            .select_related("first", "second")
        )
        partners = sorted((p.other(obj) for p in pairs), key=lambda c: (c.name_kana, c.name))
        return [{"id": c.pk, "name": c.name} for c in partners]

    @staticmethod
    def resolve_children(obj: Center) -> list[dict[str, Any]]:
        return [
            {"id": c.pk, "name": c.name}
            for c in obj.children.active().order_by("name_kana", "name")
        ]


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class CenterPage(Schema):
    count: int
    results: list[CenterOut]


class CenterFilters(Schema):
    area: str = Field("", description="A prefecture or municipality, e.g. 北海道 or 江別市.")
    service: str = Field("", description="A service code, e.g. consultation.")
    kind: str = Field("", description="A kind of center, e.g. ward.")
    q: str = Field("", description="Words in the name, reading, area or services.")
    page: int = Field(1, ge=1, description="Page number; 50 centers per page.")


@router.get(
    "",
    response={200: CenterPage, 422: ValidationErrorOut},
    summary="List the centers of the network",
)
def list_centers(request: HttpRequest, filters: Query[CenterFilters]) -> dict[str, Any]:
    """Active centers in 50音順 of their reading, 50 per page."""
    active = Center.objects.active()
    form = CenterFilterForm(
        filters.dict(exclude={"page"}),
        areas=active.areas(),
    )
    if not form.is_valid():
        raise ValidationError(
            [
                {"loc": ["query", field], "msg": str(message)}
                for field, messages in form.errors.items()
                for message in messages
            ]
        )
    centers = form.filter(active).for_listing().order_by("name_kana", "name", "pk")
    paginator = Paginator(centers, PAGE_SIZE)
    if filters.page > paginator.num_pages:  # past the end: nothing more, not an error
        return {"count": paginator.count, "results": []}
    return {"count": paginator.count, "results": list(paginator.page(filters.page))}


@router.get(
    "/{center_id}",
    response={200: CenterDetailOut, 404: ErrorOut},
    summary="One center, with its partners and child centers",
)
def get_center(request: HttpRequest, center_id: int) -> Center:
    center = Center.objects.active().prefetch_related("services").filter(pk=center_id).first()
    if center is None:
        raise HttpError(404, _("There is no center with this id."))
    return center
