"""Make the event log append-only in the database too, not only in the application.

PostgreSQL refuses UPDATE and DELETE on event rows (TRUNCATE, used by test flushes and
restores, is a table operation and stays possible). SQLite refuses UPDATE; DELETE is left
to the application there because Django empties SQLite tables with DELETE between tests.
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION problems_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'problem events are append-only (% refused)', TG_OP;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER problems_event_append_only
    BEFORE UPDATE OR DELETE ON problems_problemevent
    FOR EACH ROW EXECUTE FUNCTION problems_event_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS problems_event_append_only ON problems_problemevent;
DROP FUNCTION IF EXISTS problems_event_append_only();
"""
SQLITE_CREATE = """
CREATE TRIGGER problems_event_append_only BEFORE UPDATE ON problems_problemevent
BEGIN
    SELECT RAISE(ABORT, 'problem events are append-only (UPDATE refused)');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS problems_event_append_only;"


def _run(schema_editor, postgresql: str, sqlite: str) -> None:
    sql = {"postgresql": postgresql, "sqlite": sqlite}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)


def create(apps, schema_editor):
    _run(schema_editor, PG_CREATE, SQLITE_CREATE)


def drop(apps, schema_editor):
    _run(schema_editor, PG_DROP, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("problems", "0003_problem_child_count_indexes")]
    operations = [migrations.RunPython(create, drop)]
