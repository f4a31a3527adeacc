"""Dashboard figures read from the rollup tables: a handful of small indexed reads.

The SQL is written out here (one statement per panel, the same on SQLite and PostgreSQL) so
that a request costs what its queries cost: no ORM compilation on the hot path. Lights come
from the deadline buckets before the current hour plus the open problems whose moment came
within it (read from the problems themselves, a few rows at most).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.problems.choices import OPEN_STATES
from ducha.problems.models import Problem
from ducha.reports.cells import MEASURES, local_day, local_hour
from ducha.reports.choices import Dim, Grain
from ducha.reports.figures import Counts, Figures, Spec, nearest_rank
from ducha.reports.models import DueCell, RollupCell

Scope = tuple[int, int]  # (level, id); (0, 0) is the whole country
LightKey = tuple[int, int, int, int]  # scope level, scope id, dim, key


def _q(name: str) -> str:
    # SQLite and PostgreSQL quote identifiers alike.
    return f'"{name}"'


CELLS = _q(RollupCell._meta.db_table)
DUE = _q(DueCell._meta.db_table)
PROBLEMS = _q(Problem._meta.db_table)


@lru_cache(maxsize=256)
def _scope_sql(roots: int) -> str:
    return "(" + " OR ".join(["(scope_level = %s AND scope_id = %s)"] * roots) + ")"


@lru_cache(maxsize=256)
def _rows_sql(roots: int, having: str, order: str, limit: int) -> str:
    """One dimension's lines; measures are summed when several scopes are added up."""
    single = roots == 1
    columns = [_q(m) for m in MEASURES]
    measures = ", ".join(columns if single else [f"SUM({c})" for c in columns])
    sql = f'SELECT "key", {measures} FROM {CELLS} WHERE {_scope_sql(roots)} AND dim = %s'
    if single:
        sql += f" AND {_expression(having, summed=False)}"
    else:
        sql += f' GROUP BY "key" HAVING {_expression(having, summed=True)}'
    if order:
        sql += f" ORDER BY {_expression(order, summed=not single)}"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return sql


class RollupSource:
    """The figures of one or more whole scopes (the country, provinces, cities, counties)."""

    def __init__(self, roots: list[Scope], now: datetime | None = None) -> None:
        self.roots = roots
        self.now = now or timezone.now()
        self.single = len(roots) == 1
        self.cells, self.due, self.problems = CELLS, DUE, PROBLEMS
        self.scope_params = [value for root in roots for value in root]

    def _scope(self) -> tuple[str, list[int]]:
        return _scope_sql(len(self.roots)), self.scope_params

    def _rows(
        self, dim: int, having: str = "found > 0", order: str = "", limit: int = 0
    ) -> list[tuple[int, Counts]]:
        """(key, Counts) of one dimension, filtered, ordered and cut as asked."""
        sql = _rows_sql(len(self.roots), having, order, limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.scope_params, dim])
            return [(row[0], Counts.of(row[1:])) for row in cursor.fetchall()]

    # --- panels ----------------------------------------------------------------------------

    def compute(self, spec: Spec) -> Figures:
        everything = self._rows(Dim.ALL)
        totals = everything[0][1] if everything else Counts()
        focus_areas = dict(self._rows(Dim.FOCUS_AREA))
        children = self._children(spec.children or [])
        teams = self._rows(Dim.TEAM, order="found DESC, key", limit=spec.top)
        # Units with open problems first (read from the top of an index), then the others.
        units = self._rows(Dim.UNIT, "open > 0", "open DESC, found DESC, key", spec.top)
        if len(units) < spec.top:
            units += self._rows(
                Dim.UNIT, "open = 0 AND found > 0", "found DESC, key", spec.top - len(units)
            )
        self._light(totals, children, focus_areas, teams, units, spec.children or [])
        repeats = "recurrences DESC, found DESC, key"
        return Figures(
            totals=totals,
            children=children,
            focus_areas=focus_areas,
            teams=teams,
            units=units,
            trend=self._trend(spec),
            p90_hours=self._p90(totals.closed),
            repeat_sites=self._rows(Dim.SITE, "recurrences > 0", repeats, spec.repeats_top),
            repeat_units=self._rows(
                Dim.UNIT, "key <> 0 AND recurrences > 0", repeats, spec.repeats_top
            ),
        )

    def _children(self, children: list[Scope]) -> dict[int, Counts]:
        found: dict[int, Counts] = {pk: Counts() for _, pk in children}
        if not children:
            return found
        by_level: dict[int, list[int]] = defaultdict(list)
        for level, pk in children:
            by_level[level].append(pk)
        parts, params = [], []
        for level, ids in by_level.items():
            parts.append(f"(scope_level = %s AND scope_id IN ({', '.join(['%s'] * len(ids))}))")
            params += [level, *ids]
        columns = ", ".join(_q(m) for m in MEASURES)
        sql = (
            f"SELECT scope_id, {columns} FROM {self.cells} "
            f'WHERE dim = %s AND "key" = 0 AND ({" OR ".join(parts)})'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [Dim.ALL, *params])
            for row in cursor.fetchall():
                found[row[0]] = Counts.of(row[1:])
        return found

    def _trend(self, spec: Spec) -> dict[int, tuple[int, int]]:
        scope, params = self._scope()
        sql = (
            f'SELECT dim, "key", SUM(found), SUM(closed) FROM {self.cells} '
            f'WHERE {scope} AND dim IN (%s, %s) AND "key" BETWEEN %s AND %s GROUP BY dim, "key"'
        )
        trend: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [*params, Dim.FOUND_DAY, Dim.CLOSED_DAY, spec.first_day, spec.last_day]
            )
            for dim, day, found, closed in cursor.fetchall():
                if dim == Dim.FOUND_DAY:
                    trend[day][0] += int(found)
                else:
                    trend[day][1] += int(closed)
        return {day: (f, c) for day, (f, c) in trend.items() if f or c}

    def _p90(self, closed: int) -> int | None:
        if not closed:
            return None
        scope, params = self._scope()
        running = "SUM(closed) OVER" if self.single else "SUM(SUM(closed)) OVER"
        group = "" if self.single else ' GROUP BY "key"'
        sql = (
            f'SELECT "key" FROM (SELECT "key", {running} (ORDER BY "key") AS running '
            f"FROM {self.cells} WHERE {scope} AND dim = %s{group}) AS hours "
            f'WHERE running >= %s ORDER BY "key" LIMIT 1'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, Dim.CLOSE_HOURS, nearest_rank(closed)])
            row = cursor.fetchone()
        return row[0] if row else None

    # --- lights ----------------------------------------------------------------------------

    def _light(
        self,
        totals: Counts,
        children: dict[int, Counts],
        focus_areas: dict[int, Counts],
        teams: list[tuple[int, Counts]],
        units: list[tuple[int, Counts]],
        child_scopes: list[Scope],
    ) -> None:
        """Set red and yellow on every line that shows them, from buckets and the last hour."""
        wanted: dict[LightKey, list[Counts]] = defaultdict(list)
        for level, pk in self.roots:
            wanted[(level, pk, Dim.ALL, 0)].append(totals)
            for dim, rows in (
                (Dim.FOCUS_AREA, list(focus_areas.items())),
                (Dim.TEAM, teams),
                (Dim.UNIT, units),
            ):
                for key, counts in rows:
                    wanted[(level, pk, dim, key)].append(counts)
        for level, pk in child_scopes:
            wanted[(level, pk, Dim.ALL, 0)].append(children[pk])
        lights: dict[LightKey, list[int]] = defaultdict(lambda: [0, 0])
        self._buckets(list(wanted), lights)
        self._last_hour(wanted, lights)
        for light_key, targets in wanted.items():
            red, yellow_or_red = lights.get(light_key, (0, 0))
            for counts in targets:
                counts.red += red
                counts.yellow += yellow_or_red - red

    def _buckets(self, keys: list[LightKey], lights: dict[LightKey, list[int]]) -> None:
        today = local_day(self.now)
        this_hour = local_hour(self.now)
        groups: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for level, pk, dim, key in keys:
            groups[(level, pk, dim)].append(key)
        branches, params = [], []
        for (level, pk, dim), group_keys in groups.items():
            keys_sql = ", ".join(["%s"] * len(group_keys))
            where = f'scope_level = %s AND scope_id = %s AND dim = %s AND "key" IN ({keys_sql})'
            head = f'SELECT scope_level, scope_id, dim, "key", due, yellow FROM {self.due} WHERE '
            branches.append(f"{head}{where} AND grain = %s AND bucket < %s")
            params += [level, pk, dim, *group_keys, Grain.DAY, today]
            branches.append(f"{head}{where} AND grain = %s AND bucket >= %s AND bucket < %s")
            params += [level, pk, dim, *group_keys, Grain.HOUR, today * 24, this_hour]
        if not branches:
            return
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(branches), params)
            for level, pk, dim, key, due, yellow in cursor.fetchall():
                light = lights[(level, pk, dim, key)]
                light[0] += due
                light[1] += yellow

    def _last_hour(
        self, wanted: dict[LightKey, list[Counts]], lights: dict[LightKey, list[int]]
    ) -> None:
        """Open problems whose deadline or yellow moment fell within the current hour."""
        local = self.now.astimezone(timezone.get_default_timezone())
        hour_start = local.replace(minute=0, second=0, microsecond=0)
        scope, scope_params = _problem_scope(self.roots)
        states = ", ".join(["%s"] * len(OPEN_STATES))
        sql = (
            "SELECT province_id, city_id, county_id, town_id, village_id, focus_area_id, "
            f"team_id, responsible_org_id, deadline, yellow_at FROM {self.problems} "
            f"WHERE state IN ({states}) AND {scope} AND ((deadline >= %s AND deadline <= %s) "
            "OR (yellow_at >= %s AND yellow_at <= %s))"
        )
        moment = [connection.ops.adapt_datetimefield_value(m) for m in (hour_start, self.now)]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*OPEN_STATES, *scope_params, *moment, *moment])
            rows = cursor.fetchall()
        for row in rows:
            levels = row[:5]
            red = int(hour_start <= _aware(row[8]) <= self.now)
            yellow = int(hour_start <= _aware(row[9]) <= self.now)
            keys = [(0, 0, Dim.ALL, 0)] + [
                (i + 1, pk, Dim.ALL, 0) for i, pk in enumerate(levels) if pk is not None
            ]
            for level, pk in self.roots:
                if level == 0 or levels[level - 1] == pk:
                    keys += [
                        (level, pk, Dim.FOCUS_AREA, row[5]),
                        (level, pk, Dim.TEAM, row[6] or 0),
                        (level, pk, Dim.UNIT, row[7] or 0),
                    ]
            for key in keys:
                if key in wanted:
                    lights[key][0] += red
                    lights[key][1] += yellow


def _expression(expression: str, *, summed: bool) -> str:
    """`open > 0 AND key <> 0` in SQL: names quoted, measures summed over several scopes."""
    words = []
    for word in expression.replace(",", " , ").split():
        if word in MEASURES:
            words.append(f"SUM({_q(word)})" if summed else _q(word))
        elif word == "key":
            words.append(_q(word))
        else:
            words.append(word)
    return " ".join(words).replace(" , ", ", ")


def _aware(value: Any) -> datetime:
    """A datetime read by a bare cursor: SQLite gives naive UTC (or text), PostgreSQL aware."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def _problem_scope(roots: list[Scope]) -> tuple[str, list[int]]:
    if any(level == 0 for level, _pk in roots):
        return "1 = 1", []
    parts = [f"{LEVEL_FIELDS[RegionLevel(level)]}_id = %s" for level, _pk in roots]
    return f"({' OR '.join(parts)})", [pk for _level, pk in roots]
