"""Every change in the daily cycle. Atomic; one DailyEvent per call that changes something.

Callers (pages, API, the drafting job) check access first (`ducha.daily.access`); these
functions check the state of the locked row and the meaning of the input. Bad input raises
InvalidInput naming the field; a wrong state raises TransitionRefused.

Drafting is idempotent: a draft nobody has edited is created or brought up to date with the
data; a report or summary somebody edited, submitted or finalised is left alone, and a call
that finds nothing to change writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput, TransitionRefused
from ducha.daily.choices import REPORT_WRITABLE, EventAction, ReportState, SummaryState
from ducha.daily.drafts import report_texts
from ducha.daily.figures import TeamDay, team_days
from ducha.daily.jurisdiction import FIRST_DAY, office_region, offices_with_teams, teams_of
from ducha.daily.models import FIGURE_FIELDS, DailyEvent, DailyReport, DailySummary
from ducha.daily.rollup import summary_content
from ducha.orgs.models import Org, Team

# Texts longer than this are refused: a day's report is read in a meeting, not archived.
MAX_TEXT = 10_000
REPORT_TEXTS = ("work", "cases", "difficulties")
SUMMARY_TEXTS = ("overview", "cases", "decisions")


def _event(acting_user: Any, action: str, from_state: str, to_state: str, **kwargs: Any) -> None:
    DailyEvent.objects.create(
        actor=acting_user,
        action=action,
        from_state=from_state,
        to_state=to_state,
        created_at=timezone.now(),
        **kwargs,
    )


def check_day(day: date) -> date:
    if not FIRST_DAY <= day <= timezone.localdate():
        raise InvalidInput(_("Choose today or an earlier day."), "day")
    return day


def _texts(values: dict[str, str | None]) -> dict[str, str]:
    cleaned = {}
    for name, value in values.items():
        if value is None:
            continue
        value = value.strip()
        if len(value) > MAX_TEXT:
            raise InvalidInput(_("Write at most %(count)s characters.") % {"count": MAX_TEXT}, name)
        cleaned[name] = value
    return cleaned


def _set_figures(doc: Any, figures: dict[str, int], details: dict[str, Any], now: datetime) -> dict:
    """Store freshly counted numbers; returns those that changed, old and new."""
    changed: dict[str, Any] = {}
    for name, value in figures.items():
        if getattr(doc, name) != value:
            changed[name] = [getattr(doc, name), value]
            setattr(doc, name, value)
    if doc.details != details:
        doc.details = details
        changed.setdefault("details", True)
    doc.figures_at = now
    return changed


# --- team reports ----------------------------------------------------------------------------


def _team_day(team: Team, day: date, now: datetime) -> TeamDay:
    return team_days(day, [team.pk], now)[team.pk]


def _lock_report(report: DailyReport, writable: bool = True) -> DailyReport:
    locked = DailyReport.objects.select_for_update().get(pk=report.pk)
    if writable and locked.state not in REPORT_WRITABLE:
        raise TransitionRefused(_("This report has been submitted; it can no longer change."))
    return locked


@transaction.atomic
def do_draft_report(
    team: Team, day: date, *, acting_user: Any = None, team_day: TeamDay | None = None
) -> tuple[DailyReport, bool]:
    """Draft the team's report of `day`, or refresh a draft nobody has touched.

    `acting_user` is None when the scheduled job drafts. Returns the report and whether
    anything was written.
    """
    check_day(day)
    if not team.active:
        raise InvalidInput(_("This team is no longer active."), "team")
    now = timezone.now()
    report = DailyReport.objects.select_for_update().filter(team=team, day=day).first()
    if report is not None and (report.state != ReportState.DRAFT or report.edited_at):
        return report, False
    one = team_day or _team_day(team, day, now)
    texts = report_texts(one)
    if report is None:
        report = DailyReport(team=team, day=day, drafted_at=now, **texts)
        _set_figures(report, one.figures, one.details(), now)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            # Another drafting run created it meanwhile; that one stands.
            return DailyReport.objects.get(team=team, day=day), False
        _event(acting_user, EventAction.DRAFT, "", report.state, report=report)
        return report, True
    changed = _set_figures(report, one.figures, one.details(), now)
    if not changed:
        return report, False
    for name, value in texts.items():
        setattr(report, name, value)
    report.save()
    _event(
        acting_user,
        EventAction.REFRESH,
        report.state,
        report.state,
        report=report,
        payload={"changed": changed},
    )
    return report, True


@transaction.atomic
def do_refresh_report(report: DailyReport, *, acting_user: Any) -> DailyReport:
    """Count the numbers again; the team's words stay as they are."""
    report = _lock_report(report)
    now = timezone.now()
    one = _team_day(report.team, report.day, now)
    changed = _set_figures(report, one.figures, one.details(), now)
    report.save()
    _event(
        acting_user,
        EventAction.REFRESH,
        report.state,
        report.state,
        report=report,
        payload={"changed": changed},
    )
    return report


@transaction.atomic
def do_edit_report(
    report: DailyReport,
    *,
    acting_user: Any,
    work: str | None = None,
    cases: str | None = None,
    difficulties: str | None = None,
) -> DailyReport:
    """The team writes its report; from now on the drafting job leaves it alone."""
    report = _lock_report(report)
    texts = _texts({"work": work, "cases": cases, "difficulties": difficulties})
    changed = [name for name, value in texts.items() if getattr(report, name) != value]
    for name, value in texts.items():
        setattr(report, name, value)
    report.edited_at = timezone.now()
    report.edited_by = acting_user
    report.save()
    _event(
        acting_user,
        EventAction.EDIT,
        report.state,
        report.state,
        report=report,
        payload={"fields": changed},
    )
    return report


@transaction.atomic
def do_submit_report(report: DailyReport, *, acting_user: Any) -> DailyReport:
    """Send the report to the office with the numbers of this moment; it is read-only after."""
    report = _lock_report(report)
    if not report.work.strip():
        raise InvalidInput(_("Say what the team did on this day."), "work")
    now = timezone.now()
    one = _team_day(report.team, report.day, now)
    _set_figures(report, one.figures, one.details(), now)
    from_state = report.state
    report.state = ReportState.SUBMITTED
    report.return_reason = ""
    report.submitted_at = now
    report.submitted_by = acting_user
    if report.edited_at is None:
        report.edited_at, report.edited_by = now, acting_user
    report.save()
    _event(
        acting_user,
        EventAction.SUBMIT,
        from_state,
        report.state,
        report=report,
        payload={"figures": report.figures()},
    )
    return report


@transaction.atomic
def do_return_report(report: DailyReport, *, acting_user: Any, reason: str) -> DailyReport:
    """The office sends a submitted report back to the team, saying why."""
    report = _lock_report(report, writable=False)
    if report.state != ReportState.SUBMITTED:
        raise TransitionRefused(_("Only a submitted report can be returned."))
    reason = _texts({"reason": reason}).get("reason", "")
    if not reason:
        raise InvalidInput(_("Say what the team must correct."), "reason")
    if report.summaries.filter(state=SummaryState.FINAL).exists():
        raise TransitionRefused(
            _("This report is part of a finalised summary; it can no longer be returned.")
        )
    report.state = ReportState.RETURNED
    report.return_reason = reason
    report.save(update_fields=["state", "return_reason"])
    _event(
        acting_user,
        EventAction.RETURN,
        ReportState.SUBMITTED,
        report.state,
        report=report,
        payload={"reason": reason},
    )
    return report


# --- office summaries ------------------------------------------------------------------------


def _check_office(office: Org) -> None:
    if office_region(office) is None:
        raise InvalidInput(_("Choose a supervision office."), "office")


def _lock_summary(summary: DailySummary) -> DailySummary:
    locked = DailySummary.objects.select_for_update().get(pk=summary.pk)
    if locked.state != SummaryState.DRAFT:
        raise TransitionRefused(_("This summary has been finalised; it can no longer change."))
    return locked


def _recount(summary: DailySummary, now: datetime, days: Any = None) -> tuple[dict, Any]:
    content = summary_content(summary.office, summary.day, now, days)
    changed = _set_figures(summary, content.figures, content.details, now)
    return changed, content


@transaction.atomic
def do_draft_summary(
    office: Org, day: date, *, acting_user: Any = None, days: dict[int, TeamDay] | None = None
) -> tuple[DailySummary, bool]:
    """Draft the office's summary of `day`, or refresh a draft nobody has touched."""
    check_day(day)
    _check_office(office)
    now = timezone.now()
    summary = DailySummary.objects.select_for_update().filter(office=office, day=day).first()
    if summary is not None and (summary.state != SummaryState.DRAFT or summary.edited_at):
        return summary, False
    created = summary is None
    if summary is None:
        summary = DailySummary(office=office, day=day, drafted_at=now)
    changed, content = _recount(summary, now, days)
    if not created and not changed:
        return summary, False
    for name, value in content.texts.items():
        setattr(summary, name, value)
    try:
        with transaction.atomic():
            summary.save()
    except IntegrityError:
        return DailySummary.objects.get(office=office, day=day), False
    summary.reports.set(content.reports)
    action = EventAction.DRAFT if created else EventAction.REFRESH
    payload = {} if created else {"changed": changed}
    _event(
        acting_user,
        action,
        "" if created else summary.state,
        summary.state,
        summary=summary,
        payload=payload,
    )
    return summary, True


@transaction.atomic
def do_refresh_summary(summary: DailySummary, *, acting_user: Any) -> DailySummary:
    summary = _lock_summary(summary)
    changed, content = _recount(summary, timezone.now())
    summary.save()
    summary.reports.set(content.reports)
    _event(
        acting_user,
        EventAction.REFRESH,
        summary.state,
        summary.state,
        summary=summary,
        payload={"changed": changed},
    )
    return summary


@transaction.atomic
def do_edit_summary(
    summary: DailySummary,
    *,
    acting_user: Any,
    overview: str | None = None,
    cases: str | None = None,
    decisions: str | None = None,
) -> DailySummary:
    summary = _lock_summary(summary)
    texts = _texts({"overview": overview, "cases": cases, "decisions": decisions})
    changed = [name for name, value in texts.items() if getattr(summary, name) != value]
    for name, value in texts.items():
        setattr(summary, name, value)
    summary.edited_at = timezone.now()
    summary.edited_by = acting_user
    summary.save()
    _event(
        acting_user,
        EventAction.EDIT,
        summary.state,
        summary.state,
        summary=summary,
        payload={"fields": changed},
    )
    return summary


@transaction.atomic
def do_finalise_summary(summary: DailySummary, *, acting_user: Any) -> DailySummary:
    """Count once more and close the summary; the reports in it can no longer be returned."""
    summary = _lock_summary(summary)
    now = timezone.now()
    _, content = _recount(summary, now)
    summary.state = SummaryState.FINAL
    summary.finalised_at = now
    summary.finalised_by = acting_user
    if summary.edited_at is None:
        summary.edited_at, summary.edited_by = now, acting_user
    summary.save()
    summary.reports.set(content.reports)
    figures = {name: getattr(summary, name) for name in (*FIGURE_FIELDS, *content.figures)}
    _event(
        acting_user,
        EventAction.FINALISE,
        SummaryState.DRAFT,
        summary.state,
        summary=summary,
        payload={"figures": figures},
    )
    return summary


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
    for team_id, one in days.items():
        if team_id not in by_id:
            continue
        report, written = do_draft_report(
            by_id[team_id], day, acting_user=acting_user, team_day=one
        )
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
