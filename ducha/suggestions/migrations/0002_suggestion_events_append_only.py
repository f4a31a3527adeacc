"""Suggestion events are append-only in the database too (decision 0014)."""

from django.db import migrations

from ducha.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_suggestions_rules_events")]
    operations = [AppendOnly("SuggestionEvent")]
