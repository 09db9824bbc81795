"""Fill ``search_tokens`` of the existing records from their ``search_text``.

The bigrams are computed here rather than imported, so that this migration keeps doing
what it did when the application code changes (the same rule as
``kyodo.organizations.search.index_tokens``).
"""

import itertools

from django.db import migrations

CHUNK = 1000


def _tokens(search_text):
    return " ".join(
        line[i : i + 2] for line in search_text.split("\n") for i in range(len(line) - 1)
    )


def fill(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    connection = schema_editor.connection
    table = connection.ops.quote_name(Organization._meta.db_table)
    rows = Organization.objects.using(connection.alias).order_by("pk")
    pending = (
        (_tokens(text), pk) for pk, text in rows.values_list("pk", "search_text").iterator()
    )
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(pending, CHUNK)):
            cursor.executemany(
                f"UPDATE {table} SET search_tokens = %s WHERE id = %s",  # noqa: S608
                batch,
            )


def empty(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    Organization.objects.using(schema_editor.connection.alias).update(search_tokens="")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_organization_search_tokens")]

    operations = [migrations.RunPython(fill, empty)]
