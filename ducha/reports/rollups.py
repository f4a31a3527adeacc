"""Keeping the rollup tables: the change of one problem, or all of them rebuilt.

`record_change(before, after)` runs inside every problem action's transaction. It adds to
each affected row the difference of the problem's contributions in one INSERT … ON CONFLICT
DO UPDATE per table (the same SQL on SQLite and PostgreSQL), rows in key order so that two
actions lock shared rows in the same order.

Under `deferred()` (imports, the demo load, revisit draws) the changes of many problems are
summed in memory instead and each row is written once when the block ends, still in key
order: the shared rows up to the country's are locked for the last moments of the
transaction only, not for every problem.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection, transaction

from ducha.reports.cells import (
    DUE_MEASURES,
    MEASURES,
    CellKey,
    DueKey,
    Vector,
    accumulate,
    difference,
    nonzero,
)
from ducha.reports.facts import Facts
from ducha.reports.models import DueCell, RollupCell

CELL_KEYS = ("scope_level", "scope_id", "dim", "key")
DUE_KEYS = (*CELL_KEYS, "grain", "bucket")
BATCH = 500


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _upsert_sql(table: str, keys: Sequence[str], measures: Sequence[str], rows: int) -> str:
    columns = ", ".join(_q(c) for c in (*keys, *measures))
    one = "(" + ", ".join(["%s"] * (len(keys) + len(measures))) + ")"
    updates = ", ".join(f"{_q(m)} = {_q(table)}.{_q(m)} + excluded.{_q(m)}" for m in measures)
    conflict = ", ".join(_q(k) for k in keys)
    return (
        f"INSERT INTO {_q(table)} ({columns}) VALUES {', '.join([one] * rows)} "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )


def _add(model: Any, keys: Sequence[str], measures: Sequence[str], rows: dict) -> None:
    ordered = sorted(rows.items())
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), BATCH):
            chunk = ordered[start : start + BATCH]
            params: list[int] = []
            for key, vector in chunk:
                params.extend(key)
                params.extend(vector)
            cursor.execute(_upsert_sql(model._meta.db_table, keys, measures, len(chunk)), params)


def add_rows(cells: dict[CellKey, Vector], due: dict[DueKey, Vector]) -> None:
    if cells:
        _add(RollupCell, CELL_KEYS, MEASURES, cells)
    if due:
        _add(DueCell, DUE_KEYS, DUE_MEASURES, due)


class _Pending:
    """Changes summed under `deferred()`, not yet written."""

    def __init__(self) -> None:
        self.cells: dict[CellKey, Vector] = {}
        self.due: dict[DueKey, Vector] = {}

    def add(self, cells: dict[CellKey, Vector], due: dict[DueKey, Vector]) -> None:
        accumulate(self.cells, cells, 1)
        accumulate(self.due, due, 1)


_pending: ContextVar[_Pending | None] = ContextVar("rollups_pending", default=None)


def record_change(before: Facts | None, after: Facts | None) -> None:
    """Bring the tables in step with one problem's change; part of the action's transaction."""
    if before == after:
        return
    cells, due = difference(before, after)
    pending = _pending.get()
    if pending is not None:
        pending.add(cells, due)
    else:
        add_rows(cells, due)


@contextmanager
def deferred() -> Iterator[None]:
    """Sum every `record_change` inside the block; write each row once when it ends.

    Must run inside the transaction that makes the changes (the rows are written before it
    commits). An error leaving the block writes nothing: the caller's transaction rolls back
    whatever the block did, so an action that fails inside must fail the whole block, not
    be caught within it. A nested block adds to the outer one, which writes.
    """
    if _pending.get() is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("deferred() rollup writes need the caller's transaction")
    pending = _Pending()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    add_rows(nonzero(pending.cells), nonzero(pending.due))


def lock_tables() -> None:
    """Hold off every action's rollup writes until the caller's transaction ends."""
    if connection.vendor == "postgresql":
        tables = ", ".join(_q(m._meta.db_table) for m in (RollupCell, DueCell))
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
    # SQLite: the project's transactions begin IMMEDIATE and hold the one write lock.


@transaction.atomic
def replace_all(cells: dict[CellKey, Vector], due: dict[DueKey, Vector]) -> None:
    """Empty both tables and write these rows instead (the caller holds `lock_tables`)."""
    RollupCell.objects.all().delete()
    DueCell.objects.all().delete()
    add_rows(cells, due)


def stored() -> tuple[dict[CellKey, Vector], dict[DueKey, Vector]]:
    """The tables as they stand, without rows that sum to nothing."""
    cells = {
        tuple(row[:4]): list(row[4:])
        for row in RollupCell.objects.values_list(*CELL_KEYS, *MEASURES).iterator(10000)
        if any(row[4:])
    }
    due = {
        tuple(row[:6]): list(row[6:])
        for row in DueCell.objects.values_list(*DUE_KEYS, *DUE_MEASURES).iterator(10000)
        if any(row[6:])
    }
    return cells, due


def differences(
    expected: tuple[dict, dict], actual: tuple[dict, dict], limit: int = 20
) -> list[str]:
    """Rows on which two versions of the tables disagree, described for a person."""
    found: list[str] = []
    for name, measures, want, have in (
        ("rollup", MEASURES, expected[0], actual[0]),
        ("due", DUE_MEASURES, expected[1], actual[1]),
    ):
        zero = [0] * len(measures)
        for key in sorted(set(want) | set(have)):
            wanted, stored_row = want.get(key, zero), have.get(key, zero)
            if wanted != stored_row:
                changes = ", ".join(
                    f"{measure} {a} ≠ {b}"
                    for measure, a, b in zip(measures, wanted, stored_row, strict=True)
                    if a != b
                )
                found.append(f"{name} {tuple(int(part) for part in key)}: {changes}")
                if len(found) >= limit:
                    return found
    return found
