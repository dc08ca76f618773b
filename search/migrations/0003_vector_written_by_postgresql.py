"""PostgreSQL writes each entry's weighted tsvector itself, in the same INSERT or UPDATE (a trigger),
rather than the service updating every row again after writing it: half the writes when the whole
index is rebuilt, and a vector that can never lag behind its row. SQLite: nothing (its FTS5 triggers
are in 0002)."""

from django.db import migrations

# The same configuration and weights as search.engines.PostgresEngine.
PG_SQL = [
    """
    CREATE FUNCTION search_entry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.vector := setweight(to_tsvector('english'::regconfig, coalesce(NEW.title, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, coalesce(NEW.key_text, '')), 'B')
            || setweight(to_tsvector('english'::regconfig, coalesce(NEW.body, '')), 'C');
        RETURN NEW;
    END
    $$
    """,
    "CREATE TRIGGER search_entry_vector BEFORE INSERT OR UPDATE OF title, key_text, body ON search_searchentry "
    "FOR EACH ROW EXECUTE FUNCTION search_entry_vector()",
    "UPDATE search_searchentry SET title = title",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS search_entry_vector ON search_searchentry",
    "DROP FUNCTION IF EXISTS search_entry_vector()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [migrations.RunPython(_run(PG_SQL), _run(PG_REVERSE))]
