"""The full-text index over search entries, in each database's own way.

PostgreSQL: a GIN index on the stored tsvector. SQLite: an FTS5 table with the Porter stemmer
("assessments" finds "assessment"), its content read from search_searchentry, and triggers that
keep it in step with every insert, update and delete of a row (upserts included).

A later migration that rebuilds search_searchentry on SQLite (SQLite alters a table by copying it)
drops these triggers: such a migration must create them again (FTS_SQL below).
"""

from django.db import migrations

FTS_COLUMNS = "title, key_text, body"
FTS_SQL = [
    f"CREATE VIRTUAL TABLE search_searchentry_fts USING fts5({FTS_COLUMNS}, content='search_searchentry', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_searchentry_fts_insert AFTER INSERT ON search_searchentry BEGIN "
    f"INSERT INTO search_searchentry_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, new.title, new.key_text, new.body); END",
    "CREATE TRIGGER search_searchentry_fts_delete AFTER DELETE ON search_searchentry BEGIN "
    f"INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, {FTS_COLUMNS}) "
    "VALUES ('delete', old.id, old.title, old.key_text, old.body); END",
    "CREATE TRIGGER search_searchentry_fts_update AFTER UPDATE ON search_searchentry BEGIN "
    f"INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, {FTS_COLUMNS}) "
    "VALUES ('delete', old.id, old.title, old.key_text, old.body); "
    f"INSERT INTO search_searchentry_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, new.title, new.key_text, new.body); END",
    "INSERT INTO search_searchentry_fts(search_searchentry_fts) VALUES ('rebuild')",
]
FTS_REVERSE = [
    "DROP TRIGGER IF EXISTS search_searchentry_fts_insert",
    "DROP TRIGGER IF EXISTS search_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS search_searchentry_fts_update",
    "DROP TABLE IF EXISTS search_searchentry_fts",
]
PG_SQL = ["CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector)"]
PG_REVERSE = ["DROP INDEX IF EXISTS search_entry_vector"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entry")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": FTS_SQL, "postgresql": PG_SQL}),
            _run({"sqlite": FTS_REVERSE, "postgresql": PG_REVERSE}),
        ),
    ]
