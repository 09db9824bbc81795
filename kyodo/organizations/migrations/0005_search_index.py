"""The search index of organizations: an FTS5 table and its triggers on SQLite, a GIN
index on PostgreSQL (see ``_search_index_sql``); other databases search without it."""

from django.db import migrations

from kyodo.organizations.migrations._search_index_sql import install, uninstall


class Migration(migrations.Migration):
    dependencies = [("organizations", "0004_directory_order_index")]

    operations = [migrations.RunPython(install, uninstall)]
