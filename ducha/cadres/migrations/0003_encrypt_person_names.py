"""Names of persons stored under SM4; those written before are encrypted in place."""

from django.db import migrations

import ducha.core.crypto
from ducha.core.crypto import encrypt_plaintext_column


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0002_events_append_only"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="cadrecandidate",
            name="cadre_candidate_listed_once",
        ),
        migrations.AlterField(
            model_name="cadrecandidate",
            name="person_name",
            field=ducha.core.crypto.EncryptedCharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="cadreobservation",
            name="person_name",
            field=ducha.core.crypto.EncryptedCharField(max_length=100, verbose_name="name"),
        ),
        migrations.RunPython(
            encrypt_plaintext_column("cadres", "CadreObservation", "person_name"),
            migrations.RunPython.noop,
        ),
        migrations.RunPython(
            encrypt_plaintext_column("cadres", "CadreCandidate", "person_name"),
            migrations.RunPython.noop,
        ),
    ]
