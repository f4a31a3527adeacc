"""Every immutable table refuses UPDATE and DELETE in the database itself (decision 0014).

The application refuses them already (ImmutableEvent); these tests go around it with raw
SQL, on whichever database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL). The
tables are found from the models, so an immutable model added later is tested too and fails
until a migration applies `AppendOnly` to it.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction

from ducha.core.events import ImmutableEvent
from tests.census.county import build_county

IMMUTABLE = sorted(
    (model for model in apps.get_models() if issubclass(model, ImmutableEvent)),
    key=lambda model: model._meta.label,
)

# The seven of issue 10; more may follow, none may go.
SEVEN = {
    "problems.ProblemEvent",
    "daily.DailyEvent",
    "fieldwork.FieldEvent",
    "documents.DocumentEvent",
    "documents.DocumentProblem",
    "documents.DocumentFile",
    "ledger.ImportEvent",
}


def _installed() -> set[str]:
    """Names of the append-only triggers in the live database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall() if "_append_only" in name}


def _refused(sql: str, params: list) -> None:
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@pytest.fixture
def county(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_county(world)


def test_the_seven_tables_are_immutable_models():
    assert {model._meta.label for model in IMMUTABLE} >= SEVEN


def test_no_cascade_deletes_or_updates_an_immutable_row():
    """Deleting what a record points at is refused before any DELETE, not by the trigger."""
    loose = [
        f"{model._meta.label}.{field.name}"
        for model in IMMUTABLE
        for field in model._meta.concrete_fields
        if field.is_relation and field.remote_field.on_delete is not models.PROTECT
    ]
    assert not loose


@pytest.mark.django_db
@pytest.mark.parametrize("model", IMMUTABLE, ids=lambda model: model._meta.label)
def test_raw_sql_cannot_update_or_delete_a_row(county, model):
    table = model._meta.db_table
    rows = model._base_manager.order_by("pk")
    before = list(rows.values())
    assert before, f"tests/census/county.py writes no {model._meta.label} row"
    pk = before[0]["id"]
    column = next(f.column for f in model._meta.concrete_fields if not f.primary_key)

    _refused(f"UPDATE {table} SET {column} = {column} WHERE id = %s", [pk])
    _refused(f"UPDATE {table} SET id = id", [])
    _refused(f"DELETE FROM {table} WHERE id = %s", [pk])
    _refused(f"DELETE FROM {table}", [])
    assert list(rows.values()) == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flush_still_empties_the_database_and_leaves_the_triggers(county):
    """Django empties SQLite with DELETE (PostgreSQL with TRUNCATE), between tests too."""
    triggers = _installed()
    assert len(triggers) >= len(SEVEN)
    call_command("flush", interactive=False, verbosity=0)
    for model in IMMUTABLE:
        assert not model._base_manager.exists(), model._meta.label
    assert _installed() == triggers
