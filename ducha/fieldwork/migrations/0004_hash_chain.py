"""Hash chains (decision 0017): the link columns of FieldEvent, the rows written before
sealed into their chains, and the append-only refusal lifted for that and put back.
"""

from django.db import migrations, models

from ducha.core.append_only import AppendOnly, Lifted
from ducha.core.chains import sealing_existing

MODELS = ["FieldEvent"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_hash_chain"),
        ("fieldwork", "0003_event_append_only"),
    ]

    operations = [
        *(Lifted(name) for name in MODELS),
        migrations.AddField(
            model_name="fieldevent",
            name="chain_seq",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="fieldevent",
            name="chain_shard",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="fieldevent",
            name="digest",
            field=models.CharField(editable=False, max_length=80, null=True),
        ),
        *(sealing_existing("fieldwork", name) for name in MODELS),
        *(AppendOnly(name) for name in MODELS),
    ]
