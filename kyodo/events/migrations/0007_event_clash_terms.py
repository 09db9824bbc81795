"""``Event.clash_terms``: the terms by which the clash check of an event finds the others
(``kyodo.events.coordination.clash_terms``), filled for the existing events; on
PostgreSQL a GIN index on them as an array (``coordination.HasAnyTerm``). SQLite looks the
candidates up through the sessions and ``title_bigrams`` instead and needs no index.
"""

from django.db import migrations, models

INDEX = "event_clash_terms"


def fill(apps, schema_editor):
    from kyodo.events.coordination import store_clash_terms

    store_clash_terms(apps)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON events_event "
            "USING gin (string_to_array(clash_terms, ' '))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("events", "0006_event_clashes")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="clash_terms",
            field=models.TextField(blank=True, editable=False, verbose_name="clash terms"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
