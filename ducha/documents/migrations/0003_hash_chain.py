"""Hash chains (decision 0017): the link columns of DocumentEvent, DocumentFile, DocumentProblem, the rows written before
sealed into their chains, and the append-only refusal lifted for that and put back.
"""

from django.db import migrations, models

from ducha.core.append_only import AppendOnly, Lifted
from ducha.core.chains import sealing_existing

MODELS = ["DocumentEvent", "DocumentFile", "DocumentProblem"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_hash_chain"),
        ("documents", "0002_records_append_only"),
    ]

    operations = [
        *(Lifted(name) for name in MODELS),
        migrations.AddField(
            model_name="documentevent",
            name="chain_seq",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="documentevent",
            name="chain_shard",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="documentevent",
            name="digest",
            field=models.CharField(editable=False, max_length=80, null=True),
        ),
        migrations.AddField(
            model_name="documentfile",
            name="chain_seq",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="documentfile",
            name="chain_shard",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="documentfile",
            name="digest",
            field=models.CharField(editable=False, max_length=80, null=True),
        ),
        migrations.AddField(
            model_name="documentproblem",
            name="chain_seq",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="documentproblem",
            name="chain_shard",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="documentproblem",
            name="digest",
            field=models.CharField(editable=False, max_length=80, null=True),
        ),
        *(sealing_existing("documents", name) for name in MODELS),
        *(AppendOnly(name) for name in MODELS),
    ]
