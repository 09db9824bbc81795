"""The bigrams of ``search_text``, which the search index reads (filled by 0003)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="search_tokens",
            field=models.TextField(default="", editable=False),
        ),
    ]
