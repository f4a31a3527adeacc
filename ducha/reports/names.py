"""Names of what a dashboard's lines show, read with plain SQL (ids in, names out).

A dashboard names a few dozen rows from small, indexed reads; building querysets for them
would cost more than reading them, so this module writes the statements out.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from ducha.orgs.models import Org, Site, Team
from ducha.problems.models import FocusArea


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _names(model: Any, ids: set[int] | list[int]) -> dict[int, str]:
    wanted = sorted({pk for pk in ids if pk})
    if not wanted:
        return {}
    marks = ", ".join(["%s"] * len(wanted))
    sql = f"SELECT id, name FROM {_q(model._meta.db_table)} WHERE id IN ({marks})"
    return dict(_rows(sql, wanted))


def org_names(ids: set[int] | list[int]) -> dict[int, str]:
    return _names(Org, ids)


def team_names(ids: set[int] | list[int]) -> dict[int, str]:
    return _names(Team, ids)


def site_names(ids: set[int] | list[int]) -> dict[int, str]:
    return _names(Site, ids)


def focus_areas() -> dict[int, tuple[str, int]]:
    """id → (name, position) of every focus area, in use or not (old problems keep theirs)."""
    sql = f"SELECT id, name, position FROM {_q(FocusArea._meta.db_table)}"
    return {pk: (name, position) for pk, name, position in _rows(sql, [])}


def child_regions(parent_id: int | None) -> list[tuple[int, int, str]]:
    """(id, level, name) of the regions right below one, or of the top regions, in code order."""
    table = _q(Org._meta.db_table)
    where = "parent_id IS NULL" if parent_id is None else "parent_id = %s"
    sql = (
        f"SELECT id, level, name FROM {table} WHERE kind = 'region' AND {where} "
        "ORDER BY code, name, id"
    )
    return _rows(sql, [] if parent_id is None else [parent_id])
