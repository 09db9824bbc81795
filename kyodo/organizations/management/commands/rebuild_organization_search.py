"""``manage.py rebuild_organization_search``: recompute every record's search text and
tokens, rebuild the search index and refresh the planner's statistics.

    python manage.py rebuild_organization_search

The index keeps itself in step as records are written; run this after changing how the
search text is made (``build_search_text``, ``search_key``), after rows were written
around the application (a restore, hand-written SQL), or when a check reports the index
missing. Safe to run at any time; records whose text did not change are not rewritten.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, transaction

from kyodo.organizations import search
from kyodo.organizations.models import Organization

CHUNK = 1000
DERIVED = ("name_key", "name_reading_row", "name_reading_sort", "search_text", "search_tokens")


class Command(BaseCommand):
    help = "Recompute the search text of every organization and rebuild the search index."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        using = options["database"]
        if not search.index_is_installed(using=using):
            raise CommandError(
                "The search index is missing: run `manage.py migrate organizations` "
                "(a migration that rebuilt the organization table must install it again).",
                returncode=1,
            )
        started = time.perf_counter()
        total = changed = 0
        with transaction.atomic(using=using):
            records = (
                Organization.objects.using(using)
                .order_by("pk")
                .prefetch_related("names", "activity_areas")
            )
            batch: list[Organization] = []
            for organization in records.iterator(chunk_size=CHUNK):
                total += 1
                before = [getattr(organization, name) for name in DERIVED]
                organization.refresh_derived_fields(
                    other_names=[n.name for n in organization.names.all()],
                    areas=[a.name for a in organization.activity_areas.all()],
                )
                if [getattr(organization, name) for name in DERIVED] != before:
                    batch.append(organization)
                if len(batch) >= CHUNK:
                    changed += self._save(batch, using)
            changed += self._save(batch, using)
            search.rebuild_index(using=using)
        self.stdout.write(
            f"Search index rebuilt: {total} organizations, {changed} with a new search text, "
            f"in {time.perf_counter() - started:.1f} s."
        )

    def _save(self, batch: list[Organization], using: str) -> int:
        count = len(batch)
        if batch:
            Organization.objects.using(using).bulk_update(batch, DERIVED)
            batch.clear()
        return count
