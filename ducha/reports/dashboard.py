"""A dashboard: the figures of a scope, named and linked to the lists behind each number."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.orgs.models import Org
from ducha.problems.models import Problem
from ducha.problems.rollups.cells import day_of, local_day
from ducha.problems.rollups.choices import DETAIL_LEVELS
from ducha.problems.rollups.facts import facts_of_queryset
from ducha.problems.sentences import stats_sentence
from ducha.reports import names
from ducha.reports.figures import Counts, Figures, Spec
from ducha.reports.memory_source import memory_figures
from ducha.reports.rollup_source import RollupSource, one_snapshot
from ducha.reports.scope import DashboardScope

TREND_DAYS = (7, 30, 90)


@dataclass(slots=True)
class Line:
    """One line of a breakdown: what it is, its numbers, where to look closer."""

    key: int
    name: str
    counts: Counts
    link: str = ""  # the dashboard of a child region
    list_link: str = ""  # the problem list showing the same problems


@dataclass(slots=True)
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


Region = tuple[int, int, str]  # id, level, name


def child_regions(scope: DashboardScope) -> list[Region] | None:
    """The regions one level down that the by-region table lists; None: found from problems."""
    if scope.kind == "country":
        return names.child_regions(None)
    if scope.kind == "region":
        return names.child_regions(scope.regions[0].pk)
    if scope.kind == "regions":
        return [(region.pk, region.level or 0, region.name) for region in scope.regions]
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


@lru_cache(maxsize=16)
def _paths(script_prefix: str) -> tuple[str, str, str]:
    """The problem list, and patterns of a region's dashboard and a site's page."""

    def pattern(name: str) -> str:
        return reverse(name, args=[0]).replace("/0/", "/{}/")

    return reverse("problems:list"), pattern("reports:region"), pattern("fieldwork:site_burden")


class Links:
    """URLs of the lines, built from paths reversed once, not once per line."""

    def __init__(self, scope: DashboardScope) -> None:
        self.problems, self.region_pattern, self.site_pattern = _paths(get_script_prefix())
        region = scope.region
        # Filters are ids and plain words: nothing in them needs escaping.
        self.prefix = f"{self.problems}?region={region.pk}&" if region else f"{self.problems}?"

    def problem_list(self, name: str = "", value: object = "") -> str:
        """The list of the scope's problems, filtered by one field if a name is given."""
        return f"{self.prefix}{name}={value}" if name else self.prefix[:-1]

    def region(self, pk: int) -> str:
        return self.region_pattern.format(pk)

    def site(self, pk: int) -> str:
        return self.site_pattern.format(pk)


def build_dashboard(
    scope: DashboardScope, *, days: int = 30, now: datetime | None = None, top: int | None = None
) -> Dashboard:
    with one_snapshot():
        return _build(scope, days, now or timezone.now(), top)


def _build(scope: DashboardScope, days: int, now: datetime, top: int | None) -> Dashboard:
    today = local_day(now)
    regions = child_regions(scope)
    links = Links(scope)
    spec = Spec(
        first_day=today - days + 1,
        last_day=today,
        top=top or settings.DUCHA_DASHBOARD_TOP,
        children=None if regions is None else [(level, pk) for pk, level, _name in regions],
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
        list_link=links.problem_list(),
        links={
            "closed": links.problem_list("state", "closed"),
            "overdue": links.problem_list("overdue", 1),
            "disputed": links.problem_list("state", "disputed"),
            **{light: links.problem_list("light", light) for light in ("green", "yellow", "red")},
        },
        trend=[
            TrendDay(day_of(number), *figures.trend.get(number, (0, 0)))
            for number in range(spec.first_day, spec.last_day + 1)
        ],
    )
    _name_regions(board, figures, regions, links)
    _name_breakdowns(board, figures, links)
    return board


def _name_regions(
    board: Dashboard, figures: Figures, regions: list[Region] | None, links: Links
) -> None:
    scope = board.scope
    if regions is None:
        # In administrative order (by code), as every official table lists regions.
        ordered = Org.objects.filter(pk__in=[pk for pk in figures.children if pk])
        pairs = list(ordered.order_by("tree_order", "pk").values_list("pk", "name"))
    else:
        pairs = [(pk, name) for pk, _level, name in regions]
    drill = scope.kind != "own"
    for pk, name in pairs:
        board.regions.append(
            Line(
                pk,
                name,
                figures.children.get(pk) or Counts(),
                link=links.region(pk) if drill else "",
                list_link=f"{links.problems}?region={pk}",
            )
        )
    if scope.kind == "region":
        rest = _remainder(figures.totals, [line.counts for line in board.regions])
        if rest.found:
            board.own_level = Line(0, _("%(region)s itself") % {"region": board.title}, rest)


def _remainder(total: Counts, parts: list[Counts]) -> Counts:
    if not parts:
        return Counts(*total.values())
    columns = zip(*(part.values() for part in parts), strict=True)
    return Counts(*(value - sum(done) for value, done in zip(total.values(), columns, strict=True)))


def _name_breakdowns(board: Dashboard, figures: Figures, links: Links) -> None:
    found = figures.names or names.names_of(
        teams={pk for pk, _counts in figures.teams},
        orgs={pk for pk, _counts in (*figures.units, *figures.repeat_units)},
        sites={pk for pk, _counts in figures.repeat_sites},
    )
    areas = found.focus_areas
    for pk in sorted(figures.focus_areas, key=lambda pk: (areas[pk][1], pk)):
        link = links.problem_list("focus_area", pk)
        board.focus_areas.append(Line(pk, areas[pk][0], figures.focus_areas[pk], list_link=link))
    for pk, counts in figures.teams:
        name = found.teams.get(pk, "") if pk else _("Recorded without a team")
        link = links.problem_list("team", pk) if pk else ""
        board.teams.append(Line(pk, name, counts, list_link=link))
    for pk, counts in figures.units:
        name = found.orgs.get(pk, "") if pk else _("Not assigned")
        link = links.problem_list("responsible_org", pk) if pk else ""
        board.units.append(Line(pk, name, counts, list_link=link))
    for pk, counts in figures.repeat_units:
        link = links.problem_list("responsible_org", pk)
        board.repeat_units.append(Line(pk, found.orgs.get(pk, ""), counts, list_link=link))
    for pk, counts in figures.repeat_sites:
        board.repeat_sites.append(Line(pk, found.sites.get(pk, ""), counts, link=links.site(pk)))


def trend_window(days: Any) -> int:
    try:
        value = int(days)
    except (TypeError, ValueError):
        return 30
    return value if value in TREND_DAYS else 30
