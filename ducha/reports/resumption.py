"""The resumption dashboard's jurisdiction and figures (复工复产), shared by the page and the API.

The jurisdiction is the user's regions among the roles that see the ledger's enterprises
located in a region (offices, leaders, command HQs, team members); one of them, or any region
inside one, is counted through its level column. A unit handler has no region of its own and
counts the enterprises its unit supervises. Nothing without a grant (fail-closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from ducha.accounts.choices import Role
from ducha.core.scope import grants_for
from ducha.orgs.models import Org
from ducha.resumption.choices import ACTION_ROLES
from ducha.resumption.figures import (
    Board,
    Scope,
    board,
    category_sentence,
    enterprises_scope,
    has_enterprises,
    region_scope,
)
from ducha.resumption.models import Enterprise

REGION_FIELDS = ("id", "name", "path", "level", "parent_id", "kind", "code")
# The ledger's readers who see what lies in their region (EnterpriseQuerySet.conditions).
REGION_READERS = ACTION_ROLES["view"] - {Role.UNIT_HANDLER}


@dataclass
class ResumptionScope:
    """What the dashboard counts: a region, or (region None) the enterprises of a unit."""

    scope: Scope
    region: Org | None
    title: str


def resumption_roots(user: Any) -> list[Org]:
    """The user's regions for these figures, without those inside another of them."""
    paths = {
        grant.region_id: grant.region_path
        for grant in grants_for(user)
        if grant.role in REGION_READERS and grant.region_id and grant.region_path
    }
    roots: list[int] = []
    for pk, path in sorted(paths.items(), key=lambda item: item[1]):
        if not any(path.startswith(paths[root]) for root in roots):
            roots.append(pk)
    found = Org.objects.only(*REGION_FIELDS).in_bulk(roots)
    return [found[pk] for pk in roots if pk in found]


def resumption_scope(user: Any, region_id: Any = None) -> ResumptionScope:
    """The user's jurisdiction (its first region), or one region in it; 404 for a region
    missing or outside it, and for a user with nothing of the ledger to read."""
    roots = resumption_roots(user)
    if region_id not in (None, ""):
        try:
            pk = int(region_id)
        except (TypeError, ValueError):
            raise Http404 from None
        region = Org.objects.filter(pk=pk, kind="region").only(*REGION_FIELDS).first()
        if region is None or not any(region.path.startswith(root.path) for root in roots):
            raise Http404
        return ResumptionScope(region_scope(region), region, region.name)
    if roots:
        return ResumptionScope(region_scope(roots[0]), roots[0], roots[0].name)
    if any(grant.role == Role.UNIT_HANDLER for grant in grants_for(user)):
        own = Enterprise.objects.visible_to(user)
        return ResumptionScope(enterprises_scope(own), None, _("Enterprises you supervise"))
    raise Http404


def resumption_link(user: Any, region: Org | None) -> str:
    """The way here from the main dashboard (of the user's jurisdiction or of a region in
    it), shown when that jurisdiction has enterprises in the ledger; "" otherwise."""
    try:
        found = resumption_scope(user, region.pk if region else None)
    except Http404:
        return ""
    if not has_enterprises(found.scope):
        return ""
    url = reverse("reports:resumption")
    return f"{url}?region={region.pk}" if region else url


def build(found: ResumptionScope, as_of: date) -> tuple[Board, list[str]]:
    """The figures, and the sentences a document would say of them."""
    figures = board(found.scope, as_of=as_of)
    sentences = [
        category_sentence(row, where=found.title, as_of=as_of)
        for row in figures.category_rows
        if row.total
    ]
    return figures, sentences


def board_data(found: ResumptionScope, figures: Board, sentences: list[str]) -> dict[str, Any]:
    """The API's answer (ResumptionOut)."""
    region = found.region
    return {
        "as_of": figures.as_of.isoformat(),
        "region": {"id": region.pk, "name": region.name} if region else None,
        "title": found.title,
        "whole": figures.whole.as_data(),
        "industry": figures.industry.as_data() if figures.industry else None,
        "categories": [row.as_data() for row in figures.categories],
        "areas": [row.as_data() for row in figures.areas],
        "regions": [row.as_data() for row in figures.regions],
        "excluded": figures.whole.excluded,
        "excluded_listed": [
            {
                "id": row.id,
                "name": row.name,
                "kind": row.kind,
                "category": row.category,
                "area": row.area,
                "reason": row.reason,
            }
            for row in figures.excluded
        ],
        "sentences": sentences,
    }
