"""Which dashboards a user may open: the regions of their jurisdiction, or their own problems.

Region-wide roles and team members see a region and everything below it, down to any
descendant region (drill-down); a user whose jurisdiction covers every top-level region sees
the whole country. Unit handlers and command HQs have no region of their own: their
dashboard counts exactly the problems they can see. Nothing without a grant (fail-closed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from ducha.accounts.choices import LOOP_ROLES, Role
from ducha.core.scope import grants_for
from ducha.orgs.models import Org
from ducha.problems.models import Problem

REGION_ROLES = frozenset({Role.OFFICE_STAFF, Role.LEADER, Role.DISCIPLINE, Role.TEAM_MEMBER})


@dataclass
class DashboardScope:
    """What one dashboard counts."""

    kind: str  # "country", "region", "regions" (several roots) or "own" (visible problems)
    regions: list[Org] = field(default_factory=list)
    problems: Any = None  # for "own": the user's visible problems

    @property
    def region(self) -> Org | None:
        return self.regions[0] if self.kind == "region" else None


def root_regions(user: Any) -> list[Org]:
    """The user's regions, without those that lie inside another of them."""
    paths = {
        g.region_id: g.region_path
        for g in grants_for(user)
        if g.role in REGION_ROLES and g.region_id and g.region_path
    }
    roots: list[int] = []
    for pk, path in sorted(paths.items(), key=lambda item: item[1]):
        if not any(path.startswith(paths[root]) for root in roots):
            roots.append(pk)
    fields = ("id", "name", "path", "level", "parent_id", "kind", "code")
    found = Org.objects.only(*fields).in_bulk(roots)
    return [found[pk] for pk in roots if pk in found]


def _covers_country(roots: list[Org]) -> bool:
    if not any(root.parent_id is None for root in roots):
        return False  # no top-level region among them: nothing to look up
    top = set(Org.objects.filter(kind="region", parent__isnull=True).values_list("pk", flat=True))
    return bool(top) and top <= {root.pk for root in roots}


def home_scope(user: Any) -> DashboardScope | None:
    """The dashboard a user lands on: their whole jurisdiction. None: nothing to show."""
    roots = root_regions(user)
    if roots:
        if _covers_country(roots):
            return DashboardScope("country", roots)
        if len(roots) == 1:
            return DashboardScope("region", roots)
        return DashboardScope("regions", roots)
    if any(grant.role in LOOP_ROLES for grant in grants_for(user)):
        return DashboardScope("own", problems=Problem.objects.visible_to(user))
    return None


def access_region_scope(user: Any, region_id: Any) -> DashboardScope:
    """A region's dashboard: 404 when the region is missing or outside the user's regions."""
    try:
        pk = int(region_id)
    except (TypeError, ValueError):
        raise Http404 from None
    region = Org.objects.filter(pk=pk, kind="region").first()
    if region is None:
        raise Http404
    if not any(region.path.startswith(root.path) for root in root_regions(user)):
        raise Http404
    return DashboardScope("region", [region])
