"""What a list of organizations shows beside each record's own columns: its fields and
areas of activity, certifications, links and public registrations.

``load_listings`` reads them for a page of records in three plain SQL queries: Django's
``prefetch_related`` builds a related manager and a queryset for every record and
relation, and compiles a query per relation, which together cost more than running the
queries on a page of 20 (about 6 ms of the 15 ms an API page may take); the ORM's own
queries of certifications and registrations (with their centers) still took 3.5 ms.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connections, router
from django.utils import timezone

from kyodo.organizations.prepared import instances

if TYPE_CHECKING:
    from kyodo.organizations.models.organization import (
        CenterRegistration,
        Certification,
        Organization,
    )

CERTIFICATION_DATES = ("started_on", "expires_on", "revoked_on")


@dataclass
class Listing:
    """The child rows of one record, in the order the record page shows them."""

    activity_fields: list[int] = field(default_factory=list)  # codes, ascending
    activity_areas: list[str] = field(default_factory=list)
    certifications: list[Certification] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def read(cls, organization: Organization) -> Listing:
        """Through the record's related managers (their prefetch when there is one)."""
        return cls(
            activity_fields=sorted(entry.code for entry in organization.activity_fields.all()),
            activity_areas=[area.name for area in organization.activity_areas.all()],
            certifications=list(organization.certifications.all()),
            links=[{"kind": link.kind, "url": link.url} for link in organization.links.all()],
        )

    @property
    def activity_field_labels(self) -> list[str]:
        from kyodo.organizations.models.vocabulary import ActivityField

        return [str(ActivityField(code).label) for code in self.activity_fields]

    def certifications_in_force(self, day: datetime.date | None = None) -> list[Certification]:
        day = day or timezone.localdate()
        return [c for c in self.certifications if c.is_in_force(day)]


def load_listings(organizations: Sequence[Organization], *, links: bool = True) -> None:
    """Read the ``Listing`` of every record of a page (``organization.listing``) and its
    registrations at active centers (``organization.public_registrations``, as
    ``exports.for_public_listing`` gives them), in three plain queries.

    The certifications and registrations are model instances built from their rows
    (``from_db``); a registration's center holds its id and names only, and reads any
    other field when it is asked for, as with ``only()``."""
    if not organizations:
        return
    ids = [organization.pk for organization in organizations]
    listings: dict[int, Listing] = defaultdict(Listing)
    for pk, kind, text, url in _plain_children(ids, links=links):
        listing = listings[pk]
        if kind == 0:
            listing.activity_fields.append(int(text))
        elif kind == 1:
            listing.activity_areas.append(text)
        else:
            listing.links.append({"kind": text, "url": url})
    for certification in _certifications(ids):
        listings[certification.organization_id].certifications.append(certification)
    registrations: dict[int, list[CenterRegistration]] = defaultdict(list)
    for registration in _public_registrations(ids):
        registrations[registration.organization_id].append(registration)
    for organization in organizations:
        organization._listing = listings[organization.pk]  # type: ignore[attr-defined]
        organization.public_registrations = registrations[organization.pk]  # type: ignore[attr-defined]


def _date(value: Any) -> datetime.date | None:
    """A date column read by a plain query: SQLite gives its text, PostgreSQL a date."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _fetch(alias: str, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _certifications(ids: list[int]) -> list[Certification]:
    """The certifications of ``ids`` in the model's order (newest first, then kind)."""
    from kyodo.organizations.models.organization import Certification

    alias = router.db_for_read(Certification)
    table = connections[alias].ops.quote_name(Certification._meta.db_table)
    names = ["id", "organization_id", "kind", "authority", *CERTIFICATION_DATES]
    marks = ", ".join(["%s"] * len(ids))
    rows = _fetch(
        alias,
        f"SELECT {', '.join(names)} FROM {table} "  # noqa: S608 (names from the model)
        f"WHERE organization_id IN ({marks}) ORDER BY started_on DESC, kind",
        ids,
    )
    return instances(
        Certification, alias, names, [(*row[:4], *(_date(v) for v in row[4:])) for row in rows]
    )


def _public_registrations(ids: list[int]) -> list[CenterRegistration]:
    """The registrations of ``ids`` at active centers, in the model's order (by the
    center's reading), each with its center's id and names."""
    from kyodo.centers.models import Center
    from kyodo.organizations.models.organization import CenterRegistration
    from kyodo.organizations.models.vocabulary import RegistrationStatus

    alias = router.db_for_read(CenterRegistration)
    quote = connections[alias].ops.quote_name
    marks = ", ".join(["%s"] * len(ids))
    rows = _fetch(
        alias,
        "SELECT r.id, r.organization_id, r.center_id, r.status, r.registered_on, "  # noqa: S608
        "r.ended_on, c.name, c.name_kana "
        f"FROM {quote(CenterRegistration._meta.db_table)} r "
        f"JOIN {quote(Center._meta.db_table)} c ON c.id = r.center_id "
        f"WHERE r.organization_id IN ({marks}) AND r.status = %s AND c.is_active "
        "ORDER BY c.name_kana, c.name, r.id",
        [*ids, RegistrationStatus.REGISTERED.value],
    )
    names = ["id", "organization_id", "center_id", "status", "registered_on", "ended_on"]
    registrations = instances(
        CenterRegistration, alias, names, [(*row[:4], _date(row[4]), _date(row[5])) for row in rows]
    )
    centers = instances(
        Center, alias, ["id", "name", "name_kana"], [(row[2], row[6], row[7]) for row in rows]
    )
    cache = CenterRegistration.center.field
    for registration, center in zip(registrations, centers, strict=True):
        cache.set_cached_value(registration, center)
    return registrations


def _plain_children(ids: list[int], *, links: bool) -> list[tuple[int, int, str, str]]:
    """(organization, kind, text, url) of the fields (kind 0), areas (1) and links (2) of
    ``ids``, in the order of each list: one plain query, since building three
    querysets costs more than running them."""
    from kyodo.organizations.models.organization import (
        ActivityArea,
        OrganizationActivityField,
        OrganizationLink,
    )

    alias = router.db_for_read(ActivityArea)
    quote = connections[alias].ops.quote_name
    marks = ", ".join(["%s"] * len(ids))
    # Table names from the models, values as parameters.
    parts = [
        f"SELECT organization_id, 0, CAST(code AS VARCHAR(5)), '', code, 0 "  # noqa: S608
        f"FROM {quote(OrganizationActivityField._meta.db_table)} "
        f"WHERE organization_id IN ({marks})",
        f"SELECT organization_id, 1, name, '', position, 0 "  # noqa: S608
        f"FROM {quote(ActivityArea._meta.db_table)} WHERE organization_id IN ({marks})",
    ]
    if links:
        parts.append(
            f"SELECT organization_id, 2, kind, url, position, id "  # noqa: S608
            f"FROM {quote(OrganizationLink._meta.db_table)} WHERE organization_id IN ({marks})"
        )
    rows = _fetch(alias, " UNION ALL ".join(parts), ids * len(parts))
    # per record and kind: fields by code, areas by (position, name), links by (position, id)
    ordered = sorted(rows, key=lambda r: (r[0], r[1], r[4], r[5], r[2]))
    return [(pk, kind, text, url) for pk, kind, text, url, _position, _id in ordered]
