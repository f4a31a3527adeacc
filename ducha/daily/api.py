"""The daily cycle over JSON: teams' reports, offices' summaries, the meeting agenda, and
drafting now. Lists start from `visible_to`; single objects come through the access helpers;
every change goes through `ducha.daily.actions`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from ducha.accounts.auth import caller
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut
from ducha.daily import actions as do
from ducha.daily import schemas as s
from ducha.daily.access import (
    access_office,
    access_report,
    access_summary,
    access_team,
    own_offices,
    own_teams,
    readable_offices,
)
from ducha.daily.actions import REPORTS, SUMMARIES
from ducha.daily.agenda import agenda_for
from ducha.daily.choices import DailyAction
from ducha.daily.details import report_objects, summary_objects
from ducha.daily.lifecycle import DraftedRecord, check_day
from ducha.daily.models import DailyReport, DailySummary

router = Router(tags=["daily cycle"])


# --- reports and summaries: one set of handlers for both kinds of drafted record -------------


@dataclass(frozen=True)
class RecordApi:
    """How a kind of drafted record answers over JSON."""

    kind: DraftedRecord
    access: Callable[..., Any]  # `access_report` …
    own: Callable[[Any], Any]  # the owners whose records are the caller's ("mine")
    data: Callable[[Any, list[str]], dict[str, Any]]  # one row of a list
    lists: Callable[[Any, Any], dict[str, Any]]  # what a single record adds


def _report_lists(user: Any, report: DailyReport) -> dict[str, Any]:
    lists = report_objects(user, report)
    return {
        "inspections": [s.visit_ref(visit) for visit in lists["inspections"]],
        "problems": [s.problem_ref(problem) for problem in lists["problems"]],
        "turned_red": [s.problem_ref(problem) for problem in lists["turned_red"]],
    }


def _summary_lists(user: Any, summary: DailySummary) -> dict[str, Any]:
    return {
        "teams": summary.details.get("teams", []),
        "notable": [
            s.problem_ref(problem) for problem in summary_objects(user, summary)["notable"]
        ],
        "agenda": summary.details.get("agenda", {}),
    }


REPORT_API = RecordApi(REPORTS, access_report, own_teams, s.report_data, _report_lists)
SUMMARY_API = RecordApi(SUMMARIES, access_summary, own_offices, s.summary_data, _summary_lists)


def _out(api: RecordApi, user: Any, record: Any) -> dict[str, Any]:
    record = api.kind.model.objects.select_related(*api.kind.related).get(pk=record.pk)
    allowed = api.kind.allowed(user, [record])[record.pk]
    return {**api.data(record, allowed), **api.lists(user, record)}


def listing(api: RecordApi, request: HttpRequest, filters: Any) -> dict[str, Any]:
    """The records the caller may read, latest day first, filtered as asked."""
    user = caller(request)
    kind = api.kind
    rows = kind.model.objects.visible_to(user).select_related(*kind.related)
    if getattr(filters, "mine", False):
        rows = rows.filter(**{f"{kind.owner}__in": api.own(user)})
    if filters.day is not None:
        rows = rows.filter(day=filters.day)
    if getattr(filters, kind.owner) is not None:
        rows = rows.filter(**{f"{kind.owner}_id": getattr(filters, kind.owner)})
    if filters.state is not None:
        rows = rows.filter(state=filters.state)
    page = list(rows[filters.offset : filters.offset + filters.page_size])
    allowed = kind.allowed(user, page)
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [api.data(row, allowed[row.pk]) for row in page],
    }


def read(api: RecordApi, request: HttpRequest, pk: int) -> dict[str, Any]:
    user = caller(request)
    return _out(api, user, api.access(user, pk))


def act(
    api: RecordApi, request: HttpRequest, pk: int, action: str, step: Any, **inputs: Any
) -> dict[str, Any]:
    """Take a `do_*` step on a record the caller may take `action` on."""
    user = caller(request)
    record = step(api.access(user, pk, action), acting_user=user, **inputs)
    return _out(api, user, record)


def edit(api: RecordApi, request: HttpRequest, pk: int, payload: Any) -> dict[str, Any]:
    texts = payload.dict(exclude_unset=True)
    return act(api, request, pk, api.kind.edit_action, api.kind.do_edit, **texts)


def refresh(api: RecordApi, request: HttpRequest, pk: int) -> dict[str, Any]:
    return act(api, request, pk, api.kind.edit_action, api.kind.do_refresh)


def close(api: RecordApi, request: HttpRequest, pk: int) -> dict[str, Any]:
    return act(api, request, pk, api.kind.close_action, api.kind.do_close)


# The operations stay one function each: their names are the OpenAPI operation ids.


@router.get("/daily/reports", response={200: s.ReportPage, **READ_ERRORS})
def list_reports(request: HttpRequest, filters: Query[s.ReportQuery]) -> Any:
    """Team reports the caller may read, latest day first."""
    return listing(REPORT_API, request, filters)


@router.get("/daily/reports/{report_id}", response={200: s.ReportDetailOut, **READ_ERRORS})
def get_report(request: HttpRequest, report_id: int) -> Any:
    """A report with the visits and problems behind its numbers."""
    return read(REPORT_API, request, report_id)


@router.patch("/daily/reports/{report_id}", response={200: s.ReportDetailOut, **WRITE_ERRORS})
def edit_report(request: HttpRequest, report_id: int, payload: s.ReportIn) -> Any:
    """The team writes its report (draft or returned). Fields left out stay as they are."""
    return edit(REPORT_API, request, report_id, payload)


@router.post(
    "/daily/reports/{report_id}/refresh", response={200: s.ReportDetailOut, **WRITE_ERRORS}
)
def refresh_report(request: HttpRequest, report_id: int) -> Any:
    """Count the report's numbers again from the data; the text stays."""
    return refresh(REPORT_API, request, report_id)


@router.post("/daily/reports/{report_id}/submit", response={200: s.ReportDetailOut, **WRITE_ERRORS})
def submit_report(request: HttpRequest, report_id: int) -> Any:
    """Send the report to the office; its numbers are counted once more and kept."""
    return close(REPORT_API, request, report_id)


@router.post("/daily/reports/{report_id}/return", response={200: s.ReportDetailOut, **WRITE_ERRORS})
def return_report(request: HttpRequest, report_id: int, payload: s.ReturnIn) -> Any:
    """The office sends a submitted report back to its team with the reason."""
    returning = DailyAction.RETURN_REPORT
    return act(REPORT_API, request, report_id, returning, do.do_return_report, **payload.dict())


@router.get("/daily/summaries", response={200: s.SummaryPage, **READ_ERRORS})
def list_summaries(request: HttpRequest, filters: Query[s.SummaryQuery]) -> Any:
    """Summaries of the offices in the caller's jurisdiction, latest day first."""
    return listing(SUMMARY_API, request, filters)


@router.get("/daily/summaries/{summary_id}", response={200: s.SummaryDetailOut, **READ_ERRORS})
def get_summary(request: HttpRequest, summary_id: int) -> Any:
    return read(SUMMARY_API, request, summary_id)


@router.patch("/daily/summaries/{summary_id}", response={200: s.SummaryDetailOut, **WRITE_ERRORS})
def edit_summary(request: HttpRequest, summary_id: int, payload: s.SummaryIn) -> Any:
    """The office writes its summary. Fields left out stay as they are."""
    return edit(SUMMARY_API, request, summary_id, payload)


@router.post(
    "/daily/summaries/{summary_id}/refresh", response={200: s.SummaryDetailOut, **WRITE_ERRORS}
)
def refresh_summary(request: HttpRequest, summary_id: int) -> Any:
    """Count the summary's numbers again (reports submitted since are rolled up)."""
    return refresh(SUMMARY_API, request, summary_id)


@router.post(
    "/daily/summaries/{summary_id}/finalise", response={200: s.SummaryDetailOut, **WRITE_ERRORS}
)
def finalise_summary(request: HttpRequest, summary_id: int) -> Any:
    """Count once more and close the summary; it is read-only after."""
    return close(SUMMARY_API, request, summary_id)


# --- agenda and drafting ---------------------------------------------------------------------


@router.get("/daily/agenda", response={200: s.AgendaOut, **READ_ERRORS, 403: ErrorOut})
def get_agenda(request: HttpRequest, query: Query[s.AgendaQuery]) -> Any:
    """会商议程: what the office's meeting must decide, computed from the data now."""
    user = caller(request)
    if query.office is None:
        office = own_offices(user).first() or readable_offices(user).first()
        if office is None:
            raise PermissionDenied(_("Your role may not take this action here."))
    else:
        office = access_office(user, query.office, DailyAction.VIEW_AGENDA)
    return s.agenda_data(agenda_for(office))


@router.post("/daily/draft", response={200: s.DraftOut, **WRITE_ERRORS})
def draft_now(request: HttpRequest, payload: s.DailyDraftIn) -> Any:
    """Draft now what the scheduled job drafts: a team's report (`team`), an office's teams
    and summary (`office`), or, with neither, the caller's own teams and offices."""
    user = caller(request)
    day = check_day(payload.day) if payload.day else None
    teams, offices = [], []
    if payload.team is not None:
        teams = [access_team(user, payload.team)]
    if payload.office is not None:
        offices = [access_office(user, payload.office, DailyAction.DRAFT)]
    if payload.team is None and payload.office is None:
        teams, offices = list(own_teams(user)), list(own_offices(user))
        if not teams and not offices:
            raise PermissionDenied(_("Your role may not take this action here."))
    reports, summaries, written = [], [], 0
    if teams:
        drafted = do.draft_day(day, acting_user=user, teams=teams)
        reports += drafted.reports
        written += drafted.written
    if offices:
        drafted = do.draft_day(day, acting_user=user, offices=offices)
        reports += drafted.reports
        summaries += drafted.summaries
        written += drafted.written
    return {
        "day": day or timezone.localdate(),
        "reports": sorted({report.pk for report in reports}),
        "summaries": [summary.pk for summary in summaries],
        "written": written,
    }
