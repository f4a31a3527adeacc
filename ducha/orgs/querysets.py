"""Who sees which orgs, sites and teams: one condition per role (ducha.core.scoping)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ducha.accounts.choices import ALL_ROLES, Role
from ducha.core.scope import Grant
from ducha.core.scoping import NOTHING, VIEW, ScopedQuerySet, located_in, within

# NOTHING (core's) stays importable from here for the forms that take it from this module.
__all__ = ["NOTHING", "OrgQuerySet", "SiteQuerySet", "TeamQuerySet", "teams_of_region"]


def teams_of_region(region_path: str, prefix: str = "") -> Q:
    """Teams dispatched from inside a region, or covering a part of it."""
    if not region_path:
        return NOTHING
    return Q(**{f"{prefix}dispatched_by__path__startswith": region_path}) | Q(
        **{f"{prefix}regions__path__startswith": region_path}
    )


def _jurisdiction(grant: Grant) -> Q:
    # The region for region-wide roles and team members; a unit's own subtree for its handler
    # (and, for a team that covers no region, its dispatching org's).
    return within(grant.region_path or grant.org_path)


def _own_team(grant: Grant) -> Q:
    return Q(pk=grant.team_id) if grant.team_id else NOTHING


def _teams_here(grant: Grant) -> Q:
    # Teams of this jurisdiction, and teams sent into it from above.
    return teams_of_region(grant.region_path)


class OrgQuerySet(ScopedQuerySet):
    action_roles = {VIEW: ALL_ROLES}
    conditions = {
        Role.OFFICE_STAFF: _jurisdiction,
        Role.SYSTEM_ADMIN: _jurisdiction,
        # The security and audit administrators see the orgs of their jurisdiction, to find
        # its accounts; nothing else of the tree (no sites, no teams) and nothing of the loop.
        Role.SECURITY_ADMIN: _jurisdiction,
        Role.AUDIT_ADMIN: _jurisdiction,
        Role.LEADER: _jurisdiction,
        Role.DISCIPLINE: _jurisdiction,
        Role.COMMAND: _jurisdiction,
        Role.TEAM_MEMBER: _jurisdiction,
        Role.UNIT_HANDLER: _jurisdiction,
    }

    def regions(self) -> OrgQuerySet:
        return self.filter(kind="region")

    def subtree_of(self, org: Any) -> OrgQuerySet:
        return self.filter(path__startswith=org.path)


class SiteQuerySet(ScopedQuerySet):
    # Sites lie in regions: a unit handler, whose grant has no region, sees none.
    action_roles = {VIEW: ALL_ROLES}
    conditions = {
        Role.OFFICE_STAFF: located_in,
        Role.SYSTEM_ADMIN: located_in,
        Role.LEADER: located_in,
        Role.DISCIPLINE: located_in,
        Role.COMMAND: located_in,
        Role.TEAM_MEMBER: located_in,
    }


class TeamQuerySet(ScopedQuerySet):
    # Command HQs and units do not deal with teams.
    action_roles = {VIEW: ALL_ROLES}
    conditions = {
        Role.OFFICE_STAFF: _teams_here,
        Role.SYSTEM_ADMIN: _teams_here,
        Role.LEADER: _teams_here,
        Role.DISCIPLINE: _teams_here,
        Role.TEAM_MEMBER: _own_team,
    }
    joins_to_many = True
