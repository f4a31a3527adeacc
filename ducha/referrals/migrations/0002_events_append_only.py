"""ReferralEvent rows are append-only in the database too (decision 0014)."""

from django.db import migrations

from ducha.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_referrals")]
    operations = [AppendOnly("ReferralEvent")]
