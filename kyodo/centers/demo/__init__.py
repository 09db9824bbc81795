"""Demo data of the network: the real centers of the seeds and one person per role.

``load()`` is idempotent: rows are found by their natural keys (a center's slug, a
person's e-mail address, a pair of centers) and written only when a value differs, so
loading twice changes nothing, not even ``updated_at``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from kyodo.accounts.models import User
from kyodo.centers.demo import hokkaido, people, yokohama
from kyodo.centers.models import Center, Partnership, SharingRule, StaffMembership

CENTER_FIELDS = (
    "name",
    "name_kana",
    "kind",
    "prefecture",
    "municipality",
    "area_served",
    "postcode",
    "address",
    "phone",
    "website",
    "operator",
    "services_description",
    "opening_hours",
    "description",
    "established_on",
)


def all_centers() -> list[dict[str, Any]]:
    return [*hokkaido.CENTERS, *hokkaido.HUBS, *hokkaido.FACILITIES, *yokohama.CENTERS]


def _defaults(
    model: type[models.Model], names: tuple[str, ...], row: dict[str, Any]
) -> dict[str, Any]:
    """Every field in ``names``: the row's value, or the field's empty value."""
    values = {}
    for name in names:
        field = model._meta.get_field(name)
        values[name] = row.get(name, None if field.null else "")
    return values


def _upsert(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[Any, str]:
    """Create the row, or change only the fields that differ; "created", "updated" or
    "unchanged"."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    if any(f.name == "updated_at" for f in model._meta.fields):
        changed.append("updated_at")
    obj.save(update_fields=changed)
    return obj, "updated"


@transaction.atomic
def load() -> dict[str, Counter[str]]:
    """Load or refresh the demo network; returns what happened, by kind of row."""
    report: dict[str, Counter[str]] = {
        "centers": Counter(),
        "partnerships": Counter(),
        "sharing rules": Counter(),
        "people": Counter(),
        "staff memberships": Counter(),
    }
    rows = all_centers()
    centers: dict[str, Center] = {}
    # Parents first: every parent in the data is a center without a parent.
    for row in sorted(rows, key=lambda r: bool(r.get("parent"))):
        values = _defaults(Center, CENTER_FIELDS, row)
        values["parent"] = centers[row["parent"]] if row.get("parent") else None
        values["is_active"] = True
        center, status = _upsert(Center, {"slug": row["slug"]}, values)
        if center.set_services(row.get("services", [])) and status == "unchanged":
            status = "updated"
        centers[row["slug"]] = center
        report["centers"][status] += 1

    for first_slug, second_slug, description in hokkaido.PARTNERSHIPS:
        first, second = sorted([centers[first_slug], centers[second_slug]], key=lambda c: c.pk)
        _, status = _upsert(
            Partnership, {"first": first, "second": second}, {"description": description}
        )
        report["partnerships"][status] += 1

    for owner_slug, partner_slug, kinds in hokkaido.SHARING:
        for kind in kinds:
            # Only adds: a rule the demo's administrators removed comes back, but rules
            # they added are kept.
            _, created = SharingRule.objects.get_or_create(
                owner=centers[owner_slug], partner=centers[partner_slug], kind=kind
            )
            report["sharing rules"]["created" if created else "unchanged"] += 1

    for person in people.PEOPLE:
        user, status = _demo_person(person)
        report["people"][status] += 1
        if person["role"] in (people.NETWORK_ADMIN, people.CITIZEN):
            continue
        _, created = StaffMembership.objects.get_or_create(
            user=user,
            center=centers[person["center"]],
            role=person["role"],
            ended_on__isnull=True,
            defaults={
                "department": person.get("department", ""),
                "started_on": timezone.localdate(),
            },
        )
        report["staff memberships"]["created" if created else "unchanged"] += 1
    return report


def _demo_person(person: dict[str, Any]) -> tuple[User, str]:
    user = User.objects.filter(email__iexact=person["email"]).first()
    if user is None:
        user = User.objects.create_user(
            person["email"],
            people.DEMO_PASSWORD,
            display_name=person["display_name"],
            name_kana=person["name_kana"],
            is_network_admin=person["role"] == people.NETWORK_ADMIN,
            email_verified_at=timezone.now(),
        )
        return user, "created"
    values: dict[str, Any] = {
        "display_name": person["display_name"],
        "name_kana": person["name_kana"],
        "is_network_admin": person["role"] == people.NETWORK_ADMIN,
        "is_active": True,
    }
    if user.email_verified_at is None:
        values["email_verified_at"] = timezone.now()
    _, status = _upsert(User, {"pk": user.pk}, values)
    return user, status
