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
from collections.abc import Sequence
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
    fields = list(meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objects)],
        )
        for obj, (new_id,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = new_id
        makers = [_value_of(field) for field in fields]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([make(obj) for make in makers])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


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
    if isinstance(field, _AS_IS):
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)
