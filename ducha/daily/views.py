"""Pages of the daily cycle: the home page, the team reports of a day, the offices' summaries
(日汇总), the meeting agenda (会商议程) and drafting now. One report or summary is shown and
written by `record_views`.

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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.core.forms import run_action
from ducha.core.scope import roles_of
from ducha.daily import actions
from ducha.daily.access import (
    access_office,
    access_team,
    own_offices,
    own_teams,
    readable_offices,
)
from ducha.daily.agenda import agenda_for
from ducha.daily.choices import DAILY_ACTION_ROLES, DailyAction, ReportState
from ducha.daily.drafts import agenda_lines
from ducha.daily.forms import AgendaTickForm, OfficePick
from ducha.daily.jurisdiction import FIRST_DAY, office_region, teams_of
from ducha.daily.models import DailyReport, DailySummary
from ducha.fieldwork.agenda_ticks import do_tick_agenda_item, ticked_ids
from ducha.fieldwork.choices import FieldAction
from ducha.fieldwork.choosers import acting_orgs
from ducha.problems.access import access_problem

# The team's own list of reports goes back this many days.
OWN_DAYS = 30
# The list of summaries shows this many, the latest first.
LIST_LIMIT = 60


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
        teams = list(teams_of(region).order_by("sort_key", "pk")) if region else []
        found = DailyReport.objects.visible_to(user).filter(day=day, team__in=teams)
        by_team = {report.team_id: report for report in found}
        context |= {
            "rows": [{"team": team, "report": by_team.get(team.pk)} for team in teams],
            "office_pick": OfficePick(user=user, office=office),
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


# --- summaries and the agenda ----------------------------------------------------------------


@login_required
def summaries(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(user, DailyAction.VIEW)
    rows = (
        DailySummary.objects.visible_to(user)
        .select_related("office")
        .order_by("-day", "office__tree_order", "pk")[:LIST_LIMIT]
    )
    context = {"summaries": rows, "today": timezone.localdate(), "offices": own_offices(user)}
    return render(request, "daily/summaries.html", context)


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    """会商议程: the items the office's meeting must take, as a checklist."""
    user = request.user
    require(user, DailyAction.VIEW_AGENDA)
    office_id = request.GET.get("office")
    if office_id:
        office = access_office(user, office_id, DailyAction.VIEW_AGENDA)
    else:
        office = own_offices(user).first() or readable_offices(user).first()
        if office is None:
            raise PermissionDenied(_("Your roles may not do this."))
    result = agenda_for(office)
    today = DailySummary.objects.filter(office=office, day=result.day).first()
    context = {
        "agenda": result,
        "office_pick": OfficePick(user=user, office=office),
        "may_record": own_offices(user).filter(pk=office.pk).exists(),
        "may_tick": _may_tick(user, office),
        "ticked": ticked_ids(office, result.day),
        "summary": today,
        "agenda_text": "\n".join(agenda_lines(result)),
    }
    return render(request, "daily/agenda.html", context)


def _may_tick(user: Any, office: Any) -> bool:
    return acting_orgs(user, FieldAction.RECORD_MEETING).filter(pk=office.pk).exists()


@login_required
@require_POST
def agenda_tick(request: HttpRequest) -> HttpResponse:
    """Tick (or untick) one item of the office's agenda: the meeting has taken it."""
    user = request.user
    require(user, DailyAction.VIEW_AGENDA)
    form = AgendaTickForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=422)
    office = access_office(user, form.cleaned_data["office"], DailyAction.VIEW_AGENDA)
    problem = access_problem(user, form.cleaned_data["problem"])
    day, ticked = form.cleaned_data["day"], form.cleaned_data["ticked"]
    outcome = run_action(
        request,
        None,
        do_tick_agenda_item,
        acting_user=user,
        office=office,
        day=day,
        problem=problem,
        ticked=ticked,
    )
    if request.headers.get("HX-Request"):
        context = {
            "office": office,
            "day": day,
            "problem": problem,
            "is_ticked": problem.pk in ticked_ids(office, day),
            "may_tick": True,
        }
        status = 200 if outcome.ok else outcome.status
        return render(request, "daily/_agenda_tick.html", context, status=status)
    return redirect(f"{reverse('daily:agenda')}?office={office.pk}#item-{problem.pk}")


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
