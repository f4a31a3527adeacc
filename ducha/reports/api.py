"""Dashboards over JSON: the same figures as the pages, for scripts and other systems."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Query, Router

from ducha.accounts.auth import caller
from ducha.core.schemas import READ_ERRORS
from ducha.reports import schemas as s
from ducha.reports.dashboard import build_dashboard, trend_window
from ducha.reports.results import access_results_region, build_results, results_home
from ducha.reports.resumption import board_data, build, resumption_scope
from ducha.reports.resumption_schemas import ResumptionOut, ResumptionQuery
from ducha.reports.scope import access_region_scope, home_scope
from ducha.resumption.figures import as_of_day

router = Router(tags=["dashboards"])


@router.get("/dashboard", response={200: s.DashboardOut, **READ_ERRORS})
def get_dashboard(request: HttpRequest, query: Query[s.DashboardQuery]) -> HttpResponse:
    """Found, rectified, rate, open, overdue, lights, time to close, breakdowns and trend of
    the caller's jurisdiction, or of one region in it (404 outside it)."""
    user = caller(request)
    if query.region is None:
        scope = home_scope(user)
        if scope is None:
            raise Http404
    else:
        scope = access_region_scope(user, query.region)
    data = s.dashboard_data(build_dashboard(scope, days=trend_window(query.days)))
    # Built to the schema above (a test validates it against DashboardOut); validating its
    # hundreds of values again on every request would cost more than counting them.
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@router.get("/reports/results", response={200: s.ResultsOut, **READ_ERRORS})
def get_results(request: HttpRequest, query: Query[s.ResultsQuery]) -> HttpResponse:
    """督查问效: accountability by kind, commendations by kind and subject, and both per child
    region, of the caller's jurisdiction or one region in it (404 outside it). Counts only:
    no record's person or unit is named."""
    user = caller(request)
    if query.region is None:
        scope = results_home(user)
        if scope is None:
            raise Http404
    else:
        scope = access_results_region(user, query.region)
    data = s.results_data(build_results(scope, query.days))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@router.get("/reports/resumption", response={200: ResumptionOut, **READ_ERRORS})
def get_resumption(request: HttpRequest, query: Query[ResumptionQuery]) -> HttpResponse:
    """复工复产: enterprises registered, filed and resumed as of a day, with the filing and
    resumption rates, by category, area and region one level down, of the caller's
    jurisdiction or one region in it (404 outside it); those outside supervision apart."""
    found = resumption_scope(caller(request), query.region)
    as_of = as_of_day(query.as_of, timezone.localdate())
    figures, sentences = build(found, as_of)
    data = board_data(found, figures, sentences)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
