"""Dashboard figures read from the rollup tables in two round trips.

The first reads every line of every panel in one statement (with the hour horizon, which
says whether today's hour buckets are kept); the second reads the lights of
the lines shown (`lights.py`) and the names of what they show. The SQL is written out here
(the same on SQLite and PostgreSQL) so that a request costs what its queries cost: no ORM
compilation on the hot path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db import DatabaseError, router, transaction
from django.utils import timezone

from ducha.problems.rollups import horizon
from ducha.problems.rollups.cells import MEASURES, local_day, local_hour
from ducha.problems.rollups.choices import Dim
from ducha.problems.rollups.models import RollupCell
from ducha.reports import lights, names
from ducha.reports.figures import Counts, Figures, Spec
from ducha.reports.lights import Roots, Scope
from ducha.reports.sql import ints, q, reading_on, run_batch

CELLS = q(RollupCell._meta.db_table)
REPEAT_ORDER = "recurrences DESC, found DESC, key"
_COLUMNS = ", ".join(q(m) for m in MEASURES)
# Sums cast back to whole numbers: PostgreSQL sums bigints as numeric, slow to read.
_SUMS = ", ".join(f"CAST(SUM({q(m)}) AS BIGINT)" for m in MEASURES)
_ZEROS = ", ".join("0" for _ in MEASURES)
# The parts of the panels' statement that are lines of counts; the others are the trend's
# days and the p90.
LINE_PARTS = ("all", "child", "focus", "team", "unit", "site_repeat", "unit_repeat")
# Where the trend's measures are in a row (after the part and the key).
FOUND, CLOSED = 2 + MEASURES.index("found"), 2 + MEASURES.index("closed")


class RollupSource:
    """The figures of one or more whole scopes (the country, provinces, cities, counties)."""

    def __init__(self, roots: list[Scope], now: datetime | None = None) -> None:
        self.roots = roots
        self.now = now or timezone.now()
        self.key = tuple(roots)

    def compute(self, spec: Spec) -> Figures:
        children = tuple(spec.children or ())
        statement = _panels_sql(
            self.key, spec.top, spec.repeats_top, spec.first_day, spec.last_day, children
        )
        panel_rows, horizon_rows = run_batch([(statement, []), (horizon.LAST_DAY_SQL, [])])
        lines_of, trend, p90_hours = _read_panels(panel_rows)
        totals = lines_of["all"][0][1] if lines_of["all"] else Counts()
        by_child = {pk: Counts() for _, pk in children}
        by_child.update(lines_of["child"])
        focus_areas = dict(lines_of["focus"])
        teams = sorted(lines_of["team"], key=lambda row: (-row[1].found, row[0]))
        units = sorted(lines_of["unit"], key=lambda row: (-row[1].open, -row[1].found, row[0]))
        repeat_sites = _by_recurrence(lines_of["site_repeat"])
        repeat_units = _by_recurrence(lines_of["unit_repeat"])
        lines: lights.Lines = {"focus": focus_areas, "team": dict(teams), "unit": dict(units)}
        team_keys, unit_keys = tuple(sorted(lines["team"])), tuple(sorted(lines["unit"]))
        today, hour = local_day(self.now), local_hour(self.now)
        hours_kept = horizon.hours_kept(horizon_rows[0][0] if horizon_rows else None, today)
        bucket_rows, hour_rows, name_rows = run_batch(
            [
                (
                    lights.bucket_statement(
                        self.key,
                        children,
                        tuple(sorted(focus_areas)),
                        team_keys,
                        unit_keys,
                        today,
                        hour,
                        hours_kept,
                    ),
                    [],
                ),
                lights.last_hour_statement(
                    self.key, children, team_keys, unit_keys, self.now, hours_kept
                ),
                names.names_statement(
                    teams={pk for pk, _ in teams},
                    orgs={pk for pk, _ in (*units, *repeat_units)},
                    sites={pk for pk, _ in repeat_sites},
                ),
            ]
        )
        lights.apply(self.roots, totals, by_child, lines, bucket_rows, hour_rows)
        return Figures(
            totals=totals,
            children=by_child,
            focus_areas=focus_areas,
            teams=teams,
            units=units,
            trend=trend,
            p90_hours=p90_hours,
            repeat_sites=repeat_sites,
            repeat_units=repeat_units,
            names=names.parse(name_rows),
        )


Panels = dict[str, list[tuple[int, Counts]]]


def _read_panels(
    rows: list[tuple[Any, ...]],
) -> tuple[Panels, dict[int, tuple[int, int]], int | None]:
    """The lines of each part, the trend (day → found, closed) and the p90 hours."""
    lines_of: Panels = {part: [] for part in LINE_PARTS}
    days: dict[int, list[int]] = {}
    p90_hours = None
    for row in rows:
        part, key = row[0], row[1]
        if part in lines_of:
            lines_of[part].append((key, Counts(*row[2:])))
        elif part == "found_day":
            days.setdefault(key, [0, 0])[0] = row[FOUND]
        elif part == "closed_day":
            days.setdefault(key, [0, 0])[1] = row[CLOSED]
        else:  # "p90"
            p90_hours = key
    trend = {day: (found, closed) for day, (found, closed) in days.items() if found or closed}
    return lines_of, trend, p90_hours


@lru_cache(maxsize=256)
def _panels_sql(
    roots: Roots, top: int, repeats_top: int, first_day: int, last_day: int, children: Roots
) -> str:
    """Every panel's lines in one statement, each row tagged with its panel. (Kept per
    shape: a dashboard asked again writes the same statement.)"""
    parts = [
        _lines_sql(roots, "all", Dim.ALL, "found > 0"),
        _lines_sql(roots, "focus", Dim.FOCUS_AREA, "found > 0"),
        _lines_sql(roots, "team", Dim.TEAM, "found > 0", "found DESC, key", top),
        # The units with the most open problems first, read from the head of an index.
        _lines_sql(roots, "unit", Dim.UNIT, "found > 0", "open DESC, found DESC, key", top),
        _lines_sql(roots, "site_repeat", Dim.SITE, "recurrences > 0", REPEAT_ORDER, repeats_top),
        _lines_sql(
            roots,
            "unit_repeat",
            Dim.UNIT,
            "key <> 0 AND recurrences > 0",
            REPEAT_ORDER,
            repeats_top,
        ),
        _trend_sql(roots, first_day, last_day),
        _p90_sql(roots),
    ]
    if children:
        parts.append(_children_sql(list(children)))
    return " UNION ALL ".join(
        f"SELECT * FROM ({part}) AS part{number}" for number, part in enumerate(parts)
    )


def _by_recurrence(rows: list[tuple[int, Counts]]) -> list[tuple[int, Counts]]:
    return sorted(rows, key=lambda row: (-row[1].recurrences, -row[1].found, row[0]))


@lru_cache(maxsize=256)
def _scope_sql(roots: Roots) -> str:
    return (
        "("
        + " OR ".join(
            f"(scope_level = {int(level)} AND scope_id = {int(pk)})" for level, pk in roots
        )
        + ")"
    )


@lru_cache(maxsize=256)
def _lines_sql(
    roots: Roots, part: str, dim: int, having: str, order: str = "", limit: int = 0
) -> str:
    """One dimension's lines, filtered, ordered and cut; summed over several scopes. The
    dimension is written in, not bound: partial indexes are chosen by it."""
    single = len(roots) == 1
    measures = _COLUMNS if single else _SUMS
    sql = (
        f"SELECT '{part}' AS part, \"key\", {measures} FROM {CELLS} "
        f"WHERE {_scope_sql(roots)} AND dim = {int(dim)}"
    )
    if single:
        sql += f" AND {_expression(having, summed=False)}"
    else:
        sql += f' GROUP BY "key" HAVING {_expression(having, summed=True)}'
    if order:
        sql += f" ORDER BY {_expression(order, summed=not single)}"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return sql


def _trend_sql(roots: Roots, first_day: int, last_day: int) -> str:
    """Found per day found, closed per day closed: two dimensions of the same rows."""
    part = f"CASE dim WHEN {int(Dim.FOUND_DAY)} THEN 'found_day' ELSE 'closed_day' END"
    return (
        f'SELECT {part} AS part, "key", {_SUMS} FROM {CELLS} WHERE {_scope_sql(roots)} '
        f"AND dim IN ({int(Dim.FOUND_DAY)}, {int(Dim.CLOSED_DAY)}) "
        f'AND "key" BETWEEN {int(first_day)} AND {int(last_day)} '
        'GROUP BY dim, "key"'
    )


@lru_cache(maxsize=256)
def _p90_sql(roots: Roots) -> str:
    """The fewest whole hours within which 90% of the closed problems closed (nearest rank:
    the ⌈0.9 n⌉-th, written in integers for both databases)."""
    running = "SUM(closed) OVER" if len(roots) == 1 else "SUM(SUM(closed)) OVER"
    group = "" if len(roots) == 1 else ' GROUP BY "key"'
    rank = "(9 * SUM(closed) + 9)"
    return (
        f'SELECT \'p90\' AS part, "key", {_ZEROS} FROM (SELECT "key", {running} '
        f'(ORDER BY "key") AS running FROM {CELLS} WHERE {_scope_sql(roots)} '
        f"AND dim = {int(Dim.CLOSE_HOURS)}{group}) AS hours WHERE running > 0 AND running >= "
        f"(SELECT ({rank} - {rank} % 10) / 10 FROM {CELLS} WHERE {_scope_sql(roots)} "
        f'AND dim = {int(Dim.ALL)} AND "key" = 0) ORDER BY "key" LIMIT 1'
    )


def _children_sql(children: list[Scope]) -> str:
    by_level: dict[int, set[int]] = defaultdict(set)
    for level, pk in children:
        by_level[level].add(pk)
    parts = [
        f"(scope_level = {int(level)} AND scope_id IN ({ints(ids)}))"
        for level, ids in sorted(by_level.items())
    ]
    return (
        f"SELECT 'child' AS part, scope_id, {_COLUMNS} FROM {CELLS} "
        f'WHERE dim = {int(Dim.ALL)} AND "key" = 0 AND ({" OR ".join(parts)})'
    )


def _expression(expression: str, *, summed: bool) -> str:
    """`open > 0 AND key <> 0` in SQL: names quoted, measures summed over several scopes."""
    words = []
    for word in expression.replace(",", " , ").split():
        if word in MEASURES:
            words.append(f"SUM({q(word)})" if summed else q(word))
        elif word == "key":
            words.append(q(word))
        else:
            words.append(word)
    return " ".join(words).replace(" , ", ", ")


@contextmanager
def one_snapshot() -> Iterator[None]:
    """All of a dashboard's reads in one transaction; on PostgreSQL one snapshot too.

    The totals and the lines then add up even while actions commit. Parallel workers are
    turned off for it: its statements are small index scans, and starting workers would cost
    more than the scans. (SQLite is left alone: its transactions here begin IMMEDIATE and
    would make readers queue behind writers.) The snapshot is on the replica when the
    request may read there, else on the primary: every statement of the dashboard goes to
    the database chosen here (`sql.run_batch`, and the router for the ORM's reads).
    """
    with reading_on(router.db_for_read(RollupCell)) as reading, _snapshot(reading):
        yield


@contextmanager
def _snapshot(reading: Any) -> Iterator[None]:
    if reading.vendor != "postgresql":
        yield
        return
    if reading.in_atomic_block or not reading.get_autocommit():
        # Inside a caller's transaction its snapshot is the one to read: only the workers.
        with transaction.atomic(using=reading.alias), reading.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            yield
        return
    # In autocommit, the transaction is begun and ended by hand: one statement each way.
    # `atomic()` would add a round trip for its BEGIN and the bookkeeping of savepoints and
    # on-commit hooks, which a read-only snapshot has no use for; it is a good part of the
    # Python a dashboard costs. Nothing inside opens a transaction of its own.
    with reading.cursor() as cursor:
        cursor.execute(
            "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; "
            "SET LOCAL max_parallel_workers_per_gather = 0"
        )
        try:
            yield
        except BaseException:
            with suppress(DatabaseError):  # a broken connection: the first error tells
                cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")
