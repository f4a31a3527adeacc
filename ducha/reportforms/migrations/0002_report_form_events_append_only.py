"""Report form events are append-only in the database too (decision 0014)."""

from django.db import migrations

from ducha.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("reportforms", "0001_forms_items_returns")]
    operations = [AppendOnly("ReportFormEvent")]
