"""Lookups for the pickers: a few regions, sites, units or teams whose name matches what the
user is typing, each with the names above it so that two villages of one name differ.

Separate from the orgs listing (ducha.orgs.api): a listing pages through everything with
its details, a lookup answers at most LIMIT names fast, best matches first. Both start from
`visible_to(user)`, and the names on a row's path are only those the user sees as well: a
county's staff read "水泉沟镇", never the city above their county. See docs/pickers.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ducha.accounts.auth import caller
from ducha.core.lookups import pick
from ducha.core.schemas import READ_ERRORS, Bounded
from ducha.core.search import normalise
from ducha.core.text import Search
from ducha.orgs.choices import LEVEL_FIELDS, OrgKind, RegionLevel
from ducha.orgs.models import Org, Site, Team
from ducha.orgs.querysets import teams_of_region
from ducha.orgs.tree import UNIT_KINDS, ancestor_ids, near

LIMIT = 50
DEFAULT_LIMIT = 20

router = Router(tags=["lookup"])


class LookupQuery(Bounded):
    q: Search = Field("", description="Part of the name (or the start of a region's code).")
    under: int | None = Field(None, description="A region: only what lies in its subtree.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=LIMIT)


class UnitLookupQuery(LookupQuery):
    near: int | None = Field(
        None,
        description="A region: only the units a problem there may be handed to (inside it, "
        "a region above it, or a body directly under one of those).",
    )
    kind: list[OrgKind] = Field(
        default_factory=list,
        max_length=len(OrgKind),
        description="Only orgs of these kinds (repeat the parameter), instead of the kinds "
        "a problem can be handed to: offices for an issuing office, every kind for the "
        "organisation a record is about.",
    )


class TeamLookupQuery(LookupQuery):
    active: bool | None = Field(None, description="Only teams at work (true) or disbanded.")


class LookupItem(Schema):
    id: int
    name: str
    path: list[str] = Field(description="Names above it that the caller sees, top first.")
    code: str = Field(description="A region's administrative code; empty otherwise.")


class LookupOut(Schema):
    items: list[LookupItem]
    more: bool = Field(description="More rows match than were answered: type more.")


def _variants(q: str) -> set[str]:
    # Names are stored as written; 東關村 typed in traditional script finds 东关村 too.
    return {q, normalise(q)}


def _matching(rows: QuerySet[Any], q: str, field: str = "name", code: bool = False) -> Any:
    """Rows whose name holds the text, those whose name (or code) starts with it first."""
    q = q.strip()
    if not q:
        return rows.annotate(prefix=Value(0, output_field=IntegerField()))
    contains, starts = Q(), Q()
    for variant in _variants(q):
        contains |= Q(**{f"{field}__icontains": variant})
        starts |= Q(**{f"{field}__istartswith": variant})
    if code and q.isdigit():
        contains |= Q(code__startswith=q)
        starts |= Q(code__startswith=q)
    return rows.filter(contains).annotate(
        prefix=Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField())
    )


def _region_under(user: Any, under: int | None) -> Org | None:
    if under is None:
        return None
    return pick(Org.objects.visible_to(user).regions(), under, "under")


def _answer(
    user: Any, rows: QuerySet[Any], limit: int, path_of: Callable[[Any], Iterable[int]]
) -> dict[str, Any]:
    found = list(rows[: limit + 1])
    shown = found[:limit]
    paths = {row.pk: list(path_of(row)) for row in shown}
    wanted = {pk for ids in paths.values() for pk in ids}
    names = dict(
        Org.objects.visible_to(user).filter(pk__in=wanted).values_list("pk", "name")
        if wanted
        else []
    )
    items = [
        {
            "id": row.pk,
            "name": row.name,
            "path": [names[pk] for pk in paths[row.pk] if pk in names],
            "code": getattr(row, "code", ""),
        }
        for row in shown
    ]
    return {"items": items, "more": len(found) > limit}


def _above(org: Org) -> list[int]:
    return ancestor_ids(org.path)[:-1]


@router.get("/lookup/regions", response={200: LookupOut, **READ_ERRORS})
def lookup_regions(request: HttpRequest, query: Query[LookupQuery]) -> dict[str, Any]:
    """Regions the caller sees whose name holds `q` or whose code starts with it; higher
    levels first, then in the order of their administrative codes."""
    user = caller(request)
    rows = Org.objects.visible_to(user).regions()
    region = _region_under(user, query.under)
    if region is not None:
        rows = rows.filter(path__startswith=region.path)
    rows = _matching(rows, query.q, code=True).order_by(
        "prefix", "depth", Case(When(code="", then=1), default=0), "code", "name", "pk"
    )
    return _answer(user, rows, query.limit, _above)


@router.get("/lookup/units", response={200: LookupOut, **READ_ERRORS})
def lookup_units(request: HttpRequest, query: Query[UnitLookupQuery]) -> dict[str, Any]:
    """Bodies a problem can be handed to (departments, enterprises, command HQs, regions)
    that the caller sees, or the orgs of the kinds `kind` names; `near` narrows them as
    assigning a problem there does."""
    user = caller(request)
    rows = Org.objects.visible_to(user).filter(kind__in=query.kind or UNIT_KINDS)
    region = _region_under(user, query.under)
    if region is not None:
        rows = rows.filter(path__startswith=region.path)
    if query.near is not None:
        around = pick(Org.objects.visible_to(user).regions(), query.near, "near")
        rows = rows.filter(near(around.path))
    rows = _matching(rows, query.q).order_by(
        "prefix",
        "depth",
        Case(When(kind=OrgKind.REGION, then=0), default=1),
        "name",
        "pk",
    )
    return _answer(user, rows, query.limit, _above)


@router.get("/lookup/sites", response={200: LookupOut, **READ_ERRORS})
def lookup_sites(request: HttpRequest, query: Query[LookupQuery]) -> dict[str, Any]:
    """Sites the caller sees, each with the regions it lies in."""
    user = caller(request)
    rows = Site.objects.visible_to(user).select_related("region")
    region = _region_under(user, query.under)
    if region is not None:
        assert region.level is not None
        rows = rows.filter(**{f"{LEVEL_FIELDS[RegionLevel(region.level)]}_id": region.pk})
    rows = _matching(rows, query.q).order_by("prefix", "name", "pk")
    return _answer(user, rows, query.limit, lambda site: ancestor_ids(site.region.path))


@router.get("/lookup/teams", response={200: LookupOut, **READ_ERRORS})
def lookup_teams(request: HttpRequest, query: Query[TeamLookupQuery]) -> dict[str, Any]:
    """Teams the caller sees, each with the orgs above the one that dispatched it."""
    user = caller(request)
    rows = Team.objects.visible_to(user).select_related("dispatched_by")
    if query.active is not None:
        rows = rows.filter(active=query.active)
    region = _region_under(user, query.under)
    if region is not None:
        rows = rows.filter(pk__in=Team.objects.filter(teams_of_region(region.path)).values("pk"))
    rows = _matching(rows, query.q).order_by("prefix", "sort_key", "pk")
    return _answer(user, rows, query.limit, lambda team: ancestor_ids(team.dispatched_by.path))
