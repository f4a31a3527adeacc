"""Dashboard pages: the user's whole jurisdiction, and any region inside it (drill-down)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ducha.accounts.choices import ADMIN_ROLES, OFFICE_ROLES
from ducha.core.scope import roles_of
from ducha.orgs.models import Org
from ducha.problems.choices import State
from ducha.problems.models import Problem
from ducha.problems.views import UNIT_FIGURE_ROLES
from ducha.reports.charts import chart_data
from ducha.reports.dashboard import TREND_DAYS, build_dashboard, trend_window
from ducha.reports.resumption import resumption_link
from ducha.reports.scope import DashboardScope, access_region_scope, home_scope, root_regions


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = home_scope(request.user)
    if scope is None:
        # An administrator's account (三员) has a jurisdiction, but nothing of the loop in it.
        administrator = bool(roles_of(request.user) & ADMIN_ROLES)
        return render(request, "reports/no_jurisdiction.html", {"administrator": administrator})
    return _render(request, scope, unsigned=_unsigned(request.user))


def _unsigned(user: Any) -> dict[str, Any] | None:
    """签收 waiting in the whole jurisdiction, for those who read the units' figures."""
    if not roles_of(user) & UNIT_FIGURE_ROLES:
        return None
    waiting = Problem.objects.visible_to(user).filter(state=State.ASSIGNED, signed_at=None)
    return waiting.order_by().aggregate(count=Count("*"), since=Min("assigned_at"))


@login_required
def region_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, access_region_scope(request.user, pk))


def _trail(user: Any, scope: DashboardScope) -> list[Org]:
    """The regions above this one that the user may open, to climb back up."""
    region = scope.region
    if region is None:
        return []
    roots = root_regions(user)
    ids = [int(part) for part in region.path.strip("/").split("/")[:-1]]
    above = Org.objects.in_bulk(ids)
    return [
        above[pk]
        for pk in ids
        if pk in above and any(above[pk].path.startswith(root.path) for root in roots)
    ]


def _render(
    request: HttpRequest, scope: DashboardScope, unsigned: dict[str, Any] | None = None
) -> HttpResponse:
    days = trend_window(request.GET.get("days"))
    board = build_dashboard(scope, days=days)
    context = {
        "board": board,
        "trail": _trail(request.user, scope),
        "trend_days": TREND_DAYS,
        "charts": chart_data(board),
        # The office's day goes on from here: the summary, the meeting, the bulletin.
        "office_work": bool(roles_of(request.user) & OFFICE_ROLES),
        "unsigned": unsigned,
        "resumption": resumption_link(request.user, scope.region),
    }
    return render(request, "reports/dashboard.html", context)
