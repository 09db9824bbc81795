"""The public directory as data: one item per organization for the API and the JSON
export, and the CSV export (UTF-8 with BOM and CRLF, so that Excel opens it).

Everything here starts from ``Organization.public_data()``; no other field of the model
is read, so that only what the group made public leaves the system.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kyodo.organizations.models import (
    ActivityField,
    CenterRegistration,
    CertificationKind,
    DissolutionReason,
    LegalForm,
    LinkKind,
    NewsItem,
    OperatingStage,
    Organization,
    OrganizationQuerySet,
    RegistrationStatus,
    Status,
)

CHUNK = 1000
ATTRIBUTION = (
    "出典：国税庁法人番号公表サイト（国税庁）（https://www.houjin-bangou.nta.go.jp/）を加工して作成"
)
UrlBuilder = Callable[[str], str]
PathBuilder = Callable[[int], str]
_PK_MARK = 987654321


def detail_paths() -> PathBuilder:
    """The path of each organization's public page, from one ``reverse`` (one per item
    costs ~40 µs, a millisecond a page of results)."""
    mark = str(_PK_MARK)
    prefix, _mark, suffix = reverse("organizations:detail", kwargs={"pk": _PK_MARK}).partition(mark)
    return lambda pk: f"{prefix}{pk}{suffix}"


def for_public_listing(organizations: OrganizationQuerySet) -> OrganizationQuerySet:
    """What ``public_item`` reads, in a fixed number of queries per page or chunk."""
    return organizations.prefetch_related(
        "activity_fields",
        "activity_areas",
        "certifications",
        "links",
        Prefetch(
            "registrations",
            queryset=CenterRegistration.objects.filter(
                status=RegistrationStatus.REGISTERED, center__is_active=True
            ).select_related("center"),
            to_attr="public_registrations",
        ),
    )


def _label(choices: Any, value: Any, language: str | None = None) -> str:
    """The label of ``value`` among ``choices`` in ``language`` (the active language
    unless given: a list reads it once, not for each of its ~160 labels), "" if none."""
    if value in (None, ""):
        return ""
    return _labels(choices, language or get_language()).get(value, "")


@functools.lru_cache(maxsize=64)
def _labels(choices: Any, language: str | None) -> dict[Any, str]:
    # Labels are fixed per language: read once, not ~80 lazy translations a page.
    return {member.value: str(member.label) for member in choices}


def public_registrations(organization: Organization) -> list[CenterRegistration]:
    """Registrations at active centers, from ``for_public_listing``'s prefetch or a query."""
    registrations = getattr(organization, "public_registrations", None)
    if registrations is None:
        registrations = list(
            organization.registrations.filter(
                status=RegistrationStatus.REGISTERED, center__is_active=True
            ).select_related("center")
        )
    return list(registrations)


def public_items(
    organizations: Iterable[Organization], *, absolute_url: UrlBuilder
) -> Iterator[dict[str, Any]]:
    """``public_item`` of each organization of a list, with the path of the pages, the
    language and the date read once for the list rather than for each item."""
    path, today, language = detail_paths(), timezone.localdate(), get_language()
    for organization in organizations:
        yield public_item(
            organization,
            absolute_url=absolute_url,
            detail_path=path,
            today=today,
            language=language,
        )


def public_item(
    organization: Organization,
    *,
    absolute_url: UrlBuilder,
    detail_path: PathBuilder | None = None,
    today: datetime.date | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """One organization as the API and the JSON export give it: public fields only, on
    ``today`` (the local date unless given) with labels in ``language`` (the active
    one unless given). A list uses ``public_items``."""
    data = organization.public_data(today)
    stage = data["operating_stage"]
    language = language or get_language()
    return {
        "id": data["id"],
        "name": data["name"],
        "name_kana": data["name_kana"],
        "legal_form": data["legal_form"],
        "legal_form_label": _label(LegalForm, data["legal_form"], language),
        "corporate_number": data["corporate_number"],
        "competent_authority": data["competent_authority"],
        "postcode": data["postcode"],
        "prefecture": data["prefecture"],
        "municipality": data["municipality"],
        "address": data["address"],
        "representative": data["representative"],
        "established_on": data["established_on"],
        "certified_on": data["certified_on"],
        "purpose": data["purpose"],
        "activities": data["activities"],
        "website": data["website"],
        "contacts": dict(data["contacts"]),
        "links": [
            {
                "kind": link["kind"],
                "label": _label(LinkKind, link["kind"], language),
                "url": link["url"],
            }
            for link in data["links"]
        ],
        "activity_fields": [
            {"code": code, "label": _label(ActivityField, code, language)}
            for code in sorted(data["activity_fields"])
        ],
        "activity_areas": list(data["activity_areas"]),
        "certifications": [
            {
                "kind": c["kind"],
                "label": _label(CertificationKind, c["kind"], language),
                "authority": c["authority"],
                "started_on": c["started_on"],
                "expires_on": c["expires_on"],
            }
            for c in data["certifications"]
        ],
        "status": data["status"],
        "status_label": _label(Status, data["status"], language),
        "dissolved_on": data["dissolved_on"],
        "dissolution_reason": data["dissolution_reason"],
        "operating_stage": str(stage.value) if stage else None,
        "operating_stage_label": _label(OperatingStage, stage.value, language) if stage else None,
        "registrations": [
            {
                "center_id": registration.center_id,
                "center": registration.center.name,
                "registered_on": registration.registered_on,
            }
            for registration in public_registrations(organization)
        ],
        "url": absolute_url((detail_path or detail_paths())(data["id"])),
    }


def public_news(organization: Organization, limit: int = 20) -> list[dict[str, Any]]:
    """The news items the organization published, newest first."""
    items = NewsItem.objects.published().filter(organization=organization)[:limit]
    return [
        {"title": item.title, "body": item.body, "published_at": item.published_at}
        for item in items
    ]


def iterate(organizations: OrganizationQuerySet) -> Iterator[Organization]:
    """Every organization of the queryset, loaded in chunks with their child rows."""
    yield from for_public_listing(organizations).iterator(chunk_size=CHUNK)


# --- CSV -----------------------------------------------------------------------------------------


def _csv_columns() -> list[tuple[str, Callable[[dict[str, Any]], Any]]]:
    def contact(kind: str) -> Callable[[dict[str, Any]], Any]:
        return lambda item: item["contacts"].get(kind, "")

    return [
        (_("ID"), lambda item: item["id"]),
        (_("Name of the organization"), lambda item: item["name"]),
        (_("Reading"), lambda item: item["name_kana"]),
        (_("Legal form"), lambda item: item["legal_form_label"]),
        (_("Corporate number"), lambda item: item["corporate_number"]),
        (_("Competent authority"), lambda item: item["competent_authority"]),
        (_("Postcode"), lambda item: item["postcode"]),
        (_("Address"), lambda item: item["address"]),
        (_("Representative"), lambda item: item["representative"]),
        (_("Telephone"), contact("phone")),
        (_("Fax"), contact("fax")),
        (_("E-mail address"), contact("email")),
        (_("Contact person"), contact("contact_person")),
        (_("Website"), lambda item: item["website"]),
        (_("Other links"), lambda item: " ".join(link["url"] for link in item["links"])),
        (
            _("Fields of activity"),
            lambda item: "、".join(f["label"] for f in item["activity_fields"]),
        ),
        (_("Areas of activity"), lambda item: "、".join(item["activity_areas"])),
        (_("Established on"), lambda item: item["established_on"] or ""),
        (_("Certified on"), lambda item: item["certified_on"] or ""),
        (
            _("Certifications in force"),
            lambda item: "、".join(c["label"] for c in item["certifications"]),
        ),
        (_("Status"), lambda item: item["status_label"]),
        (_("Dissolved on"), lambda item: item["dissolved_on"] or ""),
        (
            _("Reason for dissolution"),
            lambda item: _label(DissolutionReason, item["dissolution_reason"]),
        ),
        (
            _("Registered at"),
            lambda item: "、".join(r["center"] for r in item["registrations"]),
        ),
        (_("Purpose"), lambda item: item["purpose"]),
        (_("Page"), lambda item: item["url"]),
    ]


def csv_lines(organizations: OrganizationQuerySet, *, absolute_url: UrlBuilder) -> Iterator[bytes]:
    """The CSV file, a line at a time: a BOM, a header row, one row per organization."""
    columns = _csv_columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Iterable[Any]) -> bytes:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(value) for value in values])
        return buffer.getvalue().encode("utf-8")

    yield "\ufeff".encode()
    yield line(header for header, _value in columns)
    for item in public_items(iterate(organizations), absolute_url=absolute_url):
        yield line(value(item) for _header, value in columns)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would be a formula in a spreadsheet.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


# --- JSON ----------------------------------------------------------------------------------------


def json_chunks(
    organizations: OrganizationQuerySet, *, absolute_url: UrlBuilder
) -> Iterator[bytes]:
    """``{"attribution": …, "results": [ … ]}``, an organization at a time."""
    head = json.dumps({"attribution": ATTRIBUTION}, ensure_ascii=False)[:-1]
    yield (head + ', "results": [').encode()
    first = True
    for item in public_items(iterate(organizations), absolute_url=absolute_url):
        text = json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False)
        yield (("\n" if first else ",\n") + text).encode()
        first = False
    yield b"\n]}\n"


__all__ = [
    "ATTRIBUTION",
    "csv_lines",
    "detail_paths",
    "for_public_listing",
    "json_chunks",
    "public_item",
    "public_items",
]
