"""Fill ``Event.title_bigrams`` of the existing events from their titles.

The rule is ``kyodo.events.coordination.bigram_text``, which ``Event.save()`` applies from
now on. Should that rule change, a later migration like this one refills the column.
"""

import itertools

from django.db import migrations

CHUNK = 1000


def fill(apps, schema_editor):
    from kyodo.events.coordination import bigram_text

    Event = apps.get_model("events", "Event")
    rows = Event.objects.using(schema_editor.connection.alias).order_by("pk")
    pending = (
        Event(pk=pk, title_bigrams=bigram_text(title))
        for pk, title in rows.values_list("pk", "title").iterator()
    )
    while batch := list(itertools.islice(pending, CHUNK)):
        Event.objects.using(schema_editor.connection.alias).bulk_update(batch, ["title_bigrams"])


def empty(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Event.objects.using(schema_editor.connection.alias).update(title_bigrams="")


class Migration(migrations.Migration):
    dependencies = [("events", "0004_calendar_indexes_and_title_bigrams")]

    operations = [migrations.RunPython(fill, empty)]
