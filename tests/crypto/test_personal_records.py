"""The names of the persons in accountability records, commendations and cadre observations
are personal data: stored under SM4, and those written before encryption are encrypted in
place by the migration."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

from ducha.core.crypto import encrypt_plaintext_column
from tests.accountability.conftest import commended, proposed
from tests.cadres.personas import add_organisation, listed, observe


def _stored(model, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT person_name FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_every_name_of_a_person_is_stored_encrypted(world):
    add_organisation(world)
    observation = observe(world, person_name="龚守义")
    records = [
        proposed(world, person_name="周海明"),
        commended(world, person_name="韩晓琳"),
        observation,
        listed(world, observation),
    ]
    for record in records:
        raw = _stored(type(record), record.pk)
        assert raw.startswith("sm4v1:tests:"), type(record)
        assert record.person_name not in raw
        assert type(record).objects.get(pk=record.pk).person_name == record.person_name


def test_names_written_in_plain_text_before_are_encrypted_by_the_migration(world):
    # The migration's function; its editor is only asked for the connection and quoting.
    encrypt = encrypt_plaintext_column("accountability", "Accountability", "person_name")
    record = proposed(world, person_name="周海明")
    unit = proposed(world, subject_kind="unit", person_name="", person_post="")
    table = record._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET person_name = %s WHERE id = %s", ["周海明", record.pk])
    encrypt(apps, connection.schema_editor())
    raw = _stored(type(record), record.pk)
    assert raw.startswith("sm4v1:") and "周海明" not in raw
    assert type(record).objects.get(pk=record.pk).person_name == "周海明"
    # An empty name (a record about a unit) stays empty; nothing is encrypted twice.
    assert _stored(type(unit), unit.pk) == ""
    encrypt(apps, connection.schema_editor())
    assert _stored(type(record), record.pk) == raw
