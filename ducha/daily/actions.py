"""Every change in the daily cycle. Team reports and office summaries are drafted records
(`ducha.daily.lifecycle`): each kind declares here what is its own, and their draft, refresh,
edit and close steps are the shared ones. Returning a report, which only reports know, and
the drafting job live here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ducha.core.errors import InvalidInput, TransitionRefused
from ducha.daily.choices import (
    REPORT_WRITABLE,
    DailyAction,
    EventAction,
    ReportState,
    SummaryState,
)
from ducha.daily.drafts import report_texts
from ducha.daily.figures import TeamDay, team_days
from ducha.daily.jurisdiction import office_region, offices_with_teams, teams_of
from ducha.daily.lifecycle import Count, DraftedRecord, check_day, clean_texts
from ducha.daily.models import DailyReport, DailySummary
from ducha.daily.rollup import summary_content
from ducha.orgs.models import Org, Team


class Reports(DraftedRecord[DailyReport, Team]):
    """日报告: a team's day, submitted by the team; the office may return it."""

    model = DailyReport
    name = "report"
    owner = "team"
    texts = ("work", "cases", "difficulties")
    writable = REPORT_WRITABLE
    draft_state = ReportState.DRAFT
    final_state = ReportState.SUBMITTED
    final_action = EventAction.SUBMIT
    final_fields = ("submitted_at", "submitted_by")
    edit_action = DailyAction.EDIT_REPORT
    close_action = DailyAction.SUBMIT_REPORT
    closed_message = gettext_lazy("This report has been submitted; it can no longer change.")
    other_actions = {DailyAction.RETURN_REPORT: (ReportState.SUBMITTED,)}

    def check_owner(self, owner: Team) -> None:
        if not owner.active:
            raise InvalidInput(_("This team is no longer active."), "team")

    def count(
        self, owner: Team, day: date, now: datetime, days: dict[int, Any] | None = None
    ) -> Count:
        if days and owner.pk in days:
            one = days[owner.pk]
        else:
            one = team_days(day, [owner.pk], now)[owner.pk]
        return Count(one.figures, one.details(), lambda: report_texts(one))

    def prepare_close(self, record: DailyReport) -> None:
        if not record.work.strip():
            raise InvalidInput(_("Say what the team did on this day."), "work")
        record.return_reason = ""


class Summaries(DraftedRecord[DailySummary, Org]):
    """日汇总: an office's roll-up of its jurisdiction's teams, finalised by the office."""

    model = DailySummary
    name = "summary"
    owner = "office"
    texts = ("overview", "cases", "decisions")
    writable = (SummaryState.DRAFT,)
    draft_state = SummaryState.DRAFT
    final_state = SummaryState.FINAL
    final_action = EventAction.FINALISE
    final_fields = ("finalised_at", "finalised_by")
    edit_action = DailyAction.EDIT_SUMMARY
    close_action = DailyAction.FINALISE_SUMMARY
    closed_message = gettext_lazy("This summary has been finalised; it can no longer change.")

    def check_owner(self, owner: Org) -> None:
        if office_region(owner) is None:
            raise InvalidInput(_("Choose a supervision office."), "office")

    def count(
        self, owner: Org, day: date, now: datetime, days: dict[int, Any] | None = None
    ) -> Count:
        content = summary_content(owner, day, now, days)
        return Count(content.figures, content.details, lambda: content.texts, content.reports)

    def save(self, record: DailySummary, count: Count) -> None:
        record.save()
        record.reports.set(count.reports or [])


REPORTS = Reports()
SUMMARIES = Summaries()

do_draft_report = REPORTS.do_draft
do_refresh_report = REPORTS.do_refresh
do_edit_report = REPORTS.do_edit
do_submit_report = REPORTS.do_close

do_draft_summary = SUMMARIES.do_draft
do_refresh_summary = SUMMARIES.do_refresh
do_edit_summary = SUMMARIES.do_edit
do_finalise_summary = SUMMARIES.do_close


@transaction.atomic
def do_return_report(report: DailyReport, *, acting_user: Any, reason: str) -> DailyReport:
    """The office sends a submitted report back to the team, saying why."""
    report = REPORTS.lock(report, writable=False)
    if report.state != ReportState.SUBMITTED:
        raise TransitionRefused(_("Only a submitted report can be returned."))
    reason = clean_texts({"reason": reason}).get("reason", "")
    if not reason:
        raise InvalidInput(_("Say what the team must correct."), "reason")
    if report.summaries.filter(state=SummaryState.FINAL).exists():
        raise TransitionRefused(
            _("This report is part of a finalised summary; it can no longer be returned.")
        )
    report.state = ReportState.RETURNED
    report.return_reason = reason
    report.save(update_fields=["state", "return_reason"])
    REPORTS.event(report, acting_user, EventAction.RETURN, ReportState.SUBMITTED, reason=reason)
    return report


# --- the drafting job ------------------------------------------------------------------------


@dataclass
class Drafted:
    day: date
    reports: list[DailyReport] = field(default_factory=list)
    summaries: list[DailySummary] = field(default_factory=list)
    written: int = 0


def draft_day(
    day: date | None = None,
    *,
    acting_user: Any = None,
    offices: list[Org] | None = None,
    teams: list[Team] | None = None,
) -> Drafted:
    """Draft a day's reports and summaries (each in its own transaction: a run that stops
    half-way is finished by the next one).

    With neither `offices` nor `teams` (the scheduled job): every team with activity and
    every office with teams. With `offices`: their teams with activity and their summaries.
    With `teams`: those teams' reports, even on a day without activity.
    """
    day = check_day(day or timezone.localdate())
    now = timezone.now()
    days: dict[int, TeamDay]
    if teams is not None:
        days = team_days(day, [team.pk for team in teams], now)
        offices = offices or []
    elif offices is not None:
        wanted = {pk for office in offices for pk in _team_ids(office)}
        days = {pk: one for pk, one in team_days(day, wanted, now).items() if one.active}
    else:
        days = team_days(day, None, now)
        offices = offices_with_teams()
    drafted = Drafted(day)
    by_id = Team.objects.filter(active=True).in_bulk(list(days))
    for team_id in days:
        if team_id not in by_id:
            continue
        report, written = do_draft_report(by_id[team_id], day, acting_user=acting_user, days=days)
        drafted.reports.append(report)
        drafted.written += written
    for office in offices:
        summary, written = do_draft_summary(office, day, acting_user=acting_user, days=days)
        drafted.summaries.append(summary)
        drafted.written += written
    return drafted


def _team_ids(office: Org) -> list[int]:
    region = office_region(office)
    return list(teams_of(region).values_list("pk", flat=True)) if region else []
