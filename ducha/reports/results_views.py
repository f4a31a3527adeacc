"""The results dashboard's pages (督查问效): the user's jurisdiction and any region in it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ducha.accounts.choices import ADMIN_ROLES
from ducha.core.scope import roles_of
from ducha.reports.results import (
    RESULT_DAYS,
    access_results_region,
    build_results,
    days_of,
    results_home,
)
from ducha.reports.scope import DashboardScope


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
    return render(request, "reports/results.html", {"board": board, "result_days": RESULT_DAYS})
