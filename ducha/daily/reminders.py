"""日报告 due: a team whose report for today is not submitted by the configured hour is told.

The scheduler runs `remind_reports_due` at DUCHA_DAILY_REPORT_DUE_HOUR (local time). A team
is reminded when its report for today is still a draft or was returned, or when it had a
task today and no report at all. Its active members are told once a day
(`daily-report-due:<team>:<day>`), however often the job runs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ducha.daily.choices import REPORT_WRITABLE, ReportState
from ducha.daily.models import DailyReport
from ducha.fieldwork.choices import TaskState
from ducha.fieldwork.models import Task
from ducha.notices.actions import do_notify
from ducha.notices.choices import NotificationKind
from ducha.orgs.models import Team

# Marked here, translated when each member's notification is written (in their language).
RETURNED = gettext_noop("The office returned the report of %(team)s for %(day)s.")
NOT_SUBMITTED = gettext_noop("The report of %(team)s for %(day)s is not submitted yet.")


def teams_behind(day: date) -> dict[int, DailyReport | None]:
    """Team id → its unsubmitted report of `day` (None: a team with a task and no report)."""
    behind: dict[int, DailyReport | None] = {
        report.team_id: report
        for report in DailyReport.objects.filter(day=day, state__in=REPORT_WRITABLE)
    }
    reported = set(DailyReport.objects.filter(day=day).values_list("team_id", flat=True))
    tasked = (
        Task.objects.filter(day=day)
        .exclude(state=TaskState.CANCELLED)
        .values_list("team_id", flat=True)
        .distinct()
    )
    for team_id in tasked:
        if team_id not in reported:
            behind.setdefault(team_id, None)
    return behind


def remind_reports_due(day: date | None = None) -> int:
    """Tell the members of every team behind on `day`'s report (default today). Returns how
    many notifications were stored."""
    day = day or timezone.localdate()
    behind = teams_behind(day)
    teams = Team.objects.filter(pk__in=behind, active=True).prefetch_related("members")
    return sum(_remind(team, behind[team.pk], day) for team in teams)


def _remind(team: Team, report: DailyReport | None, day: date) -> int:
    params: dict[str, Any] = {"team": team.name, "day": day.isoformat()}
    returned = report is not None and report.state == ReportState.RETURNED
    said = RETURNED if returned else NOT_SUBMITTED
    return len(
        do_notify(
            recipients=[m for m in team.members.all() if m.is_active],
            kind=NotificationKind.DAILY_REPORT_DUE,
            title=lambda: _("Daily report due: %(team)s, %(day)s") % params,
            body=lambda: _(said) % params,
            next_step=lambda: _("Complete the day's report and submit it to the office today."),
            url=reverse("daily:report", args=[report.pk]) if report else reverse("daily:home"),
            subject_type="daily_report" if report else "team",
            subject_id=report.pk if report else team.pk,
            source_key=f"daily-report-due:{team.pk}:{day.isoformat()}",
        )
    )
