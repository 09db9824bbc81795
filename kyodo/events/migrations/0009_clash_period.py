"""The period of each stored pair (``EventClash.latest_start`` / ``earliest_end``): the
later of its events' first days and the earlier of their last days, filled from the
events' ``starts_on`` / ``ends_on``, which the sessions set. The network report counts
the pairs of a fiscal year from the index ``clash_period``
(``kyodo.events.coordination._count_and_rank``).
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    quote = schema_editor.connection.ops.quote_name
    clash = quote(apps.get_model("events", "EventClash")._meta.db_table)
    event = quote(apps.get_model("events", "Event")._meta.db_table)

    def of_pair(expression):
        return (
            f"(SELECT {expression} FROM {event} a, {event} b "  # noqa: S608
            f"WHERE a.id = {clash}.first_id AND b.id = {clash}.second_id)"
        )

    schema_editor.execute(
        f"UPDATE {clash} SET "  # noqa: S608
        "latest_start = "
        + of_pair("CASE WHEN a.starts_on > b.starts_on THEN a.starts_on ELSE b.starts_on END")
        + ", earliest_end = "
        + of_pair("CASE WHEN a.ends_on < b.ends_on THEN a.ends_on ELSE b.ends_on END")
    )


class Migration(migrations.Migration):
    dependencies = [("events", "0008_session_calendar_nulls_first")]

    operations = [
        migrations.AddField(
            model_name="eventclash",
            name="earliest_end",
            field=models.DateField(null=True, verbose_name="earlier last day"),
        ),
        migrations.AddField(
            model_name="eventclash",
            name="latest_start",
            field=models.DateField(null=True, verbose_name="later first day"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="eventclash",
            index=models.Index(fields=["latest_start", "earliest_end"], name="clash_period"),
        ),
    ]
