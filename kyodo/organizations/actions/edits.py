"""Edits of a master record: by staff, by the group (changes of name, corporate number or
competent authority wait for staff), and registrations at centers."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.japanese.corporate_number import CorporateNumberError, normalize_corporate_number
from kyodo.organizations.importers.writer import (
    MasterWriter,
    from_json,
    to_json,
)
from kyodo.organizations.models import (
    FIELDS_NEEDING_REVIEW,
    TRACKED_FIELDS,
    ActivityField,
    CenterRegistration,
    LinkKind,
    Organization,
    OrganizationLink,
    ProposedChange,
    RegistrationStatus,
    SourceKind,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User
    from kyodo.centers.models import Center

from kyodo.organizations.actions._checks import require_curator

# Flags a staff member or the group may set besides the tracked fields.
FLAG_FIELDS = (
    "is_public",
    "address_is_public",
    "representative_is_public",
    "phone_is_public",
    "fax_is_public",
    "email_is_public",
    "contact_person_is_public",
)


EDITABLE_FIELDS = (*TRACKED_FIELDS, *FLAG_FIELDS, "links")


def _clean_changes(organization: Organization, changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(
            _("These fields cannot be edited: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    cleaned = dict(changes)
    number = cleaned.get("corporate_number")
    if number:
        try:
            cleaned["corporate_number"] = normalize_corporate_number(str(number))
        except CorporateNumberError as error:
            raise ValidationError({"corporate_number": [str(error)]}) from error
        taken = Organization.objects.current().filter(corporate_number=cleaned["corporate_number"])
        if taken.exclude(pk=organization.pk).exists():
            raise ValidationError(
                {
                    "corporate_number": [
                        _("Another record has this corporate number; merge the two instead.")
                    ]
                }
            )
    if "activity_fields" in cleaned:
        codes = sorted({int(code) for code in cleaned["activity_fields"]})
        if any(code not in ActivityField.values for code in codes):
            raise ValidationError({"activity_fields": [_("Choose fields from the list.")]})
        cleaned["activity_fields"] = codes
    if "activity_areas" in cleaned:
        cleaned["activity_areas"] = [
            str(area).strip()[:60] for area in cleaned["activity_areas"] if str(area).strip()
        ]
    return cleaned


def _edit(
    organization: Organization,
    changes: Mapping[str, Any],
    *,
    kind: str,
    by: User,
) -> list[str]:
    cleaned = _clean_changes(organization, changes)
    writer = MasterWriter(by=by)
    state = writer.state(organization.pk)
    tracked = {k: v for k, v in cleaned.items() if k in TRACKED_FIELDS}
    applied = writer.apply(state, tracked, kind=kind, as_of=timezone.localdate())
    changed = list(applied.changed)
    for flag in FLAG_FIELDS:
        if flag in cleaned and bool(cleaned[flag]) != getattr(state.org, flag):
            setattr(state.org, flag, bool(cleaned[flag]))
            state.dirty.add(flag)
            changed.append(flag)
    state.org.full_clean(
        exclude=[
            "name_key",
            "name_reading_row",
            "name_reading_sort",
            "search_text",
            "search_tokens",
            "merged_into",
        ]
    )
    writer.flush()
    if "links" in cleaned and _set_links(state.org, cleaned["links"]):
        changed.append("links")
    return changed


def _set_links(organization: Organization, links: list[Mapping[str, str]]) -> bool:
    wanted = [(str(link["kind"]), str(link["url"]).strip()) for link in links if link.get("url")]
    if any(kind not in LinkKind.values for kind, _url in wanted):
        raise ValidationError({"links": [_("Choose the kind of each link from the list.")]})
    current = list(organization.links.values_list("kind", "url"))
    if current == wanted:
        return False
    organization.links.all().delete()
    OrganizationLink.objects.bulk_create(
        [
            OrganizationLink(organization=organization, kind=kind, url=url, position=position)
            for position, (kind, url) in enumerate(wanted)
        ]
    )
    return True


def apply_staff_edit(
    *,
    organization: Organization,
    changes: Mapping[str, Any],
    by: User,
    request: HttpRequest | None = None,
) -> list[str]:
    """Edit a master record as staff: the values win over every import from now on.
    ``changes`` maps field names (``EDITABLE_FIELDS``) to values; returns those changed."""
    require_curator(by)
    with transaction.atomic():
        changed = _edit(organization, changes, kind=SourceKind.STAFF, by=by)
        if changed:
            record_event(
                actor=by,
                action=Action.UPDATE,
                target=organization,
                request=request,
                details={"operation": "staff_edit", "fields": changed},
            )
    organization.refresh_from_db()
    return changed


def propose_organization_changes(
    *,
    organization: Organization,
    changes: Mapping[str, Any],
    by: User,
    request: HttpRequest | None = None,
) -> tuple[list[str], list[ProposedChange]]:
    """A group edits its own record: changes of the name, corporate number or competent
    authority wait for staff (``ProposedChange``), the rest applies at once.

    The caller decides that ``by`` may edit this group's record (the group's claim);
    returns (fields changed now, changes waiting for approval).
    """
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied
    with transaction.atomic():
        sensitive = {
            name: value
            for name, value in changes.items()
            if name in FIELDS_NEEDING_REVIEW and value != getattr(organization, name)
        }
        sensitive = _clean_changes(organization, sensitive)
        proposed = []
        for name, value in sensitive.items():
            ProposedChange.objects.filter(
                organization=organization, field=name, status=ProposedChange.Status.PENDING
            ).update(status=ProposedChange.Status.REJECTED, decided_at=timezone.now())
            proposed.append(
                ProposedChange.objects.create(
                    organization=organization, field=name, value=to_json(value), proposed_by=by
                )
            )
        rest = {k: v for k, v in changes.items() if k not in FIELDS_NEEDING_REVIEW}
        changed = _edit(organization, rest, kind=SourceKind.GROUP, by=by)
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=organization,
            request=request,
            details={
                "operation": "group_edit",
                "fields": changed,
                "proposed": [change.field for change in proposed],
            },
        )
    organization.refresh_from_db()
    return changed, proposed


def decide_proposed_change(
    *,
    change: ProposedChange,
    approve: bool,
    by: User,
    request: HttpRequest | None = None,
) -> bool:
    """Approve (apply) or reject a change a group asked for; returns whether it applied."""
    require_curator(by)
    with transaction.atomic():
        change = ProposedChange.objects.select_for_update().get(pk=change.pk)
        if change.status != ProposedChange.Status.PENDING:
            raise ValidationError(_("This change has already been decided."), code="decided")
        applied = False
        if approve:
            value = from_json(change.field, change.value)
            applied = bool(
                _edit(change.organization, {change.field: value}, kind=SourceKind.GROUP, by=by)
            )
        change.status = (
            ProposedChange.Status.APPROVED if approve else ProposedChange.Status.REJECTED
        )
        change.decided_by = by
        change.decided_at = timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=change.organization,
            request=request,
            details={
                "operation": "decide_proposed_change",
                "field": change.field,
                "approved": approve,
            },
        )
    return applied


def set_center_registration(
    *,
    organization: Organization,
    center: Center,
    status: str,
    by: User,
    registered_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    center_group_id: str | None = None,
    request: HttpRequest | None = None,
) -> CenterRegistration:
    """Register a group at a center, or suspend or end its registration."""
    require_curator(by, center)
    if status not in RegistrationStatus.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    if ended_on and registered_on and ended_on < registered_on:
        raise ValidationError({"ended_on": [_("The registration cannot end before it began.")]})
    with transaction.atomic():
        registration, created = CenterRegistration.objects.get_or_create(
            organization=organization,
            center=center,
            defaults={"status": status, "registered_on": registered_on or timezone.localdate()},
        )
        registration.status = status
        if registered_on:
            registration.registered_on = registered_on
        registration.ended_on = ended_on if status == RegistrationStatus.ENDED else None
        if center_group_id is not None:
            registration.center_group_id = center_group_id.strip()
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError as error:
            raise ValidationError(
                {"center_group_id": [_("Another group has this ID at this center.")]}
            ) from error
        record_event(
            actor=by,
            action=Action.CREATE if created else Action.UPDATE,
            target=registration,
            center=center,
            request=request,
            details={"status": status},
        )
    return registration
