"""The daily-cycle log moves to the shared append-only mechanism (decision 0014).

0002 installed triggers of its own, refusing UPDATE and DELETE on PostgreSQL but only UPDATE
on SQLite. They are replaced by `AppendOnly`, which refuses both on both databases. 0002 is
left as it was: databases that ran it keep its history, and reversing this migration puts
its triggers back.
"""

from django.db import migrations

from ducha.core.append_only import AppendOnly

# 0002's triggers, by database: what is dropped here and recreated on the way back.
LEGACY = {
    "postgresql": (
        """
        DROP TRIGGER IF EXISTS daily_event_append_only ON daily_dailyevent;
        DROP FUNCTION IF EXISTS daily_event_append_only();
        """,
        """
        CREATE OR REPLACE FUNCTION daily_event_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'daily-cycle events are append-only (% refused)', TG_OP;
        END
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER daily_event_append_only
            BEFORE UPDATE OR DELETE ON daily_dailyevent
            FOR EACH ROW EXECUTE FUNCTION daily_event_append_only();
        """,
    ),
    "sqlite": (
        "DROP TRIGGER IF EXISTS daily_event_append_only;",
        """
        CREATE TRIGGER daily_event_append_only BEFORE UPDATE ON daily_dailyevent
        BEGIN
            SELECT RAISE(ABORT, 'daily-cycle events are append-only (UPDATE refused)');
        END;
        """,
    ),
}


def drop_legacy(apps, schema_editor):
    schema_editor.execute(LEGACY[schema_editor.connection.vendor][0], params=None)


def restore_legacy(apps, schema_editor):
    schema_editor.execute(LEGACY[schema_editor.connection.vendor][1], params=None)


class Migration(migrations.Migration):
    dependencies = [("daily", "0002_event_append_only")]
    operations = [
        migrations.RunPython(drop_legacy, restore_legacy),
        AppendOnly("DailyEvent"),
    ]
