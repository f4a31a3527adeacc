"""Whom a sweep asks: the units and sites an office chooses, and the ways it may choose them
(the units of similar problems; the regions under a region; sites by kind; the units that had
problems of a focus area). Everything is read inside the launching user's scope and the
office's jurisdiction; an id outside either reads like a missing one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput
from ducha.core.scoping import not_in_scope
from ducha.orgs.choices import OrgKind, SiteKind
from ducha.orgs.models import Org, Site
from ducha.problems.models import FocusArea, Problem
from ducha.problems.similar import similar_problems
from ducha.sweeps.choices import MAX_UNITS

# Who may be asked to check itself: the kinds of org a prompt letter may be addressed to.
UNIT_KINDS = (OrgKind.DEPARTMENT, OrgKind.ENTERPRISE, OrgKind.REGION, OrgKind.COMMAND)


@dataclass
class Choice:
    """What the office asks for: ids typed or ticked, and the selectors that add more."""

    unit_ids: list[int] = field(default_factory=list)
    site_ids: list[int] = field(default_factory=list)
    similar_units: bool = False
    region_id: int | None = None
    site_kind: str = ""
    focus_area_id: int | None = None


def units_in_reach(user: Any, office: Org) -> Any:
    """Units the office may ask: of its jurisdiction, and visible to the user."""
    region = office.region
    if region is None:
        return Org.objects.none()
    return (
        Org.objects.visible_to(user)
        .filter(path__startswith=region.path, kind__in=UNIT_KINDS)
        .exclude(pk=region.pk)
    )


def sites_in_reach(user: Any, office: Org) -> Any:
    region = office.region
    if region is None:
        return Site.objects.none()
    return Site.objects.visible_to(user).filter(region__path__startswith=region.path)


def _picked(rows: Any, ids: Iterable[int], field_name: str) -> list[Any]:
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_UNITS:
        raise too_many(field_name)
    found = rows.in_bulk(ids)
    if len(found) != len(ids):
        raise not_in_scope(field_name)
    return [found[pk] for pk in ids]


def too_many(field_name: str) -> InvalidInput:
    return InvalidInput(
        _("A sweep asks at most %(max)s units; narrow the choice or launch several sweeps.")
        % {"max": MAX_UNITS},
        field_name,
    )


def resolve(
    user: Any, office: Org, origin: Problem, choice: Choice
) -> list[tuple[Org, Site | None]]:
    """(unit, site) pairs to ask, in a stable order and without repeats. A site's unit is
    the region it lies in (属地): the community or town answers for it."""
    home = office.region
    if home is None:
        raise not_in_scope("units")
    units = units_in_reach(user, office)
    sites = sites_in_reach(user, office)
    parent: Org = home
    pairs: dict[tuple[int, int | None], tuple[Org, Site | None]] = {}

    def add(unit: Org, site: Site | None = None) -> None:
        pairs.setdefault((unit.pk, site.pk if site else None), (unit, site))
        if len(pairs) > MAX_UNITS:
            raise too_many("units")

    for unit in _picked(units, choice.unit_ids, "units"):
        add(unit)
    for site in _picked(sites.select_related("region"), choice.site_ids, "sites"):
        add(site.region, site)
    if choice.similar_units:
        ids = [p.responsible_org_id for p in similar_problems(user, origin) if p.responsible_org_id]
        for unit in units.filter(pk__in=ids).order_by("tree_order", "pk"):
            add(unit)
    if choice.region_id is not None:
        region = units.filter(pk=choice.region_id, kind=OrgKind.REGION).first()
        if region is None and choice.region_id != home.pk:
            raise not_in_scope("region")
        parent = region or home
        if not choice.site_kind:
            for unit in units.filter(parent=parent, kind=OrgKind.REGION).order_by(
                "tree_order", "pk"
            ):
                add(unit)
    if choice.site_kind:
        if choice.site_kind not in SiteKind.values:
            raise InvalidInput(
                _("Select a valid choice. That choice is not one of the available choices."),
                "site_kind",
            )
        chosen = sites.filter(kind=choice.site_kind).select_related("region")
        if choice.region_id is not None:
            chosen = chosen.filter(region__path__startswith=parent.path)
        for site in chosen.order_by("region__tree_order", "name", "pk"):
            add(site.region, site)
    if choice.focus_area_id is not None:
        if not FocusArea.objects.filter(pk=choice.focus_area_id).exists():
            raise not_in_scope("focus_area")
        had = (
            Problem.objects.visible_to(user)
            .filter(focus_area_id=choice.focus_area_id, responsible_org__isnull=False)
            .values("responsible_org_id")
        )
        for unit in units.filter(pk__in=had).order_by("tree_order", "pk"):
            add(unit)
    if not pairs:
        raise InvalidInput(_("Choose at least one unit or site to ask."), "units")
    return list(pairs.values())
