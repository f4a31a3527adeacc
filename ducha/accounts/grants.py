"""Memberships and teams turned into grants (`ducha.core.scope.Grant`).

Computing grants needs the memberships (this app) and the teams and region levels (orgs);
core keeps only the grants and receives this function in `AccountsConfig.ready()`, so that
core imports no app above it (docs/decisions/0002).
"""

from __future__ import annotations

from typing import Any

from ducha.accounts.choices import REGION_WIDE_ROLES, Role
from ducha.accounts.models import Membership
from ducha.core.scope import Grant
from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.orgs.models import Team


def _path_to(region_id: int, path: str) -> str:
    """The path of an ancestor-or-self region, cut from a descendant's path: no query."""
    marker = f"/{region_id}/"
    return path[: path.index(marker) + len(marker)]


def _level_field(level: int | None) -> str:
    return LEVEL_FIELDS[RegionLevel(level)] if level else ""


def compute_grants(user: Any) -> tuple[Grant, ...]:
    grants: list[Grant] = []
    memberships = Membership.objects.filter(user=user).select_related("org")
    has_team_role = False
    for membership in memberships:
        org = membership.org
        if membership.role == Role.TEAM_MEMBER:
            has_team_role = True
            continue
        if membership.role in REGION_WIDE_ROLES:
            found = org.region_id_and_level
            if found is None:
                continue
            region_id, level = found
            path = _path_to(region_id, org.path)
            grants.append(
                Grant(
                    membership.role,
                    org.pk,
                    org.path,
                    region_id,
                    level,
                    path,
                    level_field=_level_field(level),
                )
            )
        else:
            grants.append(Grant(membership.role, org.pk, org.path))
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
