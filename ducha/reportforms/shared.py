"""Figures the platform already holds, which a form's item may be served from (数据共享).

An item whose `shared_figure` names one of these is never asked of the grassroots: the
analyser lists it as held already, and a form served from shared data is produced from these
figures for each village, community, town or street of the jurisdiction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ducha.fieldwork.models import Inspection
from ducha.orgs.choices import LEVEL_FIELDS, OrgKind, RegionLevel
from ducha.orgs.models import Org
from ducha.problems.choices import State
from ducha.problems.models import Problem
from ducha.resumption.models import Enterprise, EnterpriseLedger, ResumptionSpell


@dataclass(frozen=True)
class SharedFigure:
    key: str
    label: str | Promise


FIGURES: dict[str, SharedFigure] = {
    figure.key: figure
    for figure in (
        SharedFigure("problems_found", _("Problems found")),
        SharedFigure("problems_rectified", _("Problems rectified")),
        SharedFigure("problems_open", _("Problems not yet rectified")),
        SharedFigure("inspections", _("Inspections made")),
        SharedFigure("enterprises", _("Enterprises in the ledger")),
        SharedFigure("enterprises_filed", _("Enterprises that filed a resumption plan")),
        SharedFigure("enterprises_resumed", _("Enterprises resumed")),
        SharedFigure("staff_screened", _("Enterprise staff screened")),
    )
}


# --- the figures' values ---------------------------------------------------------------
#
# Every figure is counted "as of" the end of a day (截至), cumulatively, as the statistics
# sentences count them: what had happened by midnight after `day`. Each is one aggregate
# query grouped by the regions' level column, so a form for every village of a county is
# a handful of queries however many villages there are.

Counts = dict[int, int]


@dataclass(frozen=True)
class Scope:
    """Where and when: the regions at `level` under `jurisdiction`, as of the end of `day`."""

    jurisdiction: Org
    level: int
    day: date

    @property
    def group(self) -> str:
        """The column that carries the region at `level`, as `<level>_id`."""
        return f"{LEVEL_FIELDS[RegionLevel(self.level)]}_id"

    @property
    def within(self) -> dict[str, int]:
        """The condition "located in the jurisdiction", on its own level's column."""
        level = self.jurisdiction.level
        if level is None:
            raise ValueError("A jurisdiction is a region.")
        return {f"{LEVEL_FIELDS[RegionLevel(level)]}_id": self.jurisdiction.pk}

    @property
    def end(self) -> datetime:
        """Midnight after `day`, in the local time zone."""
        return timezone.make_aware(datetime.combine(self.day + timedelta(days=1), time.min))

    def through(self, relation: str) -> Scope:
        return _Through(self.jurisdiction, self.level, self.day, relation)


@dataclass(frozen=True)
class _Through(Scope):
    """The same scope read through a relation (a spell's or a ledger entry's enterprise)."""

    relation: str = ""

    @property
    def group(self) -> str:
        return f"{self.relation}__{super().group}"

    @property
    def within(self) -> dict[str, int]:
        return {f"{self.relation}__{key}": value for key, value in super().within.items()}


def _grouped(rows: QuerySet, scope: Scope, value: Any = None) -> Counts:
    """{region id: the count (or `value`'s sum)} of `rows`, grouped at the scope's level."""
    totals = (
        rows.filter(**scope.within)
        .exclude(**{f"{scope.group}__isnull": True})
        .order_by()
        .values(scope.group)
        .annotate(n=value if value is not None else Count("pk"))
    )
    return {row[scope.group]: row["n"] or 0 for row in totals}


def _problems_found(scope: Scope) -> Counts:
    return _grouped(Problem.objects.filter(found_at__lt=scope.end), scope)


def _problems_rectified(scope: Scope) -> Counts:
    # Rectified as the rectification rate counts it: verified and closed (销号).
    closed = Problem.objects.filter(state=State.CLOSED, closed_at__lt=scope.end)
    return _grouped(closed, scope)


def _problems_open(scope: Scope) -> Counts:
    found, rectified = _problems_found(scope), _problems_rectified(scope)
    return {pk: count - rectified.get(pk, 0) for pk, count in found.items()}


def _inspections(scope: Scope) -> Counts:
    return _grouped(Inspection.objects.filter(visited_at__lt=scope.end), scope)


def _enterprises(scope: Scope) -> Counts:
    # Enterprises outside the jurisdiction's supervision are counted apart, never here.
    rows = Enterprise.objects.filter(supervised=True, registered_on__lte=scope.day)
    return _grouped(rows, scope)


def _enterprises_filed(scope: Scope) -> Counts:
    rows = Enterprise.objects.filter(supervised=True, filed_on__lte=scope.day)
    return _grouped(rows, scope)


def _enterprises_resumed(scope: Scope) -> Counts:
    # Working on `day`: a spell begun by then and not stopped by then. A spell carries no
    # village column, so its enterprise's is read.
    spells = ResumptionSpell.objects.filter(supervised=True, resumed_on__lte=scope.day).filter(
        Q(stopped_on__isnull=True) | Q(stopped_on__gt=scope.day)
    )
    return _grouped(spells, scope.through("enterprise"))


def _staff_screened(scope: Scope) -> Counts:
    # The latest entry of each enterprise's ledger recorded by the end of `day`.
    latest = (
        EnterpriseLedger.objects.filter(
            enterprise=OuterRef("enterprise"), recorded_at__lt=scope.end
        )
        .order_by("-recorded_at", "-pk")
        .values("pk")[:1]
    )
    entries = EnterpriseLedger.objects.filter(enterprise__supervised=True, pk=Subquery(latest))
    return _grouped(entries, scope.through("enterprise"), Sum("staff_screened"))


COMPUTE: dict[str, Callable[[Scope], Counts]] = {
    "problems_found": _problems_found,
    "problems_rectified": _problems_rectified,
    "problems_open": _problems_open,
    "inspections": _inspections,
    "enterprises": _enterprises,
    "enterprises_filed": _enterprises_filed,
    "enterprises_resumed": _enterprises_resumed,
    "staff_screened": _staff_screened,
}


def regions_at(jurisdiction: Org, level: int) -> QuerySet:
    """The regions at `level` inside `jurisdiction` (itself, when it is at that level)."""
    return Org.objects.filter(
        kind=OrgKind.REGION, level=level, path__startswith=jurisdiction.path
    ).order_by("tree_order")


def values(jurisdiction: Org, level: int, day: date, keys: Iterable[str]) -> dict[str, Counts]:
    """{figure key: {region id: value}} for the regions at `level` under `jurisdiction`, as
    of the end of `day`. A region with nothing to count is absent (its value is 0)."""
    scope = Scope(jurisdiction, level, day)
    return {key: COMPUTE[key](scope) for key in dict.fromkeys(keys) if key in COMPUTE}


def value(region: Org, key: str, day: date) -> int:
    """One figure of one region as of the end of `day`."""
    if region.level is None:
        raise ValueError("Figures are counted for regions.")
    return values(region, region.level, day, [key])[key].get(region.pk, 0)
