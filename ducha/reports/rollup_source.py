"""Dashboard figures read from the rollup tables in two round trips.

The first reads every line of every panel in one statement; the second reads the lights of
the lines shown (`lights.py`) and the names of what they show. The SQL is written out here
(the same on SQLite and PostgreSQL) so that a request costs what its queries cost: no ORM
compilation on the hot path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone

from ducha.reports import lights, names
from ducha.reports.cells import MEASURES
from ducha.reports.choices import Dim
from ducha.reports.figures import Counts, Figures, Spec
from ducha.reports.lights import LightKey, Scope
from ducha.reports.models import RollupCell
from ducha.reports.sql import Statement, ints, q, run_batch

CELLS = q(RollupCell._meta.db_table)
REPEAT_ORDER = "recurrences DESC, found DESC, key"
_COLUMNS = ", ".join(q(m) for m in MEASURES)
# Sums cast back to whole numbers: PostgreSQL sums bigints as numeric, slow to read.
_SUMS = ", ".join(f"CAST(SUM({q(m)}) AS BIGINT)" for m in MEASURES)
_ZEROS = ", ".join("0" for _ in MEASURES)


class RollupSource:
    """The figures of one or more whole scopes (the country, provinces, cities, counties)."""

    def __init__(self, roots: list[Scope], now: datetime | None = None) -> None:
        self.roots = roots
        self.now = now or timezone.now()
        self.key = tuple(roots)

    def compute(self, spec: Spec) -> Figures:
        rows: dict[str, list[tuple[int, Counts]]] = defaultdict(list)
        for part, key, *measures in run_batch([self._panels(spec)])[0]:
            rows[part].append((key, Counts.of(measures)))
        totals = rows["all"][0][1] if rows["all"] else Counts()
        children = {pk: Counts() for _, pk in spec.children or []}
        children.update(rows["child"])
        focus_areas = dict(rows["focus"])
        teams = sorted(rows["team"], key=lambda row: (-row[1].found, row[0]))
        units = sorted(rows["unit"], key=lambda row: (-row[1].open, -row[1].found, row[0]))
        figures = Figures(
            totals=totals,
            children=children,
            focus_areas=focus_areas,
            teams=teams,
            units=units,
            trend=_trend(rows),
            p90_hours=rows["p90"][0][0] if rows["p90"] else None,
            repeat_sites=_by_recurrence(rows["site_repeat"]),
            repeat_units=_by_recurrence(rows["unit_repeat"]),
        )
        lines: lights.Lines = {
            "focus": focus_areas,
            "team": dict(teams),
            "unit": dict(units),
        }
        bucket_rows, hour_rows, name_rows = run_batch(
            [
                lights.bucket_statement(self._lit_keys(lines, spec.children or []), self.now),
                lights.last_hour_statement(self.roots, self.now, lines, spec.children or []),
                names.names_statement(
                    teams={pk for pk, _ in teams},
                    orgs={pk for pk, _ in (*units, *figures.repeat_units)},
                    sites={pk for pk, _ in figures.repeat_sites},
                ),
            ]
        )
        lights.apply(self.roots, totals, children, lines, bucket_rows, hour_rows)
        figures.names = names.parse(name_rows)
        return figures

    def _lit_keys(self, lines: lights.Lines, child_scopes: list[Scope]) -> set[LightKey]:
        """The rollup keys of every line that shows lights."""
        keys: set[LightKey] = set(
            (level, pk, Dim.ALL, 0) for level, pk in [*self.roots, *child_scopes]
        )
        for level, pk in self.roots:
            for dim, name in ((Dim.FOCUS_AREA, "focus"), (Dim.TEAM, "team"), (Dim.UNIT, "unit")):
                keys.update((level, pk, dim, key) for key in lines[name])
        return keys

    def _panels(self, spec: Spec) -> Statement:
        """Every panel's lines in one statement, each row tagged with its panel."""
        roots = self.key
        parts = [
            _lines_sql(roots, "all", Dim.ALL, "found > 0"),
            _lines_sql(roots, "focus", Dim.FOCUS_AREA, "found > 0"),
            _lines_sql(roots, "team", Dim.TEAM, "found > 0", "found DESC, key", spec.top),
            # The units with the most open problems first, read from the head of an index.
            _lines_sql(
                roots, "unit", Dim.UNIT, "found > 0", "open DESC, found DESC, key", spec.top
            ),
            _lines_sql(
                roots, "site_repeat", Dim.SITE, "recurrences > 0", REPEAT_ORDER, spec.repeats_top
            ),
            _lines_sql(
                roots,
                "unit_repeat",
                Dim.UNIT,
                "key <> 0 AND recurrences > 0",
                REPEAT_ORDER,
                spec.repeats_top,
            ),
            _trend_sql(roots, spec.first_day, spec.last_day),
            _p90_sql(roots),
        ]
        if spec.children:
            parts.append(_children_sql(spec.children))
        sql = " UNION ALL ".join(
            f"SELECT * FROM ({part}) AS part{number}" for number, part in enumerate(parts)
        )
        return sql, []


def _trend(rows: dict[str, list[tuple[int, Counts]]]) -> dict[int, tuple[int, int]]:
    trend: dict[int, tuple[int, int]] = {}
    for day, counts in rows["found_day"]:
        trend[day] = (counts.found, trend.get(day, (0, 0))[1])
    for day, counts in rows["closed_day"]:
        trend[day] = (trend.get(day, (0, 0))[0], counts.closed)
    return {day: pair for day, pair in trend.items() if any(pair)}


def _by_recurrence(rows: list[tuple[int, Counts]]) -> list[tuple[int, Counts]]:
    return sorted(rows, key=lambda row: (-row[1].recurrences, -row[1].found, row[0]))


Roots = tuple[Scope, ...]


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
    would make readers queue behind writers.)
    """
    if connection.vendor != "postgresql":
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        settings = ["SET LOCAL max_parallel_workers_per_gather = 0"]
        if outermost:
            settings.insert(0, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # One round trip (no parameters: both go in one simple query).
        cursor.execute("; ".join(settings))
        yield
