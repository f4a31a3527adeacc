"""Hash chains (decision 0017): the link columns of DailyEvent, the rows written before
sealed into their chains, and the append-only refusal lifted for that and put back.
"""

from django.db import migrations, models

from ducha.core.append_only import AppendOnly, Lifted
from ducha.core.chains import sealing_existing

MODELS = ["DailyEvent"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_hash_chain"),
        ("daily", "0003_event_append_only_shared"),
    ]

    operations = [
        *(Lifted(name) for name in MODELS),
        migrations.AddField(
            model_name="dailyevent",
            name="chain_seq",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="dailyevent",
            name="chain_shard",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="dailyevent",
            name="digest",
            field=models.CharField(editable=False, max_length=80, null=True),
        ),
        *(sealing_existing("daily", name) for name in MODELS),
        *(AppendOnly(name) for name in MODELS),
    ]
