"""The daily cycle over JSON: teams' reports, offices' summaries, the meeting agenda, and
drafting now. Lists start from `visible_to`; single objects come through the access helpers;
every change goes through `ducha.daily.actions`."""

from __future__ import annotations

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
from ducha.daily.agenda import agenda_for
from ducha.daily.choices import REPORT_WRITABLE, DailyAction, ReportState, SummaryState
from ducha.daily.details import report_objects, summary_objects
from ducha.daily.models import DailyReport, DailySummary

router = Router(tags=["daily cycle"])

REPORT_ACTIONS: dict[str, tuple[str, ...]] = {
    DailyAction.EDIT_REPORT: REPORT_WRITABLE,
    DailyAction.SUBMIT_REPORT: REPORT_WRITABLE,
    DailyAction.RETURN_REPORT: (ReportState.SUBMITTED,),
}
SUMMARY_ACTIONS: dict[str, tuple[str, ...]] = {
    DailyAction.EDIT_SUMMARY: (SummaryState.DRAFT,),
    DailyAction.FINALISE_SUMMARY: (SummaryState.DRAFT,),
}
REPORT_RELATED = ("team", "edited_by", "submitted_by")
SUMMARY_RELATED = ("office", "edited_by", "finalised_by")


def allowed_on(user: Any, model: Any, rows: list[Any], table: dict[str, tuple]) -> dict[int, list]:
    """For each row, the actions the caller may take on it now (one query per action)."""
    ids = [row.pk for row in rows]
    result: dict[int, list[str]] = {pk: [] for pk in ids}
    for action, states in table.items():
        able = model.objects.visible_to(user, action).filter(pk__in=ids, state__in=states)
        for pk in able.values_list("pk", flat=True):
            result[pk].append(str(action))
    return result


# --- reports ---------------------------------------------------------------------------------


def _report_out(user: Any, report: DailyReport) -> dict[str, Any]:
    report = DailyReport.objects.select_related(*REPORT_RELATED).get(pk=report.pk)
    allowed = allowed_on(user, DailyReport, [report], REPORT_ACTIONS)[report.pk]
    lists = report_objects(user, report)
    return {
        **s.report_data(report, allowed),
        "inspections": [s.visit_ref(visit) for visit in lists["inspections"]],
        "problems": [s.problem_ref(problem) for problem in lists["problems"]],
        "turned_red": [s.problem_ref(problem) for problem in lists["turned_red"]],
    }


@router.get("/daily/reports", response={200: s.ReportPage, **READ_ERRORS})
def list_reports(request: HttpRequest, filters: Query[s.ReportQuery]) -> Any:
    """Team reports the caller may read, latest day first."""
    user = caller(request)
    reports = DailyReport.objects.visible_to(user).select_related(*REPORT_RELATED)
    if filters.mine:
        reports = reports.filter(team__in=own_teams(user))
    if filters.day is not None:
        reports = reports.filter(day=filters.day)
    if filters.team is not None:
        reports = reports.filter(team_id=filters.team)
    if filters.state is not None:
        reports = reports.filter(state=filters.state)
    page = list(reports[filters.offset : filters.offset + filters.page_size])
    allowed = allowed_on(user, DailyReport, page, REPORT_ACTIONS)
    return {
        "count": reports.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [s.report_data(report, allowed[report.pk]) for report in page],
    }


@router.get("/daily/reports/{report_id}", response={200: s.ReportDetailOut, **READ_ERRORS})
def get_report(request: HttpRequest, report_id: int) -> Any:
    """A report with the visits and problems behind its numbers."""
    user = caller(request)
    return _report_out(user, access_report(user, report_id))


@router.patch("/daily/reports/{report_id}", response={200: s.ReportDetailOut, **WRITE_ERRORS})
def edit_report(request: HttpRequest, report_id: int, payload: s.ReportIn) -> Any:
    """The team writes its report (draft or returned). Fields left out stay as they are."""
    user = caller(request)
    report = access_report(user, report_id, DailyAction.EDIT_REPORT)
    report = do.do_edit_report(report, acting_user=user, **payload.dict(exclude_unset=True))
    return _report_out(user, report)


@router.post(
    "/daily/reports/{report_id}/refresh", response={200: s.ReportDetailOut, **WRITE_ERRORS}
)
def refresh_report(request: HttpRequest, report_id: int) -> Any:
    """Count the report's numbers again from the data; the text stays."""
    user = caller(request)
    report = access_report(user, report_id, DailyAction.EDIT_REPORT)
    return _report_out(user, do.do_refresh_report(report, acting_user=user))


@router.post("/daily/reports/{report_id}/submit", response={200: s.ReportDetailOut, **WRITE_ERRORS})
def submit_report(request: HttpRequest, report_id: int) -> Any:
    """Send the report to the office; its numbers are counted once more and kept."""
    user = caller(request)
    report = access_report(user, report_id, DailyAction.SUBMIT_REPORT)
    return _report_out(user, do.do_submit_report(report, acting_user=user))


@router.post("/daily/reports/{report_id}/return", response={200: s.ReportDetailOut, **WRITE_ERRORS})
def return_report(request: HttpRequest, report_id: int, payload: s.ReturnIn) -> Any:
    """The office sends a submitted report back to its team with the reason."""
    user = caller(request)
    report = access_report(user, report_id, DailyAction.RETURN_REPORT)
    return _report_out(user, do.do_return_report(report, acting_user=user, reason=payload.reason))


# --- summaries -------------------------------------------------------------------------------


def _summary_out(user: Any, summary: DailySummary) -> dict[str, Any]:
    summary = DailySummary.objects.select_related(*SUMMARY_RELATED).get(pk=summary.pk)
    allowed = allowed_on(user, DailySummary, [summary], SUMMARY_ACTIONS)[summary.pk]
    lists = summary_objects(user, summary)
    return {
        **s.summary_data(summary, allowed),
        "teams": summary.details.get("teams", []),
        "notable": [s.problem_ref(problem) for problem in lists["notable"]],
        "agenda": summary.details.get("agenda", {}),
    }


@router.get("/daily/summaries", response={200: s.SummaryPage, **READ_ERRORS})
def list_summaries(request: HttpRequest, filters: Query[s.SummaryQuery]) -> Any:
    """Summaries of the offices in the caller's jurisdiction, latest day first."""
    user = caller(request)
    summaries = DailySummary.objects.visible_to(user).select_related(*SUMMARY_RELATED)
    if filters.day is not None:
        summaries = summaries.filter(day=filters.day)
    if filters.office is not None:
        summaries = summaries.filter(office_id=filters.office)
    if filters.state is not None:
        summaries = summaries.filter(state=filters.state)
    page = list(summaries[filters.offset : filters.offset + filters.page_size])
    allowed = allowed_on(user, DailySummary, page, SUMMARY_ACTIONS)
    return {
        "count": summaries.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [s.summary_data(summary, allowed[summary.pk]) for summary in page],
    }


@router.get("/daily/summaries/{summary_id}", response={200: s.SummaryDetailOut, **READ_ERRORS})
def get_summary(request: HttpRequest, summary_id: int) -> Any:
    user = caller(request)
    return _summary_out(user, access_summary(user, summary_id))


@router.patch("/daily/summaries/{summary_id}", response={200: s.SummaryDetailOut, **WRITE_ERRORS})
def edit_summary(request: HttpRequest, summary_id: int, payload: s.SummaryIn) -> Any:
    """The office writes its summary. Fields left out stay as they are."""
    user = caller(request)
    summary = access_summary(user, summary_id, DailyAction.EDIT_SUMMARY)
    summary = do.do_edit_summary(summary, acting_user=user, **payload.dict(exclude_unset=True))
    return _summary_out(user, summary)


@router.post(
    "/daily/summaries/{summary_id}/refresh", response={200: s.SummaryDetailOut, **WRITE_ERRORS}
)
def refresh_summary(request: HttpRequest, summary_id: int) -> Any:
    """Count the summary's numbers again (reports submitted since are rolled up)."""
    user = caller(request)
    summary = access_summary(user, summary_id, DailyAction.EDIT_SUMMARY)
    return _summary_out(user, do.do_refresh_summary(summary, acting_user=user))


@router.post(
    "/daily/summaries/{summary_id}/finalise", response={200: s.SummaryDetailOut, **WRITE_ERRORS}
)
def finalise_summary(request: HttpRequest, summary_id: int) -> Any:
    """Count once more and close the summary; it is read-only after."""
    user = caller(request)
    summary = access_summary(user, summary_id, DailyAction.FINALISE_SUMMARY)
    return _summary_out(user, do.do_finalise_summary(summary, acting_user=user))


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
    day = do.check_day(payload.day) if payload.day else None
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
