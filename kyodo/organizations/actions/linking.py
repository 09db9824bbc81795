"""Linking decisions (名寄せ): the review queue, manual links and unlinks, merges and their
undoing (splits), and the search for duplicates already in the registry."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.organizations import matching
from kyodo.organizations.importers.runner import MATCH_COLUMNS, Linker, match_record_of_values
from kyodo.organizations.importers.writer import (
    MasterWriter,
    OrgState,
    Provenance,
    from_json,
    is_blank,
    to_json,
)
from kyodo.organizations.models import (
    SOURCE_RANK,
    TRACKED_FIELDS,
    CenterRegistration,
    FieldChange,
    FieldSource,
    MatchReview,
    MemberStatus,
    MergeRecord,
    NewsItem,
    Organization,
    OrganizationLink,
    OrganizationMember,
    OrganizationName,
    ReviewStatus,
    SourceKind,
    SourceRecord,
    Status,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User

from kyodo.organizations.actions._checks import require_curator

CURRENT_MEMBER = (MemberStatus.REQUESTED, MemberStatus.APPROVED)


def _values_of(record: SourceRecord) -> dict[str, Any]:
    return {
        name: from_json(name, value)
        for name, value in record.values.items()
        if name in TRACKED_FIELDS
    }


def _apply_record(writer: MasterWriter, state: OrgState, record: SourceRecord) -> None:
    """Apply what a source record says to a master record, as an import would."""
    writer.apply(
        state, _values_of(record), kind=record.source, as_of=record.as_of, source_record=record
    )
    writer.add_alias_if_new(state, record.name, source=record.source, source_record=record)
    center_id = record.values.get("center_id")
    if record.source == SourceKind.CENTER_LIST and center_id:
        registered_on = record.values.get("registered_on")
        writer.register(
            state,
            center_id=int(center_id),
            registered_on=datetime.date.fromisoformat(registered_on) if registered_on else None,
            center_group_id=str(record.values.get("center_group_id", "")),
            source_record=record,
        )


def _link_record(
    record: SourceRecord, organization: Organization, *, by: User, how: str
) -> Organization:
    number = str(record.values.get("corporate_number", ""))
    if number and organization.corporate_number and number != organization.corporate_number:
        raise ValidationError(
            _("Records with different corporate numbers are never the same organization."),
            code="different_corporate_numbers",
        )
    writer = MasterWriter(by=by)
    state = writer.state(organization.pk)
    _apply_record(writer, state, record)
    record.organization = state.org
    record.how_linked = how
    writer.add_record(record)
    writer.flush()
    record.reviews.filter(status=ReviewStatus.OPEN).exclude(organization=organization).update(
        status=ReviewStatus.SEPARATE, decided_by=by, decided_at=timezone.now()
    )
    return state.org


def _create_from_record(record: SourceRecord, *, by: User) -> Organization:
    writer = MasterWriter(by=by)
    corporate = bool(record.values.get("corporate_number"))
    defaults = {}
    if record.source == SourceKind.CENTER_LIST:
        defaults = {"address_is_public": corporate, "representative_is_public": corporate}
    state = writer.new_organization(
        _values_of(record),
        kind=record.source,
        as_of=record.as_of,
        source_record=record,
        defaults=defaults,
    )
    center_id = record.values.get("center_id")
    if record.source == SourceKind.CENTER_LIST and center_id:
        _apply_record(writer, state, record)  # the registration
    record.organization = state.org
    record.how_linked = SourceRecord.HowLinked.CREATED
    writer.add_record(record)
    writer.flush()
    return state.org


def decide_match_review(
    *, review: MatchReview, same: bool, by: User, request: HttpRequest | None = None
) -> Organization | None:
    """Decide a doubtful match: the same organization (link the record, or merge the two
    master records) or different ones (a record left with no candidate becomes a new
    organization). Returns the organization the imported record now feeds, if any."""
    require_curator(by)
    with transaction.atomic():
        review = MatchReview.objects.select_for_update().get(pk=review.pk)
        if review.status != ReviewStatus.OPEN:
            raise ValidationError(_("This match has already been decided."), code="decided")
        result: Organization | None = None
        record = review.source_record
        if record is not None:
            if same:
                result = _link_record(
                    record, review.organization, by=by, how=SourceRecord.HowLinked.REVIEWED
                )
            else:
                others = record.reviews.filter(status=ReviewStatus.OPEN).exclude(pk=review.pk)
                if record.organization_id is None and not others.exists():
                    result = _create_from_record(record, by=by)
        elif same and review.other_organization is not None:
            merge_organizations(keep=review.organization, remove=review.other_organization, by=by)
            result = review.organization
        review.status = ReviewStatus.LINKED if same else ReviewStatus.SEPARATE
        review.decided_by = by
        review.decided_at = timezone.now()
        review.save(update_fields=["status", "decided_by", "decided_at"])
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=review.organization,
            request=request,
            details={
                "operation": "decide_match",
                "review": review.pk,
                "same": same,
                "source_record": review.source_record_id,
                "other_organization": review.other_organization_id,
            },
        )
    return result


def link_source_record(
    *,
    source_record: SourceRecord,
    organization: Organization,
    by: User,
    request: HttpRequest | None = None,
) -> Organization:
    """Link an imported record waiting for review to a master record chosen by staff
    (any record, not only the candidates the matcher proposed)."""
    require_curator(by)
    if source_record.organization_id not in (None, organization.pk):
        raise ValidationError(
            _("This record feeds %(name)s; split it off that record first.")
            % {"name": source_record.organization},
            code="linked_elsewhere",
        )
    with transaction.atomic():
        result = _link_record(source_record, organization, by=by, how=SourceRecord.HowLinked.MANUAL)
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=result,
            request=request,
            details={"operation": "link", "source_record": source_record.pk},
        )
        return result


def unlink_source_record(
    *, source_record: SourceRecord, by: User, request: HttpRequest | None = None
) -> Organization:
    """Undo a wrong link: the record becomes a new organization of its own, and the
    fields it changed on its former master record get their earlier values back (when
    nobody changed them since). Its registration moves with it."""
    require_curator(by)
    organization = source_record.organization
    if organization is None:
        raise ValidationError(_("This record is not linked to an organization."), code="unlinked")
    if source_record.how_linked == SourceRecord.HowLinked.CREATED:
        raise ValidationError(
            _("This record created the organization, so it cannot be split off it."),
            code="creator",
        )
    with transaction.atomic():
        writer = MasterWriter(by=by)
        state = writer.state(organization.pk)
        reverted = _revert_changes_of(writer, state, source_record)
        writer.flush()
        _restore_provenance(organization, reverted)
        OrganizationName.objects.filter(
            organization=organization, source_record=source_record, kind=OrganizationName.Kind.ALIAS
        ).delete()
        CenterRegistration.objects.filter(
            organization=organization, source_record=source_record
        ).delete()
        new = _create_from_record(source_record, by=by)
        organization.save(update_fields=[])
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=organization,
            request=request,
            details={
                "operation": "unlink",
                "source_record": source_record.pk,
                "new_organization": new.pk,
                "reverted": sorted(reverted),
            },
        )
    return new


def _revert_changes_of(
    writer: MasterWriter, state: OrgState, record: SourceRecord
) -> dict[str, dict[str, Any] | None]:
    """Give back the values ``record`` replaced; returns {field: old provenance}."""
    reverted: dict[str, dict[str, Any] | None] = {}
    for name, source in list(state.provenance.items()):
        if source.source_record_id != record.pk:
            continue
        change = (
            FieldChange.objects.filter(organization=state.org, field=name, source_record=record)
            .order_by("-changed_at", "-pk")
            .first()
        )
        if change is None or to_json(state.value(name)) != change.new_value:
            continue
        writer.set_value(
            state,
            name,
            from_json(name, change.old_value),
            kind=SourceKind.STAFF,
            source_record=None,
        )
        reverted[name] = change.old_source
    return reverted


def _restore_provenance(
    organization: Organization, sources: Mapping[str, dict[str, Any] | None]
) -> None:
    for name, source in sources.items():
        if source is None:
            FieldSource.objects.filter(organization=organization, field=name).delete()
            continue
        FieldSource.objects.update_or_create(
            organization=organization,
            field=name,
            defaults={
                "kind": source["kind"],
                "as_of": datetime.date.fromisoformat(source["as_of"]) if source["as_of"] else None,
                "source_record_id": source["source_record"],
            },
        )


def _stronger(new: Provenance | None, current: Provenance | None) -> bool:
    """In a merge, does the removed record's value beat the kept one's?"""
    if current is None:
        return new is not None
    if new is None:
        return False
    new_rank, current_rank = (
        SOURCE_RANK[SourceKind(new.kind)],
        SOURCE_RANK[SourceKind(current.kind)],
    )
    if new_rank != current_rank:
        return new_rank > current_rank
    return bool(new.as_of and current.as_of and new.as_of > current.as_of)


def _source_data(source: Provenance | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {
        "kind": source.kind,
        "as_of": to_json(source.as_of),
        "source_record": source.source_record_id,
    }


def _outside_relations() -> list[tuple[type[models.Model], str]]:
    """Foreign keys of other apps to Organization (events, rooms, news …), moved by
    merges; also those declared with ``related_name="+"``."""
    relations = []
    for model in apps.get_models():
        if model._meta.app_label == "organizations":
            continue
        for field in model._meta.get_fields():
            is_key = field.many_to_one or field.one_to_one
            if is_key and field.concrete and field.related_model is Organization:
                relations.append((model, field.name))
    return relations


def merge_organizations(
    *, keep: Organization, remove: Organization, by: User, request: HttpRequest | None = None
) -> MergeRecord:
    """Merge ``remove`` into ``keep`` (名寄せ by staff). For each field the stronger source
    wins (staff over official over center lists, then the newer); the source records,
    registrations, names, news, members and other apps' rows of ``remove`` move to
    ``keep`` (a registration at a center ``keep`` is registered at too, or a person who is
    already a member of ``keep``, stays on ``remove``); ``remove``
    stays as a tombstone (status merged) so that ``split_organization`` can undo it."""
    require_curator(by)
    if keep.pk == remove.pk:
        raise ValidationError(_("A record cannot be merged with itself."), code="self")
    with transaction.atomic():
        locked = {
            o.pk: o
            for o in Organization.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk])
        }
        keep, remove = locked[keep.pk], locked[remove.pk]
        if Status.MERGED in (keep.status, remove.status):
            raise ValidationError(_("This record has already been merged."), code="merged")
        if (
            keep.corporate_number
            and remove.corporate_number
            and keep.corporate_number != remove.corporate_number
        ):
            raise ValidationError(
                _("Records with different corporate numbers are never the same organization."),
                code="different_corporate_numbers",
            )
        writer = MasterWriter(by=by)
        writer.load([keep.pk, remove.pk])
        kept, removed = writer.state(keep.pk), writer.state(remove.pk)
        fields: dict[str, Any] = {}
        for name in TRACKED_FIELDS:
            value = removed.value(name)
            if is_blank(value) or value == kept.value(name):
                continue
            current, new = kept.provenance.get(name), removed.provenance.get(name)
            if not (is_blank(kept.value(name)) or _stronger(new, current)):
                continue
            fields[name] = {
                "old": to_json(kept.value(name)),
                "new": to_json(value),
                "source": _source_data(current),
            }
            kind = new.kind if new else SourceKind.STAFF
            writer.set_value(kept, name, value, kind=kind, source_record=None)
            writer.set_source(
                kept,
                name,
                kind=kind,
                as_of=new.as_of if new else None,
                source_record=new.source_record if new else None,
            )
        snapshot: dict[str, Any] = {
            "fields": fields,
            "removed": {
                "status": remove.status,
                "corporate_number": remove.corporate_number,
            },
            "moved": {},
            "created_names": [],
            "outside": {},
        }
        if "corporate_number" in fields:
            Organization.objects.filter(pk=remove.pk).update(corporate_number="")
            removed.org.corporate_number = ""
        removed.org.status = Status.MERGED
        removed.org.merged_into = keep
        removed.dirty |= {"status", "merged_into", "corporate_number"}
        alias_added = matching.name_key(remove.name) not in kept.name_keys() and writer.add_name(
            kept,
            name=remove.name,
            name_kana=remove.name_kana,
            kind=OrganizationName.Kind.ALIAS,
            source=SourceKind.STAFF,
        )
        writer.flush()
        if alias_added:
            snapshot["created_names"] = [kept.names[(OrganizationName.Kind.ALIAS, remove.name)].pk]
        snapshot["moved"] = _move_children(remove, keep)
        snapshot["outside"] = _move_outside(remove, keep)
        MatchReview.objects.filter(
            models.Q(organization=keep, other_organization=remove)
            | models.Q(organization=remove, other_organization=keep),
            status=ReviewStatus.OPEN,
        ).update(status=ReviewStatus.LINKED, decided_by=by, decided_at=timezone.now())
        merge = MergeRecord.objects.create(
            kept=keep, removed=remove, snapshot=snapshot, merged_by=by
        )
        keep.refresh_from_db()
        keep.save(update_fields=[])
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=keep,
            request=request,
            details={
                "operation": "merge",
                "merge": merge.pk,
                "removed": remove.pk,
                "removed_name": remove.name,
                "fields": sorted(fields),
            },
        )
    return merge


def _move_children(remove: Organization, keep: Organization) -> dict[str, list[int]]:
    moved: dict[str, list[int]] = {}
    records = list(SourceRecord.objects.filter(organization=remove).values_list("pk", flat=True))
    SourceRecord.objects.filter(pk__in=records).update(organization=keep)
    moved["source_records"] = records
    centers = keep.registrations.values("center")
    registrations = list(
        CenterRegistration.objects.filter(organization=remove)
        .exclude(center__in=centers)
        .values_list("pk", flat=True)
    )
    CenterRegistration.objects.filter(pk__in=registrations).update(organization=keep)
    moved["registrations"] = registrations
    taken = set(keep.names.values_list("kind", "name"))
    names = [
        pk
        for pk, kind, name in remove.names.values_list("pk", "kind", "name")
        if (kind, name) not in taken
    ]
    OrganizationName.objects.filter(pk__in=names).update(organization=keep)
    moved["names"] = names
    links: list[int] = []
    if not keep.links.exists():
        links = list(remove.links.values_list("pk", flat=True))
        OrganizationLink.objects.filter(pk__in=links).update(organization=keep)
    moved["links"] = links
    news = list(remove.news_items.values_list("pk", flat=True))
    NewsItem.objects.filter(pk__in=news).update(organization=keep)
    moved["news"] = news
    keep_people = keep.members.current().values("user")
    members = list(
        remove.members.exclude(user__in=keep_people, status__in=CURRENT_MEMBER).values_list(
            "pk", flat=True
        )
    )
    OrganizationMember.objects.filter(pk__in=members).update(organization=keep)
    moved["members"] = members
    return moved


def _move_outside(remove: Organization, keep: Organization) -> dict[str, list[Any]]:
    moved: dict[str, list[Any]] = {}
    for model, field_name in _outside_relations():
        rows = model._default_manager.filter(**{field_name: remove})
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            continue
        try:
            with transaction.atomic():
                model._default_manager.filter(pk__in=ids).update(**{field_name: keep})
        except IntegrityError:
            continue  # e.g. a unique constraint: those rows stay on the tombstone
        moved[f"{model._meta.label}.{field_name}"] = ids
    return moved


def split_organization(
    *, merge_record: MergeRecord, by: User, request: HttpRequest | None = None
) -> Organization:
    """Undo a merge: the removed record comes back with its source records,
    registrations, names and other apps' rows, and the kept record gets back the values
    the merge gave it (unless they were changed since). Returns the restored record."""
    require_curator(by)
    with transaction.atomic():
        merge = MergeRecord.objects.select_for_update().get(pk=merge_record.pk)
        if merge.is_undone:
            raise ValidationError(_("This merge has already been undone."), code="undone")
        keep, removed = merge.kept, merge.removed
        snapshot = merge.snapshot
        writer = MasterWriter(by=by)
        kept = writer.state(keep.pk)
        restored: dict[str, dict[str, Any] | None] = {}
        for name, info in snapshot["fields"].items():
            if to_json(kept.value(name)) != info["new"]:
                continue  # changed since the merge: the later change stays
            writer.set_value(
                kept, name, from_json(name, info["old"]), kind=SourceKind.STAFF, source_record=None
            )
            restored[name] = info["source"]
        number = snapshot["removed"]["corporate_number"]
        if number and "corporate_number" in restored:
            kept.org.corporate_number = ""
            Organization.objects.filter(pk=keep.pk).update(corporate_number="")
        writer.flush()
        _restore_provenance(keep, restored)
        moved = snapshot["moved"]
        SourceRecord.objects.filter(pk__in=moved["source_records"], organization=keep).update(
            organization=removed
        )
        CenterRegistration.objects.filter(pk__in=moved["registrations"], organization=keep).update(
            organization=removed
        )
        OrganizationName.objects.filter(pk__in=moved["names"], organization=keep).update(
            organization=removed
        )
        for model, key in (
            (OrganizationLink, "links"),
            (NewsItem, "news"),
            (OrganizationMember, "members"),
        ):
            rows = model._default_manager.filter(pk__in=moved.get(key, []), organization=keep)
            rows.update(organization=removed)
        OrganizationName.objects.filter(pk__in=snapshot["created_names"]).delete()
        for label, ids in snapshot["outside"].items():
            model_label, field_name = label.rsplit(".", 1)
            model = apps.get_model(model_label)
            model._default_manager.filter(pk__in=ids, **{field_name: keep}).update(
                **{field_name: removed}
            )
        removed.status = snapshot["removed"]["status"]
        removed.merged_into = None
        if number and not Organization.objects.filter(corporate_number=number).exists():
            removed.corporate_number = number
        removed.save()
        keep.refresh_from_db()
        keep.save(update_fields=[])
        merge.undone_at = timezone.now()
        merge.undone_by = by
        merge.save(update_fields=["undone_at", "undone_by"])
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=keep,
            request=request,
            details={
                "operation": "split",
                "merge": merge.pk,
                "restored": removed.pk,
                "fields": sorted(restored),
            },
        )
    return removed


def queue_possible_duplicates(*, by: User | None = None) -> int:
    """Compare every master record with the others and queue the doubtful pairs for
    review (those that would link automatically too: staff merge them). Returns how many
    pairs were queued."""
    if by is not None:
        require_curator(by)
    index = Linker(only_without_corporate_number=False).index
    columns = MATCH_COLUMNS
    rows = Organization.objects.current().values_list(*columns)
    known = set(
        MatchReview.objects.filter(other_organization__isnull=False).values_list(
            "organization_id", "other_organization_id"
        )
    )
    reviews = []
    for row in rows.iterator(chunk_size=2000):
        values = dict(zip(columns, row, strict=True))
        record = match_record_of_values(values)
        for candidate in index.match(record):
            first, second = sorted([int(values["pk"]), int(candidate.ref)])
            if first == second or (first, second) in known:
                continue
            known.add((first, second))
            reviews.append(
                MatchReview(
                    organization_id=first,
                    other_organization_id=second,
                    score=round(candidate.score.value, 1),
                    reasons=candidate.score.reasons_as_data(),
                )
            )
    MatchReview.objects.bulk_create(reviews, batch_size=500)
    return len(reviews)
