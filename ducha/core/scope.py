"""A user's jurisdiction, computed once per request from their memberships.

A grant says: this role may act within this part of the tree. Querysets turn grants into
filters (`visible_to`), and nothing is visible without a grant: fail-closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ducha.accounts.choices import REGION_WIDE_ROLES, Role
from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel


@dataclass(frozen=True)
class Grant:
    role: str
    # The org the membership is held at (for team members: the team's dispatching org).
    org_id: int
    org_path: str
    # The root region of the jurisdiction and its level; None for unit handlers.
    region_id: int | None = None
    region_level: int | None = None
    region_path: str = ""
    team_id: int | None = None

    @property
    def level_field(self) -> str:
        assert self.region_level is not None
        return LEVEL_FIELDS[RegionLevel(self.region_level)]


_CACHE_ATTR = "_ducha_grants"


def grants_for(user: Any) -> tuple[Grant, ...]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _compute_grants(user)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: Any) -> set[str]:
    return {grant.role for grant in grants_for(user)}


def _path_to(region_id: int, path: str) -> str:
    """The path of an ancestor-or-self region, cut from a descendant's path: no query."""
    marker = f"/{region_id}/"
    return path[: path.index(marker) + len(marker)]


def _compute_grants(user: Any) -> tuple[Grant, ...]:
    from ducha.accounts.models import Membership
    from ducha.orgs.models import Team

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
            grants.append(Grant(membership.role, org.pk, org.path, region_id, level, path))
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
                    )
                )
            if not team.regions.all():
                grants.append(
                    Grant(Role.TEAM_MEMBER, team.dispatched_by_id, dispatcher.path, team_id=team.pk)
                )
    return tuple(grants)
