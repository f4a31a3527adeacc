"""Days and jurisdictions: the bounds of a local day, an office's region and its teams."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ducha.orgs.choices import LEVEL_FIELDS, OrgKind, RegionLevel
from ducha.orgs.models import Org, Team
from ducha.problems.models import Problem
from ducha.problems.querysets import ProblemQuerySet

# Days outside this range are refused as input: their bounds must exist on the calendar.
FIRST_DAY = date(2000, 1, 1)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """From local midnight to the next local midnight, in the offices' time zone."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)
    return start, end


def office_region(office: Org) -> Org | None:
    """The region an office serves; None for anything that is not a placed office."""
    if office.kind != OrgKind.OFFICE:
        return None
    return office.region


def region_problems(region: Org) -> ProblemQuerySet:
    """A region's problems: one indexed equality on the level column."""
    assert region.level is not None
    return Problem.objects.filter(**{f"{LEVEL_FIELDS[RegionLevel(region.level)]}_id": region.pk})


def teams_of(region: Org) -> QuerySet[Team]:
    """Active teams of a jurisdiction: dispatched from inside it, or covering a part of it."""
    inside = Q(dispatched_by__path__startswith=region.path) | Q(
        regions__path__startswith=region.path
    )
    ids = Team.objects.filter(inside).values("pk")
    return Team.objects.filter(active=True, pk__in=ids)


def offices_with_teams() -> list[Org]:
    """Every office whose jurisdiction has an active team: each gets a summary a day.

    Three queries however many offices: a region has teams when its path is a prefix of a
    team's dispatching org or of a region the team covers.
    """
    active = Team.objects.filter(active=True)
    paths = set(active.values_list("dispatched_by__path", flat=True))
    paths |= set(active.filter(regions__isnull=False).values_list("regions__path", flat=True))
    with_teams = {prefix for path in paths for prefix in _prefixes(path)}
    offices = list(Org.objects.filter(kind=OrgKind.OFFICE).order_by("tree_order"))
    region_ids = {found[0] for office in offices if (found := office.region_id_and_level)}
    region_paths = dict(Org.objects.filter(pk__in=region_ids).values_list("pk", "path"))
    return [
        office
        for office in offices
        if (found := office.region_id_and_level) and region_paths.get(found[0]) in with_teams
    ]


def _prefixes(path: str) -> list[str]:
    """ "/1/7/42/" → ["/1/", "/1/7/", "/1/7/42/"]."""
    parts = [part for part in path.strip("/").split("/") if part]
    return ["/" + "".join(f"{part}/" for part in parts[:n]) for n in range(1, len(parts) + 1)]


def local_time(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%H:%M")
