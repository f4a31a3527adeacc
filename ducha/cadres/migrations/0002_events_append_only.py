"""Cadre events are append-only in the database too (decision 0014)."""

from django.db import migrations

from ducha.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_observations_and_candidates")]
    operations = [AppendOnly("CadreEvent")]
