"""The results dashboard's pages (督查问效): the user's jurisdiction and any region in it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ducha.accounts.choices import ADMIN_ROLES
from ducha.core.scope import roles_of
from ducha.reports.results import (
    RESULT_DAYS,
    access_results_region,
    build_results,
    days_of,
    results_home,
)
from ducha.reports.scope import DashboardScope, root_regions


@login_required
def results_dashboard(request: HttpRequest) -> HttpResponse:
    scope = results_home(request.user)
    if scope is None:
        administrator = bool(roles_of(request.user) & ADMIN_ROLES)
        return render(request, "reports/no_jurisdiction.html", {"administrator": administrator})
    return _render(request, scope)


@login_required
def results_region(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, access_results_region(request.user, pk))


def _render(request: HttpRequest, scope: DashboardScope) -> HttpResponse:
    board = build_results(scope, days_of(request.GET.get("days")))
    context = {
        "board": board,
        "result_days": RESULT_DAYS,
        "rectification": _rectification_link(request.user, scope),
    }
    return render(request, "reports/results.html", context)


def _rectification_link(user: Any, scope: DashboardScope) -> str:
    """The same region's problem dashboard when the user may open it (a unit handler reads
    these figures for its region, but its problem dashboard is its own problems)."""
    region = scope.region
    if region is not None and any(region.path.startswith(r.path) for r in root_regions(user)):
        return reverse("reports:region", args=[region.pk])
    return reverse("reports:dashboard")
