"""SweepEvent rows are append-only in the database too (decision 0014)."""

from django.db import migrations

from ducha.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("sweeps", "0001_sweeps")]
    operations = [AppendOnly("SweepEvent")]
