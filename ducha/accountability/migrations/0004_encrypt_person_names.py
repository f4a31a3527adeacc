"""Names of persons stored under SM4; those written before are encrypted in place."""

from django.db import migrations

import ducha.core.crypto
from ducha.core.crypto import encrypt_plaintext_column


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0003_builtin_kinds"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="accountability",
            name="accountability_person_named",
        ),
        migrations.RemoveConstraint(
            model_name="commendation",
            name="commendation_person_named",
        ),
        migrations.AlterField(
            model_name="accountability",
            name="person_name",
            field=ducha.core.crypto.EncryptedCharField(
                blank=True, default="", max_length=100, verbose_name="name"
            ),
        ),
        migrations.AlterField(
            model_name="commendation",
            name="person_name",
            field=ducha.core.crypto.EncryptedCharField(
                blank=True, default="", max_length=100, verbose_name="name"
            ),
        ),
        migrations.RunPython(
            encrypt_plaintext_column("accountability", "Accountability", "person_name"),
            migrations.RunPython.noop,
        ),
        migrations.RunPython(
            encrypt_plaintext_column("accountability", "Commendation", "person_name"),
            migrations.RunPython.noop,
        ),
    ]
