"""Where values come from and what happened to them: provenance (``FieldSource``),
history (``FieldChange``), imports (``ImportRun``, ``SourceRecord``, ``ImportRowResult``)
and linking decisions (``MatchReview``, ``MergeRecord``, ``ProposedChange``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.organizations.models.organization import (
    Organization,
)
from kyodo.organizations.models.vocabulary import (
    IMPORT_SOURCES,
    ImportStatus,
    ReviewStatus,
    RowOutcome,
    SourceKind,
)


class FieldSource(models.Model):
    """Who set a master field of an organization, from which source record, as of when."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="field_sources"
    )
    field = models.CharField(_("field"), max_length=40)
    kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    source_record = models.ForeignKey(
        "SourceRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    as_of = models.DateField(
        _("as of"), null=True, blank=True, help_text=_("The date the source speaks for.")
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("source of a field")
        verbose_name_plural = _("sources of fields")
        constraints = [
            models.UniqueConstraint(fields=["organization", "field"], name="field_source_once")
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.get_kind_display()}"


class FieldChange(models.Model):
    """One change of a master field of an existing record: the history staff see."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="field_changes"
    )
    field = models.CharField(_("field"), max_length=40)
    old_value = models.JSONField(_("before"), null=True, blank=True)
    new_value = models.JSONField(_("after"), null=True, blank=True)
    # The provenance the old value had ({"kind", "as_of", "source_record"}), so that an
    # unlinked source record's changes can be reverted.
    old_source = models.JSONField(null=True, blank=True)
    kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    source_record = models.ForeignKey(
        "SourceRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("change of a field")
        verbose_name_plural = _("changes of fields")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-changed_at"], name="field_change_org")]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


class ImportRun(models.Model):
    """One import of one file. A failed import leaves this row only (status failed)."""

    source = models.CharField(
        _("source"), max_length=20, choices=[(k.value, k.label) for k in IMPORT_SOURCES]
    )
    center = models.ForeignKey(
        "centers.Center",
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organization_imports",
    )
    file_name = models.CharField(_("file"), max_length=255)
    as_of = models.DateField(_("data as of"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.file_name}"


class SourceRecord(models.Model):
    """One record of a source (a corporation in the NTA data, a row of a center list),
    as last imported, and the master record it feeds (none while it waits for review)."""

    class HowLinked(models.TextChoices):
        CREATED = "created", _("Created the record")
        CORPORATE_NUMBER = "corporate_number", _("Same corporate number")
        AUTOMATIC = "automatic", _("Matched automatically")
        REVIEWED = "reviewed", _("Linked by staff after review")
        MANUAL = "manual", _("Linked by staff")
        MERGED = "merged", _("Moved by a merge")

    source = models.CharField(
        _("source"), max_length=20, choices=[(k.value, k.label) for k in IMPORT_SOURCES]
    )
    center = models.ForeignKey(
        "centers.Center",
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organization_source_records",
    )
    origin_id = models.CharField(_("id in the source"), max_length=100)
    raw = models.JSONField(_("original row"), default=dict)
    values = models.JSONField(_("values read"), default=dict)
    row_hash = models.CharField(max_length=64, blank=True)
    # For NTA data, the (変更年月日, 更新年月日, 一連番号) of the newest row applied.
    state_key = models.CharField(max_length=60, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_records",
    )
    how_linked = models.CharField(
        _("how it was linked"), max_length=20, choices=HowLinked.choices, blank=True
    )
    link_score = models.FloatField(_("match score"), null=True, blank=True)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    as_of = models.DateField(_("data as of"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("source record")
        verbose_name_plural = _("source records")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "origin_id"],
                condition=Q(center__isnull=True),
                name="source_record_once",
            ),
            models.UniqueConstraint(
                fields=["source", "center", "origin_id"],
                condition=Q(center__isnull=False),
                name="source_record_once_per_center",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.origin_id}"

    @property
    def name(self) -> str:
        return str(self.values.get("name", ""))


class ImportRowResult(models.Model):
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    origin_id = models.CharField(_("id in the source"), max_length=100, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=RowOutcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("row of an import")
        verbose_name_plural = _("rows of imports")
        ordering = ["run", "row_number"]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.outcome}"


class MatchReviewQuerySet(models.QuerySet["MatchReview"]):
    def open(self) -> MatchReviewQuerySet:
        return self.filter(status=ReviewStatus.OPEN)

    def for_queue(self) -> MatchReviewQuerySet:
        """The review queue, best scores first, with both sides loaded."""
        return self.select_related(
            "source_record", "source_record__center", "organization", "other_organization"
        ).order_by("-score", "pk")


class MatchReview(models.Model):
    """A doubtful match for staff to decide, shown side by side: an imported record
    (``source_record``) or a second master record (``other_organization``) that may be
    the same organization as ``organization``."""

    source_record = models.ForeignKey(
        SourceRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="match_reviews"
    )
    other_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = MatchReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("match to review")
        verbose_name_plural = _("matches to review")
        ordering = ["-score", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source_record__isnull=False) & Q(other_organization__isnull=True))
                | (Q(source_record__isnull=True) & Q(other_organization__isnull=False)),
                name="match_review_has_one_other_side",
            ),
            models.UniqueConstraint(
                fields=["source_record", "organization"],
                condition=Q(source_record__isnull=False),
                name="match_review_record_once",
            ),
            models.UniqueConstraint(
                fields=["organization", "other_organization"],
                condition=Q(other_organization__isnull=False),
                name="match_review_pair_once",
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"], name="match_review_queue")]

    def __str__(self) -> str:
        other = self.source_record or self.other_organization
        return f"{self.organization} ? {other}"

    def reason_labels(self) -> list[str]:
        """The reasons in words, for the side-by-side screen."""
        from kyodo.organizations.matching import reason_label

        return [reason_label(reason) for reason in self.reasons]


class MergeRecord(models.Model):
    """A merge of ``removed`` into ``kept``, with what it changed, so that
    ``actions.split_organization`` can undo it."""

    kept = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="merges")
    removed = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged at"), default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.removed} → {self.kept}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class ProposedChange(models.Model):
    """A change a group asked for that staff approve before it shows (name, corporate
    number, competent authority)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="proposed_changes"
    )
    field = models.CharField(_("field"), max_length=40)
    value = models.JSONField(_("proposed value"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.field}"
