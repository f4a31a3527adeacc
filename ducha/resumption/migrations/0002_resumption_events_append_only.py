"""Resumption events are append-only in the database too (decision 0014)."""

from django.db import migrations

from ducha.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("resumption", "0001_enterprises_ledger_events")]
    operations = [AppendOnly("ResumptionEvent")]
