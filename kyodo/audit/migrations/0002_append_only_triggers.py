"""Database triggers that refuse UPDATE, DELETE (and TRUNCATE) on the audit log."""

from django.db import migrations

from kyodo.audit.migrations._append_only_sql import statements


def _run(enabled):
    def run(apps, schema_editor):
        for sql in statements(schema_editor.connection.vendor, enabled=enabled):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(_run(True), _run(False))]
