"""The problem log moves to the shared append-only mechanism (decision 0014).

0004 installed triggers of its own, refusing UPDATE and DELETE on PostgreSQL but only UPDATE
on SQLite. They are replaced by `AppendOnly`, which refuses both on both databases. 0004 is
left as it was: databases that ran it keep its history, and reversing this migration puts
its triggers back.
"""

from django.db import migrations

from ducha.core.append_only import AppendOnly

# 0004's triggers, by database: what is dropped here and recreated on the way back.
LEGACY = {
    "postgresql": (
        """
        DROP TRIGGER IF EXISTS problems_event_append_only ON problems_problemevent;
        DROP FUNCTION IF EXISTS problems_event_append_only();
        """,
        """
        CREATE OR REPLACE FUNCTION problems_event_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'problem events are append-only (% refused)', TG_OP;
        END
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER problems_event_append_only
            BEFORE UPDATE OR DELETE ON problems_problemevent
            FOR EACH ROW EXECUTE FUNCTION problems_event_append_only();
        """,
    ),
    "sqlite": (
        "DROP TRIGGER IF EXISTS problems_event_append_only;",
        """
        CREATE TRIGGER problems_event_append_only BEFORE UPDATE ON problems_problemevent
        BEGIN
            SELECT RAISE(ABORT, 'problem events are append-only (UPDATE refused)');
        END;
        """,
    ),
}


def drop_legacy(apps, schema_editor):
    schema_editor.execute(LEGACY[schema_editor.connection.vendor][0], params=None)


def restore_legacy(apps, schema_editor):
    schema_editor.execute(LEGACY[schema_editor.connection.vendor][1], params=None)


class Migration(migrations.Migration):
    dependencies = [("problems", "0009_problem_site_area_closed_index")]
    operations = [
        migrations.RunPython(drop_legacy, restore_legacy),
        AppendOnly("ProblemEvent"),
    ]
