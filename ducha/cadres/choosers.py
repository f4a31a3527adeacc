"""What a page offers and the API accepts for a record's organisation, team and links: the
same rows for both, so that both refuse a choice out of reach with the same message."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from ducha.accounts.choices import Role
from ducha.cadres.models import CadreObservation
from ducha.core.scope import Grant, grants_for
from ducha.core.scoping import NOTHING, not_in_scope
from ducha.orgs.models import Org, Team


def _reaching(user: Any, lists: bool) -> list[Grant]:
    roles = {Role.ORGANISATION} if lists else {Role.ORGANISATION, Role.TEAM_MEMBER}
    return [grant for grant in grants_for(user) if grant.role in roles and grant.region_path]


def reachable_orgs(user: Any, *, lists: bool = False) -> Any:
    """Organisations a cadre of which the user may record (`lists`: may list): within an
    organisation department's jurisdiction, or a team's regions."""
    condition = NOTHING
    for grant in _reaching(user, lists):
        condition |= Q(path__startswith=grant.region_path)
    return Org.objects.filter(condition).order_by("tree_order")


def reach_regions(user: Any, *, lists: bool = False) -> list[int | None]:
    """The regions of those jurisdictions, for a picker to narrow to."""
    return [grant.region_id for grant in _reaching(user, lists)]


def own_teams(user: Any) -> Any:
    ids = {
        grant.team_id
        for grant in grants_for(user)
        if grant.role == Role.TEAM_MEMBER and grant.team_id is not None
    }
    return Team.objects.filter(pk__in=ids).order_by("sort_key")


def pick_org(user: Any, pk: int, *, lists: bool = False) -> Org:
    org = reachable_orgs(user, lists=lists).filter(pk=pk).first()
    if org is None:
        raise not_in_scope("org")
    return org


def pick_team(user: Any, pk: int | None) -> Team | None:
    if pk is None:
        return None
    team = own_teams(user).filter(pk=pk).first()
    if team is None:
        raise not_in_scope("team")
    return team


def pick_rows(model: Any, ids: Iterable[int], field: str) -> list[Any]:
    """Rows by id, whichever exist; the action refuses those the user may not see, and a
    missing id reads like one out of reach."""
    wanted = set(ids)
    rows = list(model._base_manager.filter(pk__in=wanted))
    if len(rows) != len(wanted):
        raise not_in_scope(field)
    return rows


def observations_of(user: Any) -> Any:
    return CadreObservation.objects.visible_to(user).select_related("org")
