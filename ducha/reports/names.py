"""Names of what a dashboard's lines show, read with plain SQL (ids in, names out).

A dashboard names a few dozen rows from small, indexed reads; building querysets for them
would cost more than reading them, so this module writes the statements out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ducha.orgs.models import Org, Site, Team
from ducha.problems.models import FocusArea
from ducha.reports.sql import Statement, ints, q, run_batch


@dataclass
class Names:
    focus_areas: dict[int, tuple[str, int]] = field(default_factory=dict)  # id → name, position
    teams: dict[int, str] = field(default_factory=dict)
    orgs: dict[int, str] = field(default_factory=dict)
    sites: dict[int, str] = field(default_factory=dict)


def names_statement(*, teams: set[int], orgs: set[int], sites: set[int]) -> Statement:
    """Every focus area, and the teams, orgs and sites asked for, in one statement."""
    wanted = (tuple(sorted(pk for pk in ids if pk)) for ids in (teams, orgs, sites))
    return _names_sql(*wanted), []


@lru_cache(maxsize=256)
def _names_sql(teams: tuple[int, ...], orgs: tuple[int, ...], sites: tuple[int, ...]) -> str:
    # Kept per set of ids: a dashboard asked again names the same lines.
    parts = [f"SELECT 'focus_area', id, name, position FROM {q(FocusArea._meta.db_table)}"]
    for kind, model, ids in (("team", Team, teams), ("org", Org, orgs), ("site", Site, sites)):
        if ids:
            parts.append(
                f"SELECT '{kind}', id, name, 0 FROM {q(model._meta.db_table)} "
                f"WHERE id IN ({ints(ids)})"
            )
    return " UNION ALL ".join(parts)


def parse(rows: list[tuple[Any, ...]]) -> Names:
    found = Names()
    by_kind = {"team": found.teams, "org": found.orgs, "site": found.sites}
    for kind, pk, name, position in rows:
        if kind == "focus_area":
            found.focus_areas[pk] = (name, position)
        else:
            by_kind[kind][pk] = name
    return found


def names_of(*, teams: set[int], orgs: set[int], sites: set[int]) -> Names:
    return parse(run_batch([names_statement(teams=teams, orgs=orgs, sites=sites)])[0])


def child_regions(parent_id: int | None) -> list[tuple[int, int, str]]:
    """(id, level, name) of the regions right below one, or of the top regions, in code order."""
    table = q(Org._meta.db_table)
    where = "parent_id IS NULL" if parent_id is None else f"parent_id = {int(parent_id)}"
    sql = (
        f"SELECT id, level, name FROM {table} WHERE kind = 'region' AND {where} "
        "ORDER BY tree_order, id"
    )
    return run_batch([(sql, [])])[0]
