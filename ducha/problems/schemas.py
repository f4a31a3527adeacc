"""The problem API's input and output shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from ducha.api.schemas import AwareDatetime, Body, PageOut, PageQuery, Ref, ref
from ducha.core.text import LongText, Search, Title
from ducha.problems.choices import (
    Action,
    DisputeDecision,
    Nature,
    State,
    TrafficLight,
    Urgency,
)
from ducha.problems.models import Problem, ProblemEvent

# Every related row an item shows; one JOIN each keeps a page at a fixed number of queries.
ITEM_RELATED = ("region", "site", "focus_area", "team", "responsible_org")


class ProblemListQuery(PageQuery):
    region: int | None = None
    state: State | None = None
    focus_area: int | None = None
    team: int | None = None
    responsible_org: int | None = None
    light: TrafficLight | None = None
    overdue: bool | None = None
    nature: Nature | None = None
    urgency: Urgency | None = None
    q: Search = ""
    closed_late: bool | None = Field(
        None, description="true: closed after the deadline; false: closed by it."
    )
    max_hours_to_close: int | None = Field(
        None, ge=1, le=100_000, description="Closed within this many hours of discovery."
    )


class StatsOut(Schema):
    found: int
    rectified: int
    rate: str


class ProblemItem(Schema):
    id: int
    title: str
    state: str
    state_label: str
    region: Ref
    site: Ref | None
    focus_area: Ref
    team: Ref | None
    responsible_org: Ref | None
    urgency: str
    nature: str
    found_at: datetime
    deadline: datetime
    light: str | None
    overdue: bool
    closed_at: datetime | None
    time_to_close: int | None = Field(None, description="Seconds from discovery to closing.")
    on_the_spot: bool
    recurring: bool


class ProblemPage(PageOut):
    stats: StatsOut
    items: list[ProblemItem]


class EventOut(Schema):
    id: int
    action: str
    label: str
    actor: str
    created_at: datetime
    from_state: str
    to_state: str
    comment: str
    payload: dict[str, Any]


class ProblemDetail(ProblemItem):
    description: str
    found_by: str
    reported_to: Ref | None
    rule: LongText
    created_at: datetime
    updated_at: datetime
    events: list[EventOut]
    allowed_actions: list[str]


class ProblemCreate(Body):
    title: Title
    description: LongText = ""
    region: int
    site: int | None = None
    focus_area: int
    team: int | None = None
    found_at: AwareDatetime | None = None
    urgency: Urgency = Urgency.NORMAL
    nature: Nature = Nature.INDIVIDUAL


class FocusAreaOut(Schema):
    id: int
    code: str
    name: str
    description: str
    deadline_hours: int | None
    urgent_deadline_hours: int | None


# One body per action: only the fields that action takes.
class AssignIn(Body):
    responsible_org: int
    deadline: AwareDatetime | None = None
    comment: LongText = ""


class ReportUpIn(Body):
    to_org: int
    comment: LongText


class TextIn(Body):
    text: LongText


class CommentIn(Body):
    comment: LongText = ""


class RequiredCommentIn(Body):
    comment: LongText


class RuleIn(Body):
    rule: LongText


class EvidenceIn(Body):
    evidence: LongText


class ReasonIn(Body):
    reason: LongText


class DecideDisputeIn(Body):
    decision: DisputeDecision
    comment: LongText
    responsible_org: int | None = None
    deadline: AwareDatetime | None = None


class ReopenIn(Body):
    reason: LongText
    deadline: AwareDatetime | None = None


def item_data(problem: Problem) -> dict[str, Any]:
    light = problem.light
    ttc = problem.time_to_close
    return {
        "id": problem.pk,
        "title": problem.title,
        "state": problem.state,
        "state_label": str(State(problem.state).label),
        "region": ref(problem.region),
        "site": ref(problem.site),
        "focus_area": ref(problem.focus_area),
        "team": ref(problem.team),
        "responsible_org": ref(problem.responsible_org),
        "urgency": problem.urgency,
        "nature": problem.nature,
        "found_at": problem.found_at,
        "deadline": problem.deadline,
        "light": light,
        "overdue": light == TrafficLight.RED,
        "closed_at": problem.closed_at,
        "time_to_close": None if ttc is None else int(ttc.total_seconds()),
        "on_the_spot": problem.on_the_spot,
        "recurring": problem.recurring,
    }


def event_data(event: ProblemEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "action": event.action,
        "label": str(Action(event.action).label),
        "actor": str(event.actor),
        "created_at": event.created_at,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "comment": event.comment,
        "payload": event.payload,
    }


def detail_data(problem: Problem, events: list[ProblemEvent], actions: list[str]) -> dict:
    return {
        **item_data(problem),
        "description": problem.description,
        "found_by": str(problem.found_by),
        "reported_to": ref(problem.reported_to),
        "rule": problem.rule,
        "created_at": problem.created_at,
        "updated_at": problem.updated_at,
        "events": [event_data(event) for event in events],
        "allowed_actions": actions,
    }
