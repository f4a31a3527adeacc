"""Inserting many new rows at once: `COPY` on PostgreSQL, `bulk_create` elsewhere.

Django's `bulk_create` sends PostgreSQL one array a column, and the driver adapts every
element in Python; for an import's problems and events that cost as much as the database's
own work. `COPY` passes the values as they are. The rows' ids are drawn from the table's
sequence first, so the objects come back with their primary keys as from `bulk_create`.

Rows of an immutable table are sealed into their hash chains first (decision 0017), in the
caller's transaction: `bulk_create` does it on the other databases.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any, TypeVar

from django.db import connection, models

from ducha.core import chains
from ducha.core.events import ImmutableEvent

M = TypeVar("M", bound=models.Model)

# Values psycopg writes into COPY as they are; any other field goes through Django's own
# preparation (`get_db_prep_save`), as `bulk_create` would do.
_AS_IS = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DurationField,
    models.ForeignKey,
    models.IntegerField,
    models.TextField,
    models.UUIDField,
)


def insert(model: type[M], objects: Sequence[M]) -> list[M]:
    """Insert new, unsaved `objects` (ids unset), setting their ids; no signals, like
    `bulk_create`. Related objects must be saved first (their ids are read as set)."""
    objects = list(objects)
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objects)
    meta = model._meta
    pk = meta.pk
    assert pk is not None and all(obj.pk is None for obj in objects)
    if issubclass(model, ImmutableEvent):
        # Before the ids are drawn: a chain's rows then have ids in their chain's order.
        chains.seal(model, objects, connection.alias)
    table = connection.ops.quote_name(meta.db_table)
    # Fields whose values pass as they are first, read by one `attrgetter` a row (in C);
    # the others after them, each through its own preparation.
    fields = list(meta.concrete_fields)
    plain = [field for field in fields if isinstance(field, _AS_IS)]
    prepared = [field for field in fields if not isinstance(field, _AS_IS)]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in (*plain, *prepared))
    with connection.cursor() as cursor:
        # The sequence named once, not once a row (pg_get_serial_sequence is only stable).
        cursor.execute(
            "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) "
            "SELECT nextval(s.seq) FROM s, generate_series(1, %s)",
            [meta.db_table, pk.column, len(objects)],
        )
        for obj, (new_id,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = new_id
        read = _reader([field.attname for field in plain])
        makers = [_value_of(field) for field in prepared]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row((*read(obj), *[make(obj) for make in makers]))
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def insert_values(model: type[M], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows given as values of `columns` (attnames: `batch_id`, not `batch`), the id
    and any other column left to its database default: for rows nobody reads back, with no
    model instance built for each. Values must be what the column stores (no preparation)."""
    rows = list(rows)
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows]
        )
        return
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    names = ", ".join(connection.ops.quote_name(str(by_attname[c].column)) for c in columns)
    table = connection.ops.quote_name(meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _reader(attnames: list[str]) -> Any:
    if len(attnames) == 1:  # attrgetter of one name returns the value, not a tuple
        one = attrgetter(attnames[0])
        return lambda obj: (one(obj),)
    return attrgetter(*attnames)


def _value_of(field: models.Field) -> Any:
    attname = field.attname
    if isinstance(field, models.DateTimeField | models.DateField) and (
        field.auto_now or field.auto_now_add
    ):
        return lambda obj: field.pre_save(obj, add=True)
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def document(obj: Any) -> str | None:
            value = getattr(obj, attname)
            return None if value is None else json.dumps(value, cls=encoder, ensure_ascii=False)

        return document
    if isinstance(field, models.DateTimeField):
        # Aware moments pass as they are; anything else the way Django would store it.
        def moment(obj: Any) -> Any:
            value = getattr(obj, attname)
            if value is None or getattr(value, "tzinfo", None) is not None:
                return value
            return field.get_db_prep_save(value, connection)

        return moment
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)
