"""The directory's whole order in one index, so that no page sorts the records that share
a reading (see ``Organization.Meta.indexes``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_fill_search_tokens")]

    operations = [
        migrations.RemoveIndex(model_name="organization", name="organization_status_sort"),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["status", "name_reading_sort", "name", "id"],
                name="organization_directory_order",
            ),
        ),
    ]
