"""The dashboard over JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field
from pydantic import BaseModel, field_validator

from ducha.core.schemas import Bounded
from ducha.reports.dashboard import TREND_DAYS, Dashboard, Line
from ducha.reports.figures import Counts
from ducha.reports.results import RESULT_DAYS


class DashboardQuery(Bounded):
    region: int | None = Field(
        None, description="A region of your jurisdiction; default: all of it."
    )
    days: int = Field(30, description="Days of the trend: 7, 30 or 90.")

    @field_validator("days")
    @classmethod
    def _one_of_the_windows(cls, days: int) -> int:
        if days not in TREND_DAYS:
            # The same wording as any other choice the API refuses.
            raise ValueError(
                _("Select a valid choice. That choice is not one of the available choices.")
            )
        return days


# Outputs are plain pydantic models: they are built from dicts, and ninja's Schema would
# wrap every one of a dashboard's hundreds of values for attribute lookup on ORM objects.


class CountsOut(BaseModel):
    found: int
    rectified: int = Field(description="Closed: verified or rectified on the spot.")
    rate: str = Field(description="Rectified ÷ found in %, two decimals, rounded half up.")
    open: int
    overdue: int = Field(
        description="Past the deadline with the clock running (red); a dispute has no light."
    )
    green: int
    yellow: int
    red: int
    new: int
    assigned: int
    disputed: int = Field(
        description="In dispute, awaiting the office's decision: the clock is paused, no light."
    )
    awaiting_verification: int
    closed_late: int
    on_time_rate: str
    average_hours_to_close: str | None
    urgent: int
    common: int
    on_the_spot: int
    recurrences: int = Field(description="Reopened after closing, or found again at the site.")


class LineOut(BaseModel):
    id: int
    name: str
    counts: CountsOut
    dashboard: str = ""
    problems: str = ""


class TrendDayOut(BaseModel):
    day: date
    found: int
    closed: int


class DashboardOut(BaseModel):
    title: str
    kind: str
    region: int | None
    as_of: datetime
    sentence: str
    totals: CountsOut
    p90_hours_to_close: int | None = Field(description="90% of closed problems closed within.")
    problems: str
    by_region: list[LineOut]
    own_level: LineOut | None
    by_focus_area: list[LineOut]
    by_team: list[LineOut]
    by_unit: list[LineOut]
    trend: list[TrendDayOut]
    repeat_sites: list[LineOut]
    repeat_units: list[LineOut]


def counts_data(counts: Counts) -> dict[str, Any]:
    average = counts.average_hours
    return {
        "found": counts.found,
        "rectified": counts.closed,
        "rate": counts.rate,
        "open": counts.open,
        "overdue": counts.red,
        "green": counts.green,
        "yellow": counts.yellow,
        "red": counts.red,
        "new": counts.new,
        "assigned": counts.assigned,
        "disputed": counts.disputed,
        "awaiting_verification": counts.rectified,
        "closed_late": counts.closed_late,
        "on_time_rate": counts.on_time_rate,
        "average_hours_to_close": None if average is None else str(average),
        "urgent": counts.urgent,
        "common": counts.common,
        "on_the_spot": counts.on_the_spot,
        "recurrences": counts.recurrences,
    }


def line_data(line: Line) -> dict[str, Any]:
    return {
        "id": line.key,
        "name": line.name,
        "counts": counts_data(line.counts),
        "dashboard": line.link,
        "problems": line.list_link,
    }


def dashboard_data(board: Dashboard) -> dict[str, Any]:
    region = board.scope.region
    return {
        "title": board.title,
        "kind": board.scope.kind,
        "region": region.pk if region else None,
        "as_of": board.as_of,
        "sentence": board.sentence,
        "totals": counts_data(board.totals),
        "p90_hours_to_close": board.p90_hours,
        "problems": board.list_link,
        "by_region": [line_data(line) for line in board.regions],
        "own_level": line_data(board.own_level) if board.own_level else None,
        "by_focus_area": [line_data(line) for line in board.focus_areas],
        "by_team": [line_data(line) for line in board.teams],
        "by_unit": [line_data(line) for line in board.units],
        "trend": [{"day": d.day, "found": d.found, "closed": d.closed} for d in board.trend],
        "repeat_sites": [line_data(line) for line in board.repeat_sites],
        "repeat_units": [line_data(line) for line in board.repeat_units],
    }


# --- the results dashboard (督查问效) ---------------------------------------------------------


class ResultsQuery(Bounded):
    region: int | None = Field(
        None, description="A region of your jurisdiction; default: all of it."
    )
    days: int = Field(0, description="Days back from today: 30, 90 or 365; 0 for all.")

    @field_validator("days")
    @classmethod
    def _one_of_the_periods(cls, days: int) -> int:
        if days not in RESULT_DAYS:
            raise ValueError(
                _("Select a valid choice. That choice is not one of the available choices.")
            )
        return days


class KindOut(BaseModel):
    kind: str = Field(description="The built-in kind's code, or the office's own kind's name.")
    label: str
    persons: int
    units: int


class CommendedOut(BaseModel):
    kind: str
    label: str
    units: int
    persons: int


class ResultFiguresOut(BaseModel):
    persons_held_to_account: int
    units_held_to_account: int
    units_commended: int
    persons_commended: int


class ResultRegionOut(BaseModel):
    id: int
    name: str
    figures: ResultFiguresOut
    dashboard: str


class ResultsOut(BaseModel):
    title: str
    kind: str
    region: int | None
    first_day: date | None
    last_day: date | None
    sentence: str
    accountability_sentence: str
    commendation_sentence: str
    totals: ResultFiguresOut
    accountability: list[KindOut]
    commendations: list[CommendedOut]
    by_region: list[ResultRegionOut]
    referrals: dict[str, Any] | None = None
    suggestions: dict[str, Any] | None = None


def result_figures_data(figures: Any) -> dict[str, int]:
    return {
        "persons_held_to_account": figures.persons,
        "units_held_to_account": figures.units,
        "units_commended": figures.units_commended,
        "persons_commended": figures.persons_commended,
    }


def results_data(board: Any) -> dict[str, Any]:
    region = board.scope.region
    return {
        "title": board.title,
        "kind": board.scope.kind,
        "region": region.pk if region else None,
        "first_day": board.period.first,
        "last_day": board.period.last,
        "sentence": board.sentence,
        "accountability_sentence": board.accountability,
        "commendation_sentence": board.commendations,
        "totals": result_figures_data(board.whole),
        "accountability": [
            {
                "kind": k.code or k.name,
                "label": k.label,
                "persons": k.persons,
                "units": k.units,
            }
            for k in board.kinds
        ],
        "commendations": [
            {"kind": kind, "label": label, "units": units, "persons": persons}
            for kind, label, units, persons in board.commendation_rows
        ],
        "by_region": [
            {
                "id": line.pk,
                "name": line.name,
                "figures": result_figures_data(line.figures),
                "dashboard": line.link,
            }
            for line in board.regions
        ],
        "referrals": board.referrals,
        "suggestions": board.suggestions,
    }
