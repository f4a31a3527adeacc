"""The daily cycle's API shapes, and the functions that fill them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from ducha.core.schemas import Body, Bounded, PageOut, PageQuery, Ref, ref
from ducha.core.text import LongText, ReportText
from ducha.daily.actions import REPORTS, SUMMARIES
from ducha.daily.agenda import Agenda, AgendaItem
from ducha.daily.choices import ReportState, SummaryState
from ducha.daily.lifecycle import DraftedRecord
from ducha.daily.models import DailyReport, DailySummary
from ducha.daily.presenting import results_line, resumption_lines
from ducha.problems.models import Problem
from ducha.problems.querysets import rate
from ducha.problems.sentences import stats_sentence

TEXT = Field(None)


class Figures(Schema):
    inspections: int
    sites_visited: int
    open_visits: int
    unannounced_visits: int
    revisit_visits: int
    stationed_visits: int
    questions_checked: int
    questions_failed: int
    problems_found: int
    urgent_problems: int
    common_problems: int
    fixed_on_spot: int
    revisits_done: int
    revisits_failed: int
    turned_red: int


class RegionFigures(Schema):
    teams: int
    reports_submitted: int
    found_in_region: int
    closed_in_region: int
    overdue_in_region: int
    cumulative_found: int
    cumulative_rectified: int
    rate: str = Field(description="cumulative_rectified ÷ cumulative_found in %, half up")
    sentence: str = Field(description="The statistics sentence as of the day")
    results_sentence: str = Field(
        "", description="The day's accountability and commendations, counted, in words"
    )
    resumption_sentences: list[str] = Field(
        default_factory=list,
        description="复工复产 as of the day, by category, in words (none without enterprises)",
    )


class ProblemRef(Schema):
    id: int
    title: str
    region: str
    state: str
    urgency: str
    nature: str
    deadline: datetime


class VisitRef(Schema):
    id: int
    visited_at: datetime
    method: str
    sites: list[str]


# --- reports ---------------------------------------------------------------------------------


class ReportQuery(PageQuery):
    day: date | None = None
    team: int | None = None
    state: ReportState | None = None
    mine: bool = Field(False, description="Only the reports of the caller's own teams.")


class ReportOut(Schema):
    id: int
    team: Ref
    day: date
    state: str
    state_label: str
    figures: Figures
    figures_at: datetime
    work: str
    cases: str
    difficulties: str
    return_reason: str
    drafted_at: datetime
    edited_at: datetime | None
    edited_by: str | None
    submitted_at: datetime | None
    submitted_by: str | None
    allowed_actions: list[str]


class ReportDetailOut(ReportOut):
    inspections: list[VisitRef]
    problems: list[ProblemRef]
    turned_red: list[ProblemRef]


class ReportPage(PageOut):
    items: list[ReportOut]


class ReportIn(Body):
    work: ReportText | None = TEXT
    cases: ReportText | None = TEXT
    difficulties: ReportText | None = TEXT


class ReturnIn(Body):
    reason: LongText


def _name(user: Any) -> str | None:
    return str(user) if user is not None else None


def record_data(kind: DraftedRecord, record: Any, allowed: list[str]) -> dict[str, Any]:
    """What a report and a summary both say: whose, which day, its state, numbers and words."""
    closed_at, closed_by = kind.final_fields
    return {
        "id": record.pk,
        kind.owner: ref(getattr(record, kind.owner)),
        "day": record.day,
        "state": record.state,
        "state_label": str(record.get_state_display()),
        "figures": record.figures(),
        "figures_at": record.figures_at,
        **{name: getattr(record, name) for name in kind.texts},
        "drafted_at": record.drafted_at,
        "edited_at": record.edited_at,
        "edited_by": _name(record.edited_by),
        closed_at: getattr(record, closed_at),
        closed_by: _name(getattr(record, closed_by)),
        "allowed_actions": allowed,
    }


def report_data(report: DailyReport, allowed: list[str]) -> dict[str, Any]:
    return {**record_data(REPORTS, report, allowed), "return_reason": report.return_reason}


def problem_ref(problem: Problem) -> dict[str, Any]:
    return {
        "id": problem.pk,
        "title": problem.title,
        "region": problem.region.name,
        "state": problem.state,
        "urgency": problem.urgency,
        "nature": problem.nature,
        "deadline": problem.deadline,
    }


def visit_ref(visit: Any) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "visited_at": visit.visited_at,
        "method": visit.method,
        "sites": [site.name for site in visit.sites.all()],
    }


# --- summaries -------------------------------------------------------------------------------


class SummaryQuery(PageQuery):
    day: date | None = None
    office: int | None = None
    state: SummaryState | None = None


class TeamStatus(Schema):
    id: int
    name: str
    report: int | None
    state: str


class SummaryOut(Schema):
    id: int
    office: Ref
    day: date
    state: str
    state_label: str
    figures: Figures
    region: RegionFigures
    figures_at: datetime
    overview: str
    cases: str
    decisions: str
    drafted_at: datetime
    edited_at: datetime | None
    edited_by: str | None
    finalised_at: datetime | None
    finalised_by: str | None
    allowed_actions: list[str]


class SummaryDetailOut(SummaryOut):
    teams: list[TeamStatus]
    notable: list[ProblemRef]
    agenda: dict[str, int]


class SummaryPage(PageOut):
    items: list[SummaryOut]


class SummaryIn(Body):
    overview: ReportText | None = TEXT
    cases: ReportText | None = TEXT
    decisions: ReportText | None = TEXT


def region_data(summary: DailySummary) -> dict[str, Any]:
    data: dict[str, Any] = summary.region_figures()
    data["rate"] = rate(summary.cumulative_rectified, summary.cumulative_found)
    data["sentence"] = stats_sentence(
        as_of=summary.day, found=summary.cumulative_found, rectified=summary.cumulative_rectified
    )
    data["results_sentence"] = results_line(summary)
    data["resumption_sentences"] = resumption_lines(summary)
    return data


def summary_data(summary: DailySummary, allowed: list[str]) -> dict[str, Any]:
    return {**record_data(SUMMARIES, summary, allowed), "region": region_data(summary)}


# --- agenda and drafting ---------------------------------------------------------------------


class AgendaQuery(Bounded):
    office: int | None = Field(None, description="Default: the caller's first office.")


class AgendaItemOut(Schema):
    problem: ProblemRef
    reason: str
    note: str
    also: list[str]


class AgendaSectionOut(Schema):
    reason: str
    label: str
    total: int = Field(description="Problems of this kind, listed here or not")
    elsewhere: int = Field(description="Of those shown, how many are listed under an earlier kind")
    items: list[AgendaItemOut]


class AgendaOut(Schema):
    office: Ref
    day: date
    as_of: datetime
    sections: list[AgendaSectionOut]
    results_from: date | None = Field(
        None, description="First day of the accountability and commendations counted"
    )
    results_sentence: str = Field(
        "", description="The jurisdiction's accountability and commendations, counted, in words"
    )


def agenda_item_data(item: AgendaItem) -> dict[str, Any]:
    return {
        "problem": problem_ref(item.problem),
        "reason": item.reason,
        "note": item.note,
        "also": item.also,
    }


def agenda_data(agenda: Agenda) -> dict[str, Any]:
    return {
        "office": ref(agenda.office),
        "day": agenda.day,
        "as_of": agenda.as_of,
        "sections": [
            {
                "reason": section.reason,
                "label": section.label,
                "total": section.total,
                "elsewhere": section.elsewhere,
                "items": [agenda_item_data(item) for item in section.items],
            }
            for section in agenda.sections
        ],
        "results_from": agenda.results_from,
        "results_sentence": agenda.results_sentence,
    }


class DailyDraftIn(Body):
    day: date | None = Field(None, description="Default: today.")
    team: int | None = Field(None, description="Draft this team's report.")
    office: int | None = Field(None, description="Draft this office's teams and summary.")


class DraftOut(Schema):
    day: date
    reports: list[int]
    summaries: list[int]
    written: int
