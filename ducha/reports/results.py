"""The results dashboard (督查问效): accountability by kind, commendations by kind and
subject, per child region, for a jurisdiction and a period.

Counts only, never a name: every role of the loop who may see the jurisdiction reads it,
including those who may not read who the records are about. Its jurisdiction is the user's
regions (as the problem dashboard's), and for a unit handler the region their unit belongs
to: the unit's own results are public in the bulletins of that region anyway. The police
see nothing of the loop but the referrals addressed to them, so not this either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accountability.figures import (
    KindCount,
    Period,
    Results,
    accountability_sentence,
    commendation_sentence,
    in_jurisdiction,
    results,
    results_by_child,
    results_sentence,
)
from ducha.accounts.choices import LOOP_ROLES, Role
from ducha.core.scope import grants_for
from ducha.orgs.models import Org
from ducha.referrals.figures import timing
from ducha.referrals.models import Referral
from ducha.reports import names
from ducha.reports.scope import DashboardScope
from ducha.suggestions.figures import tally
from ducha.suggestions.models import Suggestion

RESULT_ROLES = LOOP_ROLES - {Role.POLICE}
# Days back from today the figures may cover; 0: since the first record.
RESULT_DAYS = (30, 90, 365, 0)
DEFAULT_DAYS = 0
REGION_FIELDS = ("id", "name", "path", "level", "parent_id", "kind", "code")


def result_roots(user: Any) -> list[Org]:
    """The user's regions for these figures, without those inside another of them."""
    paths: dict[int, str] = {}
    units: set[int] = set()
    for grant in grants_for(user):
        if grant.role not in RESULT_ROLES:
            continue
        if grant.region_id and grant.region_path:
            paths[grant.region_id] = grant.region_path
        elif grant.role == Role.UNIT_HANDLER:
            units.add(grant.org_id)
    for unit in Org.objects.filter(pk__in=units):
        found = unit.region_id_and_level
        if found is not None:
            marker = f"/{found[0]}/"
            paths[found[0]] = unit.path[: unit.path.index(marker) + len(marker)]
    roots: list[int] = []
    for pk, path in sorted(paths.items(), key=lambda item: item[1]):
        if not any(path.startswith(paths[root]) for root in roots):
            roots.append(pk)
    found_roots = Org.objects.only(*REGION_FIELDS).in_bulk(roots)
    return [found_roots[pk] for pk in roots if pk in found_roots]


def results_home(user: Any) -> DashboardScope | None:
    """The user's whole jurisdiction; None: nothing to show them."""
    roots = result_roots(user)
    if not roots:
        return None
    if len(roots) == 1:
        return DashboardScope("region", roots)
    top = set(Org.objects.filter(kind="region", parent__isnull=True).values_list("pk", flat=True))
    if top and top <= {root.pk for root in roots}:
        return DashboardScope("country", roots)
    return DashboardScope("regions", roots)


def access_results_region(user: Any, region_id: Any) -> DashboardScope:
    """One region of the user's jurisdiction: 404 when missing or outside it."""
    try:
        pk = int(region_id)
    except (TypeError, ValueError):
        raise Http404 from None
    region = Org.objects.filter(pk=pk, kind="region").only(*REGION_FIELDS).first()
    if region is None or not any(region.path.startswith(r.path) for r in result_roots(user)):
        raise Http404
    return DashboardScope("region", [region])


def period_of(days: int, today: date) -> Period:
    return Period(today - timedelta(days=days - 1), today) if days else Period(last=today)


def days_of(value: Any) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_DAYS
    return days if days in RESULT_DAYS else DEFAULT_DAYS


@dataclass
class RegionLine:
    pk: int
    name: str
    figures: Results
    link: str = ""


@dataclass
class ResultsBoard:
    title: str
    scope: DashboardScope
    days: int
    period: Period
    whole: Results
    accountability: str
    commendations: str
    sentence: str
    regions: list[RegionLine] = field(default_factory=list)
    # The referrals' and suggestions' figures of the jurisdiction.
    referrals: Any = None
    suggestions: Any = None

    @property
    def kinds(self) -> list[KindCount]:
        return self.whole.kinds

    @property
    def commendation_rows(self) -> list[tuple[str, str, int, int]]:
        return self.whole.commendation_rows()


def build_results(scope: DashboardScope, days: int, today: date | None = None) -> ResultsBoard:
    today = today or timezone.localdate()
    period = period_of(days, today)
    whole, lines = _figures(scope, period)
    return ResultsBoard(
        title=_title(scope),
        scope=scope,
        days=days,
        period=period,
        whole=whole,
        accountability=accountability_sentence(whole),
        commendations=commendation_sentence(whole),
        sentence=results_sentence(whole),
        regions=lines,
        referrals=referral_timing(scope, period),
        suggestions=suggestion_figures(scope, period),
    )


def _title(scope: DashboardScope) -> str:
    if scope.kind == "country":
        return _("Whole country")
    return "、".join(region.name for region in scope.regions)


def _figures(scope: DashboardScope, period: Period) -> tuple[Results, list[RegionLine]]:
    """Two grouped queries for a region or the country; two per region for several."""
    if scope.kind == "regions":
        lines = [RegionLine(r.pk, r.name, results(r, period)) for r in scope.regions]
        whole = results(scope.regions, period)
        return whole, [_linked(line) for line in lines]
    parent = None if scope.kind == "country" else scope.regions[0]
    children = names.child_regions(parent.pk if parent else None)
    if not children:
        return results(parent, period), []
    whole, by_child = results_by_child(parent, period, children[0][1])
    lines = [RegionLine(pk, name, by_child.get(pk) or Results()) for pk, _level, name in children]
    return whole, [_linked(line) for line in lines]


def _linked(line: RegionLine) -> RegionLine:
    line.link = reverse("reports:results_region", args=[line.pk])
    return line


def _regions_of(scope: DashboardScope) -> list[Org] | None:
    return None if scope.kind == "country" else scope.regions


def referrals_in(scope: DashboardScope) -> QuerySet[Referral]:
    """The referrals of the jurisdiction, for their figures."""
    regions = _regions_of(scope)
    if regions is None:
        return Referral.objects.all()
    return Referral.objects.filter(in_jurisdiction(regions))


def referral_timing(scope: DashboardScope, period: Period) -> dict[str, Any]:
    """The referrals of the jurisdiction made in the period, by state, and how fast the
    receiving bodies decided and concluded them (快查快结)."""
    rows = referrals_in(scope)
    if period.first is not None:
        rows = rows.filter(referred_at__date__gte=period.first)
    if period.last is not None:
        rows = rows.filter(referred_at__date__lte=period.last)
    return timing(rows)


def suggestion_figures(scope: DashboardScope, period: Period) -> dict[str, Any]:
    """The suggestions received in the jurisdiction in the period, by answer, and their
    adoption rates (采纳率, in per cent: of those answered, and of all made)."""
    regions = _regions_of(scope)
    rows = Suggestion.objects.all()
    if regions is not None:
        rows = rows.filter(in_jurisdiction(regions))
    if period.first is not None:
        rows = rows.filter(made_at__date__gte=period.first)
    if period.last is not None:
        rows = rows.filter(made_at__date__lte=period.last)
    figures = tally(rows).as_dict()
    for rate in ("rate_of_answered", "rate_of_all"):
        if figures[rate] is not None:
            figures[rate] = float(figures[rate])
    return figures
