"""Memberships and teams turned into grants (`ducha.core.scope.Grant`).

Computing grants needs the memberships (this app) and the teams and region levels (orgs);
core keeps only the grants and receives this function in `AccountsConfig.ready()`, so that
core imports no app above it (docs/decisions/0002).
"""

from __future__ import annotations

from typing import Any

from django.db import connections, router

from ducha.accounts.choices import REGION_WIDE_ROLES, Role
from ducha.accounts.models import Membership
from ducha.core.scope import Grant
from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel, own_region
from ducha.orgs.models import Org, Team


def _path_to(region_id: int, path: str) -> str:
    """The path of an ancestor-or-self region, cut from a descendant's path: no query."""
    marker = f"/{region_id}/"
    return path[: path.index(marker) + len(marker)]


def _level_field(level: int | None) -> str:
    return LEVEL_FIELDS[RegionLevel(level)] if level else ""


# A user's memberships with their orgs' tree columns (region levels from the province down),
# in one statement written out once: every request needs it, and the ORM would build and
# compile the join afresh each time (docs/performance.md, "Served requests").
_MEMBERSHIPS = (
    "SELECT m.role, o.id, o.path, "  # noqa: S608 (the models' own table and column names)
    + ", ".join(f'o."{LEVEL_FIELDS[level]}_id"' for level in RegionLevel)
    + f' FROM "{Membership._meta.db_table}" m JOIN "{Org._meta.db_table}" o ON o.id = m.org_id'
    + " WHERE m.user_id = %s ORDER BY m.id"
)


def _memberships(user: Any) -> list[tuple[Any, ...]]:
    with connections[router.db_for_read(Membership)].cursor() as cursor:
        cursor.execute(_MEMBERSHIPS, [user.pk])
        return cursor.fetchall()


def compute_grants(user: Any) -> tuple[Grant, ...]:
    grants: list[Grant] = []
    has_team_role = False
    for role, org_id, org_path, *levels in _memberships(user):
        if role == Role.TEAM_MEMBER:
            has_team_role = True
            continue
        if role in REGION_WIDE_ROLES:
            found = own_region(tuple(levels))
            if found is None:
                continue
            region_id, level = found
            path = _path_to(region_id, org_path)
            grants.append(
                Grant(
                    role, org_id, org_path, region_id, level, path, level_field=_level_field(level)
                )
            )
        else:
            grants.append(Grant(role, org_id, org_path))
    if has_team_role:
        # A team member's jurisdiction is the regions their active teams cover.
        teams = Team.objects.filter(active=True, members=user).select_related("dispatched_by")
        for team in teams.prefetch_related("regions"):
            dispatcher = team.dispatched_by
            for region in team.regions.all():
                grants.append(
                    Grant(
                        Role.TEAM_MEMBER,
                        team.dispatched_by_id,
                        dispatcher.path,
                        region.pk,
                        region.level,
                        region.path,
                        team_id=team.pk,
                        level_field=_level_field(region.level),
                    )
                )
            if not team.regions.all():
                grants.append(
                    Grant(Role.TEAM_MEMBER, team.dispatched_by_id, dispatcher.path, team_id=team.pk)
                )
    return tuple(grants)
