"""Keeping the rollup tables: the change of one problem, or all of them rebuilt.

`record_change(before, after)` runs inside every problem action's transaction. It adds to
each affected row the difference of the problem's contributions in one INSERT … ON CONFLICT
DO UPDATE per table and group of levels (rows from arrays on PostgreSQL, a VALUES list on
SQLite), rows in one fixed order so that two actions lock shared rows in the same order.

Under `deferred()` (imports, the demo load, revisit draws) the changes of many problems are
summed in memory instead and each row is written once when the block ends, still in key
order: the shared rows up to the country's are locked for the last moments of the
transaction only, not for every problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from django.db import connection, transaction

from ducha.problems.rollups import horizon
from ducha.problems.rollups.cells import (
    DUE_MEASURES,
    MEASURES,
    CellKey,
    DueKey,
    Vector,
    Window,
    accumulate,
    contributions,
    contributions_many,
    difference,
    nonzero,
)
from ducha.problems.rollups.choices import Grain
from ducha.problems.rollups.facts import Facts
from ducha.problems.rollups.models import DueCell, RollupCell

CELL_KEYS = ("scope_level", "scope_id", "dim", "key")
DUE_KEYS = (*CELL_KEYS, "grain", "bucket")
BATCH = 500
# Scope levels written together, in this order (see `add_rows`): below the province, the
# province, the country.
LOCK_GROUPS = ((2, 99), (1, 1), (0, 0))
_HOUR_GRAIN = int(Grain.HOUR)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _conflict_update(table: str, keys: Sequence[str], measures: Sequence[str]) -> str:
    updates = ", ".join(f"{_q(m)} = {_q(table)}.{_q(m)} + excluded.{_q(m)}" for m in measures)
    return f"ON CONFLICT ({', '.join(_q(k) for k in keys)}) DO UPDATE SET {updates}"


# The statements' text depends on the table and the number of rows only: built once (quoting
# 60 names a statement took longer than PostgreSQL took to run it).
@cache
def _upsert_sql(table: str, keys: Sequence[str], measures: Sequence[str], rows: int) -> str:
    columns = ", ".join(_q(c) for c in (*keys, *measures))
    one = "(" + ", ".join(["%s"] * (len(keys) + len(measures))) + ")"
    return (
        f"INSERT INTO {_q(table)} ({columns}) VALUES {', '.join([one] * rows)} "
        + _conflict_update(table, keys, measures)
    )


@cache
def _unnest_sql(table: str, keys: Sequence[str], measures: Sequence[str]) -> str:
    # One array a column: a short statement whatever the rows, which PostgreSQL reads in
    # the arrays' order (the lock order below).
    columns = (*keys, *measures)
    arrays = ", ".join(["%s::bigint[]"] * len(columns))
    return (
        f"INSERT INTO {_q(table)} ({', '.join(_q(c) for c in columns)}) "
        f"SELECT * FROM unnest({arrays}) " + _conflict_update(table, keys, measures)
    )


def _unnest_statement(
    model: Any, keys: Sequence[str], measures: Sequence[str], rows: dict
) -> tuple[str, list[str]]:
    flat = [(*key, *vector) for key, vector in sorted(rows.items())]
    # Array literals written here: the driver's per-element adaptation of long lists costs
    # more than the statement.
    columns = ["{" + ",".join(map(str, column)) + "}" for column in zip(*flat, strict=True)]
    return _unnest_sql(model._meta.db_table, keys, measures), columns


def _add_in_batches(
    cursor: Any, model: Any, keys: Sequence[str], measures: Sequence[str], rows: dict
) -> None:
    ordered = sorted(rows.items())
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start : start + BATCH]
        params: list[int] = []
        for key, vector in chunk:
            params.extend(key)
            params.extend(vector)
        cursor.execute(_upsert_sql(model._meta.db_table, keys, measures, len(chunk)), params)


def _parts(cells: dict[CellKey, Vector], due: dict[DueKey, Vector]) -> list[tuple]:
    """(model, keys, measures, rows) of each statement, in the lock order of `add_rows`."""
    parts: list[tuple[Any, Sequence[str], Sequence[str], dict]] = []
    for low, high in LOCK_GROUPS:
        part_cells = {k: v for k, v in cells.items() if low <= k[0] <= high}
        if part_cells:
            parts.append((RollupCell, CELL_KEYS, MEASURES, part_cells))
        part_due = {k: v for k, v in due.items() if low <= k[0] <= high}
        if part_due:
            parts.append((DueCell, DUE_KEYS, DUE_MEASURES, part_due))
    return parts


def _send(statements: list[tuple[str, list[str]]]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "; ".join(sql for sql, _ in statements),
            [param for _, params in statements for param in params],
        )


def add_rows(cells: dict[CellKey, Vector], due: dict[DueKey, Vector]) -> None:
    """Add these rows, in the one order every writer keeps: the regions below a province
    first, then the provinces', then the country's, each group a table after the other.

    The rows shared most widely are locked last, so a large write (an import's chunk) holds
    them only for its last statements and its commit, and two writers never wait for each
    other in a circle. On PostgreSQL the statements travel in one round trip (the cursor
    binds client-side) and still run one after the other, in that order.
    """
    parts = _parts(cells, due)
    if not parts:
        return
    if connection.vendor == "postgresql":
        _send([_unnest_statement(*part) for part in parts])
        return
    with connection.cursor() as cursor:
        for part in parts:
            _add_in_batches(cursor, *part)


@cache
def _within_horizon(sql: str) -> str:
    # Hour rows after the horizon are left out by the statement itself (none at all when no
    # horizon is stored: the comparison with NULL keeps nothing). Days before today were
    # left out by the caller's window.
    head, conflict = sql.split(" ON CONFLICT ", 1)
    columns = ", ".join(_q(c) for c in (*DUE_KEYS, *DUE_MEASURES))
    return (
        f"{head} AS u({columns}) WHERE u.{_q('grain')} <> {_HOUR_GRAIN} "
        f"OR u.{_q('bucket')} < {horizon.END_HOUR_SQL} ON CONFLICT {conflict}"
    )


def add_change(cells: dict[CellKey, Vector], due: dict[DueKey, Vector]) -> None:
    """`add_rows` for a change counted in `horizon.open_window()` (PostgreSQL, inside the
    transaction): the horizon's shared lock comes first in the same round trip, and the due
    statements keep the hour buckets up to the horizon as the lock lets them read it.

    One round trip instead of two (`horizon.window()` then the rows); the same rows, since
    whether an hour bucket is kept depends on its key alone.
    """
    parts = _parts(cells, due)
    if not parts:
        return
    statements: list[tuple[str, list[str]]] = [(horizon.LOCK_SHARED_SQL, [])]
    for part in parts:
        sql, params = _unnest_statement(*part)
        statements.append((_within_horizon(sql) if part[0] is DueCell else sql, params))
    _send(statements)


class _Pending:
    """Changes summed under `deferred()`, not yet written."""

    def __init__(self) -> None:
        self.cells: dict[CellKey, Vector] = {}
        self.due: dict[DueKey, Vector] = {}
        self._window: Window | None = None

    @property
    def window(self) -> Window:
        # Read once, at the first change: the lock it takes lasts to the commit.
        if self._window is None:
            self._window = horizon.window()
        return self._window

    def add(self, cells: dict[CellKey, Vector], due: dict[DueKey, Vector], sign: int) -> None:
        """Add `sign` × these rows. The first rows added are kept as they are, not copied
        (an import's chunk adds all its problems at once): callers hand over sums built for
        the call, and summing never changes a vector in place."""
        if sign == 1 and not self.cells and not self.due:
            self.cells, self.due = cells, due
            return
        accumulate(self.cells, cells, sign)
        accumulate(self.due, due, sign)


_pending: ContextVar[_Pending | None] = ContextVar("rollups_pending", default=None)


def record_change(before: Facts | None, after: Facts | None) -> None:
    """Bring the tables in step with one problem's change; part of the action's transaction."""
    if before == after:
        return
    pending = _pending.get()
    if pending is None:
        if horizon.reads_in_statements():
            add_change(*difference(before, after, horizon.open_window()))
        else:
            add_rows(*difference(before, after, horizon.window()))
        return
    for facts, sign in ((after, 1), (before, -1)):
        if facts is not None:
            pending.add(*contributions(facts, pending.window), sign)


def record_new(all_facts: Iterable[Facts]) -> None:
    """Count new problems in the tables: `record_change(None, facts)` of each, summed at once."""
    pending = _pending.get()
    cells, due = contributions_many(
        all_facts, horizon.window() if pending is None else pending.window
    )
    if pending is None:
        add_rows(nonzero(cells), nonzero(due))
    else:
        pending.add(cells, due, 1)


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
    """The tables as they stand, without rows that sum to nothing and without the hour
    buckets of days before today (left behind, never read: see `horizon`)."""
    first_hour = horizon.today() * 24
    cells = {
        tuple(row[:4]): list(row[4:])
        for row in RollupCell.objects.values_list(*CELL_KEYS, *MEASURES).iterator(10000)
        if any(row[4:])
    }
    due = {
        tuple(row[:6]): list(row[6:])
        for row in DueCell.objects.values_list(*DUE_KEYS, *DUE_MEASURES).iterator(10000)
        if any(row[6:]) and (row[4] != Grain.HOUR or row[5] >= first_hour)
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
