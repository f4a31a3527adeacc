"""Dashboard figures counted directly from problems' facts, in memory.

This is the plain definition of every number: small scopes (a town, a unit's problems, a
command HQ's common problems) use it at request time, and tests compare the rollups and the
replayed event log against it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from ducha.problems.rollups.cells import MEASURES, base_vector, dim_keys, hours_to_close, local_day
from ducha.problems.rollups.choices import Dim
from ducha.problems.rollups.facts import Facts
from ducha.reports.figures import Counts, Figures, Spec, nearest_rank


def common_depth(all_facts: list[Facts]) -> int:
    """How many region levels all the problems share, from the province down."""
    depth = 0
    while depth < 5:
        ids = {facts.levels[depth] for facts in all_facts}
        if len(ids) != 1 or None in ids:
            break
        depth += 1
    return depth


def child_of(facts: Facts, depth: int) -> int | None:
    """The region right below a scope at `depth` that the problem lies in, if any."""
    return next((pk for pk in facts.levels[depth:] if pk is not None), None)


def _placer(children: list[tuple[int, int]] | None, depth: int) -> Any:
    """How to tell which line of the by-region table a problem belongs to."""
    if children is None:
        return lambda facts: child_of(facts, depth)
    by_level: dict[int, set[int]] = defaultdict(set)
    for level, pk in children:
        by_level[level].add(pk)

    def place(facts: Facts) -> int | None:
        for level, ids in by_level.items():
            pk = facts.levels[level - 1]
            if pk in ids:
                return pk
        return None

    return place


def _add(counts: Counts, facts: Facts, now: datetime) -> None:
    for name, value in zip(MEASURES, base_vector(facts), strict=True):
        setattr(counts, name, getattr(counts, name) + value)
    if facts.is_clocked:
        if facts.deadline <= now:
            counts.red += 1
        elif facts.yellow_at <= now:
            counts.yellow += 1


def _top(groups: dict[int, Counts], order: str, limit: int) -> list[tuple[int, Counts]]:
    if order == "open":
        ranked = sorted(groups.items(), key=lambda kv: (-kv[1].open, -kv[1].found, kv[0]))
    elif order == "recurrences":
        ranked = sorted(
            ((k, c) for k, c in groups.items() if c.recurrences > 0),
            key=lambda kv: (-kv[1].recurrences, -kv[1].found, kv[0]),
        )
    else:
        ranked = sorted(groups.items(), key=lambda kv: (-kv[1].found, kv[0]))
    return ranked[:limit]


def _unlit(rows: list[tuple[int, Counts]]) -> list[tuple[int, Counts]]:
    # Repeat lists show no lights; both sources leave them out alike.
    return [(key, replace(counts, red=0, yellow=0)) for key, counts in rows]


def memory_figures(
    facts: Iterable[Facts], spec: Spec, now: datetime, depth: int | None = None
) -> Figures:
    """Figures of these problems. `depth`: region levels the scope spans (None: find out)."""
    all_facts = list(facts)
    if depth is None:
        depth = common_depth(all_facts)
    totals = Counts()
    children: dict[int, Counts] = defaultdict(Counts)
    by_dim: dict[int, dict[int, Counts]] = defaultdict(lambda: defaultdict(Counts))
    trend: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    close_hours: list[int] = []
    place = _placer(spec.children, depth)
    for item in all_facts:
        _add(totals, item, now)
        child = place(item)
        if child is not None:
            _add(children[child], item, now)
        for dim, key in dim_keys(item):
            _add(by_dim[dim][key], item, now)
        found_day = local_day(item.found_at)
        if spec.first_day <= found_day <= spec.last_day:
            trend[found_day][0] += 1
        if item.closed_at is not None:
            close_hours.append(hours_to_close(item))
            closed_day = local_day(item.closed_at)
            if spec.first_day <= closed_day <= spec.last_day:
                trend[closed_day][1] += 1
    if spec.children is not None:
        children = defaultdict(Counts, {pk: children[pk] for _, pk in spec.children})
    p90 = None
    if close_hours:
        close_hours.sort()
        p90 = close_hours[nearest_rank(len(close_hours)) - 1]
    units = by_dim[Dim.UNIT]
    return Figures(
        totals=totals,
        children=dict(children),
        focus_areas=dict(by_dim[Dim.FOCUS_AREA]),
        teams=_top(by_dim[Dim.TEAM], "found", spec.top),
        units=_top(units, "open", spec.top),
        trend={day: (found, closed) for day, (found, closed) in trend.items()},
        p90_hours=p90,
        repeat_sites=_unlit(_top(by_dim[Dim.SITE], "recurrences", spec.repeats_top)),
        repeat_units=_unlit(
            _top({k: c for k, c in units.items() if k}, "recurrences", spec.repeats_top)
        ),
    )
