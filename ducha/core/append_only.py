"""Append-only tables: the database itself refuses to change or delete their rows.

`ImmutableEvent` (core/events.py) refuses changes in the application; a migration operation
`AppendOnly("ProblemEvent")` adds the same refusal in the database, so that a raw query, a
shell session or a future bug cannot rewrite the record either (decision 0014):

    operations = [AppendOnly("TokenEvent")]

PostgreSQL gets one row trigger per table refusing UPDATE and DELETE; TRUNCATE is a table
operation that row triggers do not see, so test flushes and restores still work. SQLite gets
two triggers (UPDATE, DELETE). SQLite has no TRUNCATE: Django empties its tables with DELETE,
so the `flush` command lifts the DELETE triggers for its own transaction (`lifted_for_flush`,
used by core/management/commands/flush.py). Both databases answer a refused statement with
an integrity error. Another database is refused at migration time rather than left unguarded.

On SQLite, a migration that rebuilds the table (most field changes do) drops its triggers
with the old table: apply `AppendOnly` again after such a change. The append-only tests check
every immutable model against the live database, so a lost trigger fails them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import NotSupportedError, transaction
from django.db.migrations.operations.base import Operation

# The SQLite triggers' names end so; the flush finds the DELETE ones by it.
SQLITE_DELETE_SUFFIX = "_append_only_delete"


def _quoted(name: str) -> str:
    return f'"{name}"'


def _postgresql(table: str) -> tuple[list[str], list[str]]:
    name, table = _quoted(f"{table}_append_only"), _quoted(table)
    create = [
        f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'restrict_violation';
        END
        $$
        """,
        f"""
        CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {name}()
        """,
    ]
    drop = [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return create, drop


def _sqlite(table: str) -> tuple[list[str], list[str]]:
    create, drop = [], []
    for operation, suffix in (("UPDATE", "_append_only_update"), ("DELETE", SQLITE_DELETE_SUFFIX)):
        name = _quoted(f"{table}{suffix}")
        create.append(
            f"CREATE TRIGGER {name} BEFORE {operation} ON {_quoted(table)} BEGIN "
            f"SELECT RAISE(ABORT, '{table} is append-only ({operation} refused)'); END"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


def statements(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """The SQL that makes `table` append-only on `vendor`, and the SQL that undoes it."""
    if vendor == "postgresql":
        return _postgresql(table)
    if vendor == "sqlite":
        return _sqlite(table)
    raise NotSupportedError(f"append-only tables are not implemented for {vendor}")


class AppendOnly(Operation):
    """Refuse UPDATE and DELETE on the model's table, in the database. Reversible."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (type(self).__qualname__, [self.model_name], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # triggers are not part of Django's model state

    def _table(self, app_label: str, state: Any) -> str:
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        create, _ = statements(schema_editor.connection.vendor, self._table(app_label, to_state))
        for sql in create:
            schema_editor.execute(sql, params=None)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        _, drop = statements(schema_editor.connection.vendor, self._table(app_label, from_state))
        for sql in drop:
            schema_editor.execute(sql, params=None)

    def describe(self) -> str:
        return f"Refuse UPDATE and DELETE on {self.model_name} in the database"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_append_only"


@contextmanager
def lifted_for_flush(connection: Any) -> Iterator[None]:
    """SQLite's DELETE triggers set aside for one transaction that empties the database.

    Only the flush uses it: emptying every table is not an edit of the record (PostgreSQL's
    TRUNCATE passes the triggers likewise). The triggers are back before the transaction
    commits, and a failure rolls their removal back with the rest.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"%{SQLITE_DELETE_SUFFIX}"],
        )
        triggers = [
            (name, sql) for name, sql in cursor.fetchall() if name.endswith(SQLITE_DELETE_SUFFIX)
        ]
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        yield
        for _, sql in triggers:
            cursor.execute(sql)


class Lifted(AppendOnly):
    """The inverse of `AppendOnly`: the refusal removed, for a migration that must rewrite
    the table's rows (sealing the rows written before the hash chains, decision 0017) and
    applies `AppendOnly` again after."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        super().database_backwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Allow UPDATE and DELETE on {self.model_name} in the database, for a while"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_lifted"
