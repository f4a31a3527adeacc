"""Matter events are append-only in the database too (decision 0014)."""

from django.db import migrations

from ducha.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("matters", "0001_batches_matters_handovers")]
    operations = [AppendOnly("MatterEvent")]
