"""Token events are append-only in the database too (decisions 0014 and 0015)."""

from django.db import migrations

from ducha.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_token_events")]
    operations = [AppendOnly("TokenEvent")]
