"""SQL of the organization search index, per database vendor (see
``kyodo/organizations/search.py``).

Used by migration 0005. On SQLite the index is an FTS5 table with external content, kept
in step by triggers on the organization table; Django rebuilds a SQLite table (and so
drops its triggers) for most changes of its columns, so a later migration that alters
``Organization`` must end with ``migrations.RunPython(install, uninstall)`` of this
module again (the test ``test_the_search_index_and_its_triggers_are_installed`` fails
until it does). On PostgreSQL the index is a GIN index on an expression of the table and
needs no upkeep.
"""

from __future__ import annotations

from typing import Any

# Every character but whitespace and control characters is part of a token, so that
# each space-separated bigram is exactly one token; no case or diacritic folding beyond
# what search_text already did.
TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* M* N* P* S* Co Cf Cn Cs'"

SQLITE_INSTALL = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS organizations_search USING fts5(
        search_tokens,
        content='organizations_organization',
        content_rowid='id',
        tokenize="{TOKENIZER}"
    )""",
    """CREATE TRIGGER IF NOT EXISTS organizations_search_insert
    AFTER INSERT ON organizations_organization BEGIN
        INSERT INTO organizations_search(rowid, search_tokens)
        VALUES (new.id, new.search_tokens);
    END""",
    """CREATE TRIGGER IF NOT EXISTS organizations_search_delete
    AFTER DELETE ON organizations_organization BEGIN
        INSERT INTO organizations_search(organizations_search, rowid, search_tokens)
        VALUES ('delete', old.id, old.search_tokens);
    END""",
    """CREATE TRIGGER IF NOT EXISTS organizations_search_update
    AFTER UPDATE OF search_tokens ON organizations_organization
    WHEN old.search_tokens IS NOT new.search_tokens BEGIN
        INSERT INTO organizations_search(organizations_search, rowid, search_tokens)
        VALUES ('delete', old.id, old.search_tokens);
        INSERT INTO organizations_search(rowid, search_tokens)
        VALUES (new.id, new.search_tokens);
    END""",
    # The table may have been rebuilt without the triggers: index what it holds now.
    "INSERT INTO organizations_search(organizations_search) VALUES ('rebuild')",
    "ANALYZE organizations_organization",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS organizations_search_update",
    "DROP TRIGGER IF EXISTS organizations_search_delete",
    "DROP TRIGGER IF EXISTS organizations_search_insert",
    "DROP TABLE IF EXISTS organizations_search",
]
POSTGRES_INSTALL = [
    """CREATE INDEX IF NOT EXISTS organization_search_tokens ON organizations_organization
    USING gin (string_to_array(search_tokens, ' '))""",
    "ANALYZE organizations_organization",
]
POSTGRES_UNINSTALL = ["DROP INDEX IF EXISTS organization_search_tokens"]

INSTALL = {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRES_INSTALL}
UNINSTALL = {"sqlite": SQLITE_UNINSTALL, "postgresql": POSTGRES_UNINSTALL}


def install(apps: Any, schema_editor: Any) -> None:
    for sql in INSTALL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def uninstall(apps: Any, schema_editor: Any) -> None:
    for sql in UNINSTALL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)
