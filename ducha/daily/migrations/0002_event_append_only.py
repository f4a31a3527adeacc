"""The daily cycle's event log is append-only in the database too (as the problems' log).

PostgreSQL refuses UPDATE and DELETE on event rows (TRUNCATE stays possible for test flushes
and restores). SQLite refuses UPDATE; DELETE is left to the application there because Django
empties SQLite tables with DELETE between tests.
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION daily_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'daily-cycle events are append-only (% refused)', TG_OP;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER daily_event_append_only
    BEFORE UPDATE OR DELETE ON daily_dailyevent
    FOR EACH ROW EXECUTE FUNCTION daily_event_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS daily_event_append_only ON daily_dailyevent;
DROP FUNCTION IF EXISTS daily_event_append_only();
"""
SQLITE_CREATE = """
CREATE TRIGGER daily_event_append_only BEFORE UPDATE ON daily_dailyevent
BEGIN
    SELECT RAISE(ABORT, 'daily-cycle events are append-only (UPDATE refused)');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS daily_event_append_only;"


def _run(schema_editor, postgresql: str, sqlite: str) -> None:
    sql = {"postgresql": postgresql, "sqlite": sqlite}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)


def create(apps, schema_editor):
    _run(schema_editor, PG_CREATE, SQLITE_CREATE)


def drop(apps, schema_editor):
    _run(schema_editor, PG_DROP, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("daily", "0001_reports_summaries_events")]
    operations = [migrations.RunPython(create, drop)]
