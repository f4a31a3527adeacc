"""Orgs, sites and teams of the caller's jurisdiction (for pickers and scripts)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router

from ducha.accounts.auth import caller
from ducha.core.lookups import pick
from ducha.core.schemas import READ_ERRORS, PageQuery, ref
from ducha.orgs import schemas as s
from ducha.orgs.choices import LEVEL_FIELDS, OrgKind, RegionLevel, SiteKind, TeamKind
from ducha.orgs.models import Org, Site, Team

router = Router(tags=["orgs"])


def _page(query: PageQuery, rows: QuerySet[Any], shape: Any) -> dict[str, Any]:
    items = rows[query.offset : query.offset + query.page_size]
    return {
        "count": rows.count(),
        "page": query.page,
        "page_size": query.page_size,
        "items": [shape(row) for row in items],
    }


def _org(org: Org) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "kind_label": str(OrgKind(org.kind).label),
        "parent_id": org.parent_id,
        "level": org.level,
        "code": org.code,
        "path": org.path,
    }


@router.get("/orgs", response={200: s.OrgPage, **READ_ERRORS})
def list_orgs(request: HttpRequest, filters: Query[s.OrgQuery]) -> dict[str, Any]:
    """Orgs in the caller's jurisdiction, in tree order."""
    orgs = Org.objects.visible_to(caller(request))
    if filters.kind:
        orgs = orgs.filter(kind=filters.kind)
    if filters.parent is not None:
        orgs = orgs.filter(parent_id=filters.parent)
    if filters.q.strip():
        orgs = orgs.filter(name__icontains=filters.q.strip())
    return _page(filters, orgs, _org)


def _site(site: Site) -> dict[str, Any]:
    return {
        "id": site.pk,
        "name": site.name,
        "kind": site.kind,
        "kind_label": str(SiteKind(site.kind).label),
        "region": ref(site.region),
        "address": site.address,
    }


@router.get("/sites", response={200: s.SitePage, **READ_ERRORS})
def list_sites(request: HttpRequest, filters: Query[s.SiteQuery]) -> dict[str, Any]:
    """Sites in the caller's jurisdiction."""
    user = caller(request)
    sites = Site.objects.visible_to(user).select_related("region")
    if filters.region is not None:
        region = pick(Org.objects.visible_to(user).regions(), filters.region, "region")
        assert region.level is not None
        sites = sites.filter(**{f"{LEVEL_FIELDS[RegionLevel(region.level)]}_id": region.pk})
    if filters.kind:
        sites = sites.filter(kind=filters.kind)
    if filters.q.strip():
        sites = sites.filter(name__icontains=filters.q.strip())
    return _page(filters, sites, _site)


def _team(team: Team) -> dict[str, Any]:
    return {
        "id": team.pk,
        "name": team.name,
        "kind": team.kind,
        "kind_label": str(TeamKind(team.kind).label),
        "dispatched_by": ref(team.dispatched_by),
        "active": team.active,
        "regions": [ref(region) for region in team.regions.all()],
    }


@router.get("/teams", response={200: s.TeamPage, **READ_ERRORS})
def list_teams(request: HttpRequest, filters: Query[s.TeamQuery]) -> dict[str, Any]:
    """Teams of the caller's jurisdiction and teams sent into it from above."""
    teams = Team.objects.visible_to(caller(request))
    if filters.kind:
        teams = teams.filter(kind=filters.kind)
    if filters.active is not None:
        teams = teams.filter(active=filters.active)
    if filters.q.strip():
        teams = teams.filter(name__icontains=filters.q.strip())
    teams = teams.select_related("dispatched_by").prefetch_related("regions")
    return _page(filters, teams, _team)
