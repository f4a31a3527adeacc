"""Import events are append-only in the database too (decision 0014)."""

from django.db import migrations

from ducha.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_import_progress_lease")]
    operations = [AppendOnly("ImportEvent")]
