"""What a summary says: its numbers, the teams and their reports, its draft texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import translation

from ducha.accountability.figures import Period, results
from ducha.daily.agenda import agenda_for
from ducha.daily.choices import ReportState
from ducha.daily.drafts import notable_problems, summary_texts
from ducha.daily.figures import TeamDay, region_figures, team_days, total
from ducha.daily.jurisdiction import office_region, teams_of
from ducha.daily.models import DailyReport
from ducha.orgs.models import Org
from ducha.resumption.figures import stated


@dataclass
class SummaryContent:
    figures: dict[str, int]
    details: dict[str, Any]
    reports: list[DailyReport]
    texts: dict[str, str]


def summary_content(
    office: Org, day: date, now: datetime, days: dict[int, TeamDay] | None = None
) -> SummaryContent:
    """The roll-up of every team of the office's jurisdiction. `days` may bring the teams'
    numbers computed already (by the drafting job, for the teams with activity)."""
    region = office_region(office)
    assert region is not None
    teams = list(teams_of(region).order_by("sort_key", "pk"))
    if days is None:
        days = team_days(day, [team.pk for team in teams], now)
    reports = list(
        DailyReport.objects.filter(day=day, team__in=teams).select_related("team").order_by("pk")
    )
    by_team = {report.team_id: report for report in reports}
    rolled = total(days.get(team.pk, TeamDay()) for team in teams)
    figures = {**rolled.figures, **region_figures(region, day, now)}
    figures["teams"] = len(teams)
    figures["reports_submitted"] = sum(r.state == ReportState.SUBMITTED for r in reports)
    notable = notable_problems(region, day)
    with translation.override(settings.LANGUAGE_CODE):
        agenda = agenda_for(office, now)
        texts = summary_texts(
            [by_team[team.pk] for team in teams if team.pk in by_team], notable, agenda
        )
    details = {
        **rolled.details(),
        "teams": [
            {
                "id": team.pk,
                "name": team.name,
                "report": by_team[team.pk].pk if team.pk in by_team else None,
                "state": by_team[team.pk].state if team.pk in by_team else "",
            }
            for team in teams
        ],
        "notable": notable,
        "agenda": agenda.counts(),
        # The day's accountability and commendations, counted (never named).
        "results": results(region, Period(day, day)).as_data(),
    }
    # 复工复产 as of the day, where the jurisdiction has enterprises in the ledger.
    resumption = stated(region, day)
    if resumption is not None:
        details["resumption"] = resumption
    return SummaryContent(figures, details, reports, texts)
