"""Pages of the daily cycle: the home page, the team reports of a day, one report (read and,
for its team, written on a phone), and drafting now. Summaries and the agenda live in
`summary_views`.

Lists start from `visible_to(user)`; single objects come only through the `access_*`
helpers; every change goes through a `do_*` action.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.core.forms import run_action
from ducha.core.scope import roles_of
from ducha.daily import actions
from ducha.daily.access import (
    access_office,
    access_report,
    access_team,
    own_offices,
    own_teams,
    readable_offices,
)
from ducha.daily.choices import DAILY_ACTION_ROLES, REPORT_WRITABLE, DailyAction, ReportState
from ducha.daily.details import report_objects
from ducha.daily.forms import ReportForm, ReturnForm
from ducha.daily.jurisdiction import FIRST_DAY, office_region, teams_of
from ducha.daily.models import DailyReport, DailySummary
from ducha.daily.presenting import figure_rows

# The team's own list of reports goes back this many days.
OWN_DAYS = 30


def may(user: Any, action: str) -> bool:
    return bool(roles_of(user) & DAILY_ACTION_ROLES[action])


def require(user: Any, action: str) -> None:
    if not may(user, action):
        raise PermissionDenied(_("Your roles may not do this."))


def parse_day(value: str | None) -> date:
    """A day from the query string; today when absent; 404 when not a day we can show."""
    if not value:
        return timezone.localdate()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Http404 from None
    if not FIRST_DAY <= day <= timezone.localdate():
        raise Http404
    return day


def pick_office(user: Any, office_id: str | None) -> Any:
    """The office a reader chose (or their first one); None when they read no office."""
    if office_id:
        return access_office(user, office_id, DailyAction.VIEW)
    return own_offices(user).first() or readable_offices(user).first()


# --- home ------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Today: my team's report, or my office's summary, the teams' reports and the agenda."""
    user = request.user
    require(user, DailyAction.VIEW)
    today = timezone.localdate()
    teams = list(own_teams(user))
    reports = {
        report.team_id: report
        for report in DailyReport.objects.visible_to(user).filter(day=today, team__in=teams)
    }
    offices = list(own_offices(user)) or list(readable_offices(user)[:10])
    summaries = {
        summary.office_id: summary
        for summary in DailySummary.objects.visible_to(user).filter(day=today, office__in=offices)
    }
    writable = set(own_offices(user).values_list("pk", flat=True))
    context = {
        "today": today,
        "team_cards": [{"team": team, "report": reports.get(team.pk)} for team in teams],
        "office_cards": [
            {
                "office": office,
                "summary": summaries.get(office.pk),
                "may_draft": office.pk in writable,
            }
            for office in offices
        ],
        "may_agenda": may(user, DailyAction.VIEW_AGENDA),
    }
    return render(request, "daily/home.html", context)


# --- reports ---------------------------------------------------------------------------------


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """The team reports of one day for an office's jurisdiction; a team's own reports."""
    user = request.user
    require(user, DailyAction.VIEW)
    day = parse_day(request.GET.get("day"))
    office = pick_office(user, request.GET.get("office"))
    context: dict[str, Any] = {"day": day, "office": office, "today": timezone.localdate()}
    if office is not None:
        region = office_region(office)
        teams = list(teams_of(region).order_by("name", "pk")) if region else []
        found = DailyReport.objects.visible_to(user).filter(day=day, team__in=teams)
        by_team = {report.team_id: report for report in found}
        context |= {
            "rows": [{"team": team, "report": by_team.get(team.pk)} for team in teams],
            "offices": readable_offices(user),
            "submitted": sum(r.state == ReportState.SUBMITTED for r in by_team.values()),
            "previous": day - timedelta(days=1) if day > FIRST_DAY else None,
            "next": day + timedelta(days=1) if day < timezone.localdate() else None,
        }
    else:
        since = timezone.localdate() - timedelta(days=OWN_DAYS)
        context["own"] = (
            DailyReport.objects.visible_to(user)
            .filter(team__in=own_teams(user), day__gte=since)
            .select_related("team")
        )
    return render(request, "daily/reports.html", context)


def _report_page(
    request: HttpRequest,
    report: DailyReport,
    form: ReportForm | None = None,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    able = {
        action
        for action in (DailyAction.EDIT_REPORT, DailyAction.RETURN_REPORT)
        if DailyReport.objects.visible_to(user, action).filter(pk=report.pk).exists()
    }
    may_write = DailyAction.EDIT_REPORT in able and report.state in REPORT_WRITABLE
    may_return = DailyAction.RETURN_REPORT in able and report.state == ReportState.SUBMITTED
    if may_write and form is None:
        form = ReportForm(
            initial={name: getattr(report, name) for name in ("work", "cases", "difficulties")}
        )
    context = {
        "report": report,
        "figures": figure_rows(report),
        "form": form if may_write else None,
        "return_form": (return_form or ReturnForm()) if may_return else None,
        "events": report.events.select_related("actor"),
        **report_objects(user, report),
    }
    return render(request, "daily/report.html", context, status=status)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One report; its team writes it here (POST saves the text)."""
    user = request.user
    if request.method != "POST":
        return _report_page(request, access_report(user, pk))
    report = access_report(user, pk, DailyAction.EDIT_REPORT)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, form=form, status=422)
    outcome = run_action(
        request, form, actions.do_edit_report, report, acting_user=user, **form.cleaned_data
    )
    if outcome.ok:
        messages.success(request, _("The report was saved."))
        return redirect("daily:report", pk=report.pk)
    if outcome.refused_state:
        return _report_page(request, access_report(user, pk), status=outcome.status)
    return _report_page(request, report, form=form, status=outcome.status)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit; sent from the edit form, the text is saved first (then submitted)."""
    user = request.user
    report = access_report(user, pk, DailyAction.SUBMIT_REPORT)
    sent = any(name in request.POST for name in ReportForm.base_fields)
    texts = {name: getattr(report, name) for name in ("work", "cases", "difficulties")}
    form = ReportForm(request.POST if sent else texts)
    if not form.is_valid() and sent:
        return _report_page(request, report, form=form, status=422)

    def save_and_submit() -> Any:
        saved = report
        if sent:
            saved = actions.do_edit_report(report, acting_user=user, **form.cleaned_data)
        return actions.do_submit_report(saved, acting_user=user)

    outcome = run_action(request, form, save_and_submit)
    if outcome.refused_state:
        return _report_page(request, access_report(user, pk), status=outcome.status)
    if not outcome.ok:
        return _report_page(request, report, form=form, status=outcome.status)
    messages.success(request, _("The report was submitted to the office."))
    return redirect("daily:report", pk=report.pk)


@login_required
@require_POST
def report_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = access_report(user, pk, DailyAction.EDIT_REPORT)
    outcome = run_action(request, None, actions.do_refresh_report, report, acting_user=user)
    if not outcome.ok:
        return _report_page(request, access_report(user, pk), status=outcome.status)
    messages.success(request, _("The numbers were counted again."))
    return redirect("daily:report", pk=report.pk)


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = access_report(user, pk, DailyAction.RETURN_REPORT)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, return_form=form, status=422)
    outcome = run_action(
        request, form, actions.do_return_report, report, acting_user=user, **form.cleaned_data
    )
    if outcome.ok:
        messages.success(request, _("The report was returned to the team."))
        return redirect("daily:report", pk=report.pk)
    if outcome.refused_state:
        return _report_page(request, access_report(user, pk), status=outcome.status)
    return _report_page(request, report, return_form=form, status=outcome.status)


# --- drafting now ----------------------------------------------------------------------------


@login_required
@require_POST
def draft_now(request: HttpRequest) -> HttpResponse:
    """What the scheduled job does, for one team or one office, when no worker runs."""
    user = request.user
    require(user, DailyAction.DRAFT)
    day = parse_day(request.POST.get("day"))
    if request.POST.get("team"):
        team = access_team(user, request.POST["team"])
        drafted = actions.draft_day(day, acting_user=user, teams=[team])
        messages.success(request, _("The team's report is drafted."))
        return redirect("daily:report", pk=drafted.reports[0].pk)
    if request.POST.get("office"):
        office = access_office(user, request.POST["office"], DailyAction.DRAFT)
        drafted = actions.draft_day(day, acting_user=user, offices=[office])
        messages.success(request, _("The teams' reports and the summary are drafted."))
        return redirect("daily:summary", pk=drafted.summaries[0].pk)
    raise Http404
