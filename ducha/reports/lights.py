"""Red and yellow on every line of a dashboard, at the moment it is asked for.

Red: the clock runs and the deadline has passed; yellow: the clock runs and the yellow moment
has passed, the deadline not. The clock runs in the open states but "disputed" (a dispute
awaits the office: `CLOCKED_STATES`). Each line's counts are the clocked problems whose
moment falls in the whole days
before today and the hours of today before this one (the `DueCell` buckets), plus the open
problems whose moment came within the current hour, counted from two partial indexes of the
clocked problems. Both reads travel in one round trip. When today's hour buckets are not
kept (the horizon was not moved on in time: `ducha.problems.rollups.horizon`), the partial
indexes count the whole of today instead: slower, as exact.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from django.utils import timezone

from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.problems.choices import CLOCKED_STATES
from ducha.problems.models import Problem
from ducha.problems.rollups.choices import Dim, Grain
from ducha.problems.rollups.models import DueCell
from ducha.reports.figures import Counts
from ducha.reports.sql import Statement, ints, moment, q

Scope = tuple[int, int]  # (level, id); (0, 0) is the whole country
Roots = tuple[Scope, ...]
Keys = tuple[int, ...]  # the keys of the lines shown of one breakdown, sorted
# The lines of the breakdowns that show lights, by their key: "focus", "team", "unit".
Lines = dict[str, dict[int, Counts]]

DUE = q(DueCell._meta.db_table)
PROBLEMS = q(Problem._meta.db_table)
# The clocked states as SQL literals: the same condition as the partial indexes', so that both
# databases answer from them alone.
CLOCKED_SQL = ", ".join(f"'{state}'" for state in CLOCKED_STATES)
# The columns of the current hour's edge, in the order `apply` reads its lines.
HOUR_LINES = ("child", "focus_area", "team", "unit")
# A line not shown; typed, as PostgreSQL will not unite an untyped NULL with the ids.
NULL_ID = "CAST(NULL AS BIGINT)"
# Dimensions as plain ints: the rows compare them on every line.
DIM_ALL, DIM_FOCUS, DIM_TEAM, DIM_UNIT = (
    int(dim) for dim in (Dim.ALL, Dim.FOCUS_AREA, Dim.TEAM, Dim.UNIT)
)


def lit_groups(
    roots: Roots, children: Roots, focus: Keys, teams: Keys, units: Keys
) -> dict[tuple[int, int], tuple[set[int], set[int]]]:
    """The rollup keys of every line that shows lights, by scope level and dimension: the
    scopes and child regions as a whole, and the focus areas, teams and units shown."""
    groups: dict[tuple[int, int], tuple[set[int], set[int]]] = {}
    for level, pk in [*roots, *children]:
        groups.setdefault((level, DIM_ALL), (set(), {0}))[0].add(pk)
    for level, pk in roots:
        for dim, shown in ((DIM_FOCUS, focus), (DIM_TEAM, teams), (DIM_UNIT, units)):
            if shown:
                ids, keys = groups.setdefault((level, dim), (set(), set()))
                ids.add(pk)
                keys.update(shown)
    return groups


@lru_cache(maxsize=256)
def bucket_statement(
    roots: Roots,
    children: Roots,
    focus: Keys,
    teams: Keys,
    units: Keys,
    today: int,
    hour: int,
    hours_kept: bool = True,
) -> str:
    """Deadlines and yellow moments in the whole days before today and, when `hours_kept`,
    in today's hours before `hour`. Kept per shape: the same lines ask the same all hour long.

    One branch per scope level and dimension, its ids and keys in lists: a handful of index
    range scans however many lines the dashboard shows. (Several scopes of one level share
    their keys; `apply` ignores what that reads beyond the lines.)"""
    head = f'SELECT scope_level, scope_id, dim, "key", due, yellow FROM {DUE} WHERE '
    branches = []
    groups = lit_groups(roots, children, focus, teams, units)
    for (level, dim), (ids, dim_keys) in sorted(groups.items()):
        where = (
            f"scope_level = {int(level)} AND scope_id IN ({ints(ids)}) "
            f'AND dim = {int(dim)} AND "key" IN ({ints(dim_keys)})'
        )
        branches.append(f"{head}{where} AND grain = {int(Grain.DAY)} AND bucket < {today}")
        if hours_kept:
            branches.append(
                f"{head}{where} AND grain = {int(Grain.HOUR)} "
                f"AND bucket >= {today * 24} AND bucket < {hour}"
            )
    return (
        'SELECT scope_level, scope_id, dim, "key", CAST(SUM(due) AS BIGINT), '
        f"CAST(SUM(yellow) AS BIGINT) FROM ({' UNION ALL '.join(branches)}) AS buckets "
        'GROUP BY scope_level, scope_id, dim, "key"'
    )


# Stand-ins for the moments in a kept statement of the current hour.
_START, _END = "@hour_start@", "@now@"


def last_hour_statement(
    roots: Roots,
    children: Roots,
    teams: Keys,
    units: Keys,
    now: datetime,
    hours_kept: bool = True,
) -> Statement:
    """The clocked problems whose deadline (0) or yellow moment (1) came within the current
    hour (within today, when today's hour buckets are not kept), counted in SQL by the line
    they count on: child region, focus area, and team or unit where that team or unit has a
    line."""
    local = now.astimezone(timezone.get_default_timezone())
    start = local.replace(minute=0, second=0, microsecond=0)
    if not hours_kept:
        start = start.replace(hour=0)
    sql = _last_hour_sql(roots, children, teams, units)
    return sql.replace(_START, moment(start)).replace(_END, moment(now)), []


@lru_cache(maxsize=256)
def _last_hour_sql(roots: Roots, children: Roots, teams: Keys, units: Keys) -> str:
    if any(level == 0 for level, _ in roots):
        scope = "1 = 1"
    else:
        scope = " OR ".join(f"{_level_column(level)} = {int(pk)}" for level, pk in roots)
    columns = (
        f"{_child_expression(roots, children)} AS child, focus_area_id AS focus_area, "
        f"{_shown('team_id', teams)} AS team, {_shown('responsible_org_id', units)} AS unit"
    )
    branches = [
        f"SELECT {index} AS moment, {columns} FROM {PROBLEMS} WHERE state IN ({CLOCKED_SQL}) "
        f"AND {column} >= {_START} AND {column} <= {_END} AND ({scope})"
        for index, column in ((0, "deadline"), (1, "yellow_at"))
    ]
    # One count per line, not per combination of lines: late in an hour a country's edge
    # holds thousands of combinations, while the page shows a few dozen lines.
    counted = " UNION ALL ".join(
        f"SELECT moment, {line} AS line, {column} AS line_key, COUNT(*) FROM moments "
        f"WHERE {column} IS NOT NULL GROUP BY moment, {column}"
        for line, column in enumerate(HOUR_LINES)
    )
    return (
        f"WITH moments AS ({' UNION ALL '.join(branches)}) {counted} "
        "UNION ALL SELECT moment, -1, 0, COUNT(*) FROM moments GROUP BY moment"
    )


def _child_expression(roots: Roots, children: Roots) -> str:
    """Which child region a problem counts on: the first region below the scope's level, or,
    for several scopes shown side by side, the scope it lies in."""
    if len(roots) > 1:
        cases = " ".join(
            f"WHEN {_level_column(level)} = {int(pk)} THEN {int(pk)}" for level, pk in roots
        )
        return f"CASE {cases} END"
    level = roots[0][0]
    below = [_level_column(lower) for lower in range(level + 1, 6)]
    if not children or not below:
        return NULL_ID
    return f"COALESCE({', '.join(below)})" if len(below) > 1 else below[0]


def _shown(column: str, keys: Keys) -> str:
    if not keys:
        return NULL_ID
    return f"CASE WHEN COALESCE({column}, 0) IN ({ints(keys)}) THEN COALESCE({column}, 0) END"


def apply(
    roots: list[Scope],
    totals: Counts,
    children: dict[int, Counts],
    lines: Lines,
    bucket_rows: list[tuple[Any, ...]],
    hour_rows: list[tuple[Any, ...]],
) -> None:
    """Add red and yellow to the totals, every child region and every line shown."""
    root_set = set(roots)
    several = len(roots) > 1
    by_dim = {DIM_FOCUS: lines["focus"], DIM_TEAM: lines["team"], DIM_UNIT: lines["unit"]}
    for level, pk, dim, key, due, yellow in bucket_rows:
        if dim == DIM_ALL:
            is_root = (level, pk) in root_set
            if is_root:
                totals.red += due
                totals.yellow += yellow - due
            child = children.get(pk) if several or not is_root else None
        else:
            child = by_dim[dim].get(key) if (level, pk) in root_set else None
        if child is not None:
            child.red += due
            child.yellow += yellow - due
    hour_lines = (children, lines["focus"], lines["team"], lines["unit"])
    for which, line, key, count in hour_rows:
        target = totals if line < 0 else hour_lines[line].get(key)
        if target is not None:
            if which == 0:
                target.red += count
                target.yellow -= count
            else:
                target.yellow += count


def _level_column(level: int) -> str:
    return f"{LEVEL_FIELDS[RegionLevel(level)]}_id"
