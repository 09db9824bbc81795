"""The clashing pairs of the network (``EventClash``), stored so that the network report
counts and ranks them instead of comparing a fiscal year's events again; the pairs of the
existing events are stored with the sweep (``kyodo.events.coordination.rebuild_clashes``).
"""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from kyodo.events.coordination import rebuild_clashes

    rebuild_clashes(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_fill_title_bigrams"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventClash",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("score", models.FloatField(verbose_name="score")),
                (
                    "first",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.event",
                    ),
                ),
                (
                    "second",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.event",
                    ),
                ),
            ],
            options={
                "verbose_name": "clashing pair of events",
                "verbose_name_plural": "clashing pairs of events",
                "indexes": [
                    models.Index(fields=["second"], name="clash_second"),
                    models.Index(fields=["-score", "first", "second"], name="clash_best_first"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("first", "second"), name="clash_once"),
                    models.CheckConstraint(
                        condition=models.Q(("first__lt", models.F("second"))),
                        name="clash_lower_id_first",
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
