"""Hour buckets only from today to a horizon (docs/decisions/0023-hour-horizon.md).

Creates the one-row horizon at today plus DUCHA_DUE_HOUR_DAYS and drops the hour buckets
outside it; the rest of the tables is unchanged. The rows dropped were never read again
(days before today) or are counted in again by `horizon.advance` when their day comes near.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

EPOCH = date(1970, 1, 1)
HOUR = 1


def start_horizon(apps, schema_editor):
    HourHorizon = apps.get_model("reports", "HourHorizon")
    DueCell = apps.get_model("reports", "DueCell")
    now = datetime.now(UTC).astimezone(ZoneInfo(settings.TIME_ZONE))
    today = (now.date() - EPOCH).days
    last = today + getattr(settings, "DUCHA_DUE_HOUR_DAYS", 1)
    HourHorizon.objects.create(pk=1, last_day=last)
    DueCell.objects.filter(grain=HOUR, bucket__lt=today * 24).delete()
    DueCell.objects.filter(grain=HOUR, bucket__gte=(last + 1) * 24).delete()


def no_horizon(apps, schema_editor):
    # Back to hour buckets for every day: `manage.py rebuild_rollups` after reverting.
    apps.get_model("reports", "HourHorizon").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_due_rows_for_clocked_states")]

    operations = [
        migrations.CreateModel(
            name="HourHorizon",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("last_day", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(start_horizon, no_horizon),
    ]
