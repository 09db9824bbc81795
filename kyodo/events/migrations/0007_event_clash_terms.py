"""``Event.clash_terms``: the terms by which the clash check of an event finds the others
(``kyodo.events.coordination.clash_terms``), their index, and the terms of the existing
events.

The index (``coordination.HasClashTerms``): on PostgreSQL a GIN index on the terms as an
array; on SQLite an FTS5 table of its own (``coordination.CLASH_TERMS_FTS``, the event id
as rowid), written by the code that writes the column rather than by triggers, which
Django's rebuild of a SQLite table for a later change of ``Event`` would drop.
"""

from django.db import migrations, models

INDEX = "event_clash_terms"
FTS = "events_clash_terms"
# Every character but whitespace and control characters is part of a token, so that each
# space-separated term (a bigram, t:topic, a:audience, m:2026-10) is exactly one token.
TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* M* N* P* S* Co Cf Cn Cs'"


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON events_event "
            "USING gin (string_to_array(clash_terms, ' '))"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(terms, tokenize=\"{TOKENIZER}\")"
        )


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


def fill(apps, schema_editor):
    from kyodo.events.coordination import store_clash_terms

    store_clash_terms(apps)


class Migration(migrations.Migration):
    dependencies = [("events", "0006_event_clashes")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="clash_terms",
            field=models.TextField(blank=True, editable=False, verbose_name="clash terms"),
        ),
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
