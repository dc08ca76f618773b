"""PostgreSQL: an index of the entries newest first, nulls last, as the results by date and the window of
newest matches ranked by relevance read them (search.engines.PostgresEngine.candidates): walked backwards,
the plain date index gives nulls first, so those queries sorted every match. SQLite cannot write NULLS
LAST in an index (and needs none: FTS5 answers its searches)."""

from django.db import migrations

PG_SQL = ["CREATE INDEX search_entry_newest ON search_searchentry (date DESC NULLS LAST)"]
PG_REVERSE = ["DROP INDEX IF EXISTS search_entry_newest"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_vector_written_by_postgresql")]

    operations = [migrations.RunPython(_run(PG_SQL), _run(PG_REVERSE))]
