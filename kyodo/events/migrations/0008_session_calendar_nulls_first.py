"""On PostgreSQL, the ``session_calendar`` index in calendar order: all-day sessions (no
start time) first, as ``EventSessionQuerySet.in_calendar_order`` sorts them.

PostgreSQL puts NULLs last in an ascending index, so a query in calendar order could not
read the index in order: the month page's first sessions of each day read and sorted
every session of the day (about 400 in the benchmark's network) instead of the first
six. SQLite puts NULLs first already, and its ``CREATE INDEX`` has no ``NULLS FIRST``.
The index keeps its name and columns, so Django's migration state is unchanged.
"""

from django.db import migrations

COLUMNS = "date, start_time {}, id, event_id, is_cancelled"


def _recreate(schema_editor, order):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS session_calendar")
    schema_editor.execute(
        f"CREATE INDEX session_calendar ON events_eventsession ({COLUMNS.format(order)})"
    )


def nulls_first(apps, schema_editor):
    _recreate(schema_editor, "NULLS FIRST")


def nulls_last(apps, schema_editor):
    _recreate(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("events", "0007_event_clash_terms")]

    operations = [migrations.RunPython(nulls_first, nulls_last)]
