"""Hash chains (decision 0017): the link columns of ImportEvent, the rows written before
sealed into their chains, and the append-only refusal lifted for that and put back.
"""

from django.db import migrations, models

from ducha.core.append_only import AppendOnly, Lifted
from ducha.core.chains import sealing_existing

MODELS = ["ImportEvent"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_hash_chain"),
        ("ledger", "0003_event_append_only"),
    ]

    operations = [
        *(Lifted(name) for name in MODELS),
        migrations.AddField(
            model_name="importevent",
            name="chain_seq",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="importevent",
            name="chain_shard",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="importevent",
            name="digest",
            field=models.CharField(editable=False, max_length=80, null=True),
        ),
        *(sealing_existing("ledger", name) for name in MODELS),
        *(AppendOnly(name) for name in MODELS),
    ]
