"""Field-work events are append-only in the database too (decision 0014)."""

from django.db import migrations

from ducha.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0002_revisit_office")]
    operations = [AppendOnly("FieldEvent")]
