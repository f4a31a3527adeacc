"""A dashboard: the figures of a scope, named and linked to the lists behind each number."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.orgs.models import Org, Site, Team
from ducha.problems.models import FocusArea, Problem
from ducha.reports.cells import day_of, local_day
from ducha.reports.choices import DETAIL_LEVELS
from ducha.reports.facts import facts_of_queryset
from ducha.reports.figures import Counts, Figures, Spec
from ducha.reports.memory_source import memory_figures
from ducha.reports.rollup_source import RollupSource
from ducha.reports.scope import DashboardScope
from ducha.reports.sentences import stats_sentence

TREND_DAYS = (7, 30, 90)


@dataclass
class Line:
    """One line of a breakdown: what it is, its numbers, where to look closer."""

    key: int
    name: str
    counts: Counts
    link: str = ""  # the dashboard of a child region
    list_link: str = ""  # the problem list showing the same problems


@dataclass
class TrendDay:
    day: date
    found: int
    closed: int


@dataclass
class Dashboard:
    title: str
    scope: DashboardScope
    as_of: datetime
    days: int
    totals: Counts
    p90_hours: int | None
    sentence: str
    list_link: str
    # The problem list behind a figure: closed, overdue, green/yellow/red.
    links: dict[str, str] = field(default_factory=dict)
    regions: list[Line] = field(default_factory=list)
    own_level: Line | None = None  # problems recorded against the scope's region itself
    focus_areas: list[Line] = field(default_factory=list)
    teams: list[Line] = field(default_factory=list)
    units: list[Line] = field(default_factory=list)
    trend: list[TrendDay] = field(default_factory=list)
    repeat_sites: list[Line] = field(default_factory=list)
    repeat_units: list[Line] = field(default_factory=list)


def child_regions(scope: DashboardScope) -> list[Org] | None:
    """The regions one level down that the by-region table lists; None: found from problems."""
    regions = Org.objects.filter(kind="region").order_by("code", "name", "pk")
    if scope.kind == "country":
        return list(regions.filter(parent__isnull=True))
    if scope.kind == "region":
        return list(regions.filter(parent=scope.regions[0]))
    if scope.kind == "regions":
        return scope.regions
    return None


def figures_for(scope: DashboardScope, spec: Spec, now: datetime) -> Figures:
    """Rollups for the large scopes they are kept for; the problems themselves otherwise."""
    if scope.kind == "own":
        return memory_figures(facts_of_queryset(scope.problems), spec, now)
    if scope.kind == "country":
        return RollupSource([(0, 0)], now).compute(spec)
    roots = [(region.level or 0, region.pk) for region in scope.regions]
    if all(level in DETAIL_LEVELS for level, _ in roots):
        return RollupSource(roots, now).compute(spec)
    condition = Q(pk__in=[])
    for level, pk in roots:
        condition |= Q(**{f"{LEVEL_FIELDS[RegionLevel(level)]}_id": pk})
    depth = roots[0][0] if len(roots) == 1 else None
    return memory_figures(facts_of_queryset(Problem.objects.filter(condition)), spec, now, depth)


def _title(scope: DashboardScope) -> str:
    if scope.kind == "country":
        return _("Whole country")
    if scope.kind == "own":
        return _("Problems in my care")
    return "、".join(region.name for region in scope.regions)


def _list_link(scope: DashboardScope, **filters: Any) -> str:
    region = scope.region
    if region is not None:
        filters = {"region": region.pk, **filters}
    query = urlencode(filters)
    return reverse("problems:list") + (f"?{query}" if query else "")


def build_dashboard(
    scope: DashboardScope, *, days: int = 30, now: datetime | None = None, top: int | None = None
) -> Dashboard:
    now = now or timezone.now()
    today = local_day(now)
    regions = child_regions(scope)
    spec = Spec(
        first_day=today - days + 1,
        last_day=today,
        top=top or settings.DUCHA_DASHBOARD_TOP,
        children=None if regions is None else [(r.level or 0, r.pk) for r in regions],
    )
    figures = figures_for(scope, spec, now)
    totals = figures.totals
    board = Dashboard(
        title=_title(scope),
        scope=scope,
        as_of=now,
        days=days,
        totals=totals,
        p90_hours=figures.p90_hours,
        sentence=stats_sentence(
            as_of=timezone.localdate(now), found=totals.found, rectified=totals.closed
        ),
        list_link=_list_link(scope),
        links={
            "closed": _list_link(scope, state="closed"),
            "overdue": _list_link(scope, overdue=1),
            **{light: _list_link(scope, light=light) for light in ("green", "yellow", "red")},
        },
        trend=[
            TrendDay(day_of(number), *figures.trend.get(number, (0, 0)))
            for number in range(spec.first_day, spec.last_day + 1)
        ],
    )
    _name_regions(board, scope, figures, regions)
    _name_breakdowns(board, scope, figures)
    return board


def _name_regions(
    board: Dashboard, scope: DashboardScope, figures: Figures, regions: list[Org] | None
) -> None:
    if regions is None:
        names = dict(Org.objects.filter(pk__in=figures.children).values_list("pk", "name"))
        ordered = sorted(figures.children, key=lambda pk: names.get(pk, ""))
        pairs = [(pk, names.get(pk, "")) for pk in ordered]
    else:
        pairs = [(region.pk, region.name) for region in regions]
    for pk, name in pairs:
        board.regions.append(
            Line(
                pk,
                name,
                figures.children.get(pk, Counts()),
                link="" if scope.kind == "own" else reverse("reports:region", args=[pk]),
                list_link=reverse("problems:list") + "?" + urlencode({"region": pk}),
            )
        )
    if scope.kind == "region":
        rest = _remainder(figures.totals, [line.counts for line in board.regions])
        if rest.found:
            board.own_level = Line(0, _("%(region)s itself") % {"region": board.title}, rest)


def _remainder(total: Counts, parts: list[Counts]) -> Counts:
    rest = Counts()
    for name in Counts.__dataclass_fields__:
        value = getattr(total, name) - sum(getattr(part, name) for part in parts)
        setattr(rest, name, value)
    return rest


def _name_breakdowns(board: Dashboard, scope: DashboardScope, figures: Figures) -> None:
    areas = {area.pk: area for area in FocusArea.objects.all()}
    for pk in sorted(figures.focus_areas, key=lambda pk: (areas[pk].position, pk)):
        board.focus_areas.append(
            Line(
                pk,
                areas[pk].name,
                figures.focus_areas[pk],
                list_link=_list_link(scope, focus_area=pk),
            )
        )
    team_ids = [pk for pk, _counts in figures.teams if pk]
    teams = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
    for pk, counts in figures.teams:
        name = teams.get(pk, "") if pk else _("Recorded without a team")
        link = _list_link(scope, team=pk) if pk else ""
        board.teams.append(Line(pk, name, counts, list_link=link))
    unit_ids = {pk for pk, _counts in (*figures.units, *figures.repeat_units) if pk}
    units = dict(Org.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    for pk, counts in figures.units:
        name = units.get(pk, "") if pk else _("Not assigned")
        link = _list_link(scope, responsible_org=pk) if pk else ""
        board.units.append(Line(pk, name, counts, list_link=link))
    for pk, counts in figures.repeat_units:
        link = _list_link(scope, responsible_org=pk)
        board.repeat_units.append(Line(pk, units.get(pk, ""), counts, list_link=link))
    site_ids = [pk for pk, _counts in figures.repeat_sites]
    sites = dict(Site.objects.filter(pk__in=site_ids).values_list("pk", "name"))
    for pk, counts in figures.repeat_sites:
        link = reverse("fieldwork:site_burden", args=[pk])
        board.repeat_sites.append(Line(pk, sites.get(pk, ""), counts, link=link))


def trend_window(days: Any) -> int:
    try:
        value = int(days)
    except (TypeError, ValueError):
        return 30
    return value if value in TREND_DAYS else 30
