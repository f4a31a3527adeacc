"""Fast row loading: COPY on PostgreSQL, batched executemany elsewhere (SQLite)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

Row = tuple[Any, ...]


def columns_for(model: type[models.Model], attnames: Sequence[str]) -> list[str]:
    """The db columns for `attnames`, refusing to run if the model gained or lost a field."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    missing, extra = set(fields) - set(attnames), set(attnames) - set(fields)
    if missing or extra:
        raise SystemExit(
            f"{model.__name__} changed: the generator lacks {sorted(missing)} and has "
            f"unknown {sorted(extra)}; update bench/synth.py."
        )
    return [str(fields[name].column) for name in attnames]


class Loader:
    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"

    def write(self, model: type[models.Model], attnames: Sequence[str], rows: list[Row]) -> None:
        if not rows:
            return
        table = connection.ops.quote_name(model._meta.db_table)
        columns = columns_for(model, attnames)
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        if self.postgres:
            self._copy(model, table, quoted, attnames, rows)
        else:
            self._insert(model, table, quoted, attnames, rows)

    def _copy(
        self,
        model: type[models.Model],
        table: str,
        quoted: str,
        attnames: Sequence[str],
        rows: list[Row],
    ) -> None:
        json_at = [
            i
            for i, name in enumerate(attnames)
            if isinstance(_field(model, name), models.JSONField)
        ]
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    if json_at:
                        row = tuple(
                            json.dumps(v, ensure_ascii=False) if i in json_at else v
                            for i, v in enumerate(row)
                        )
                    copy.write_row(row)

    def _insert(
        self,
        model: type[models.Model],
        table: str,
        quoted: str,
        attnames: Sequence[str],
        rows: list[Row],
    ) -> None:
        fields = [_field(model, name) for name in attnames]
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
        prepared = [
            tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True))
            for row in rows
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(prepared), 2000):
                cursor.executemany(sql, prepared[start : start + 2000])

    @contextmanager
    def bulk_mode(self, tables: Sequence[type[models.Model]]) -> Iterator[None]:
        """On PostgreSQL, load without secondary indexes and foreign keys, then rebuild them.

        This is what pg_restore does: building an index once is far cheaper than updating
        twenty of them row by row, and one validating scan per foreign key replaces millions
        of deferred trigger checks. Definitions come from the catalogue, so what is rebuilt
        is exactly what the migrations created. Run it inside a transaction.
        """
        if not self.postgres:
            yield
            return
        saved: list[tuple[str, str, str, str]] = []
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for model in tables:
                table = model._meta.db_table
                for name, definition in _foreign_keys(cursor, table):
                    saved.append(("fk", table, name, definition))
                    cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                for name, definition in _secondary_indexes(cursor, table):
                    saved.append(("index", table, name, definition))
                    cursor.execute(f'DROP INDEX "{name}"')
        yield
        with connection.cursor() as cursor:
            for kind, _table, _name, definition in saved:
                if kind == "index":
                    cursor.execute(definition)
            for kind, table, name, definition in saved:
                if kind == "fk":
                    cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def _field(model: type[models.Model], attname: str) -> Any:
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


def _foreign_keys(cursor: Any, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    return list(cursor.fetchall())


def _secondary_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    """Indexes that no constraint owns (the primary key stays: COPY needs no help there)."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT EXISTS ("
        "  SELECT 1 FROM pg_constraint c"
        "  WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid"
        ") ORDER BY i.relname",
        [table],
    )
    return list(cursor.fetchall())


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    """Move id sequences past the ids the generator chose, so the app can insert again."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze(tables: Sequence[type[models.Model]]) -> None:
    """Fresh statistics, and on PostgreSQL a visibility map so counts can skip the heap."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in tables:
                cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
        else:
            cursor.execute("ANALYZE")
