"""The problem API's input and output shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import connections
from django.db.models import Model, QuerySet
from ninja import Field, Schema

from ducha.core.schemas import AwareDatetime, Body, PageOut, PageQuery, Ref, ref
from ducha.core.search import FullTextSearch
from ducha.core.text import LongText, Title
from ducha.problems.choices import (
    Action,
    DisputeDecision,
    ExtensionDecision,
    Nature,
    State,
    TrafficLight,
    Urgency,
)
from ducha.problems.models import Extension, Problem, ProblemEvent, light_of

# Every related row an item shows; one JOIN each keeps a page at a fixed number of queries.
ITEM_RELATED = ("region", "site", "focus_area", "team", "responsible_org")
# What a list item reads, as values: a page builds no model instances and reads none of the
# long texts (description, rule, search text) it does not show.
ITEM_COLUMNS = (
    "id",
    "title",
    "state",
    "urgency",
    "nature",
    "found_at",
    "deadline",
    "yellow_at",
    "closed_at",
    "time_to_close",
    "on_the_spot",
    "recurring",
    *(f"{name}_id" for name in ITEM_RELATED),
)


def item_rows(problems: QuerySet[Problem]) -> list[dict[str, Any]]:
    """The rows of a page: its problems' `ITEM_COLUMNS`, and each related row's name as
    `<relation>_name`.

    The names are read afterwards, all in one plain statement by primary key, instead of by
    joins: PostgreSQL plans a join of six tables in 3-8 ms, longer than it takes to run it,
    and the ORM compiles such a query in about 1.5 ms (docs/performance.md, "Served
    requests").
    """
    rows = list(problems.values(*ITEM_COLUMNS))
    wanted: dict[type[Model], set[int]] = {}
    for name in ITEM_RELATED:
        ids = wanted.setdefault(_related_model(name), set())
        ids.update(row[f"{name}_id"] for row in rows if row[f"{name}_id"] is not None)
    names = _names(problems.db, wanted)
    for row in rows:
        for name in ITEM_RELATED:
            pk = row[f"{name}_id"]
            row[f"{name}_name"] = None if pk is None else names[_related_model(name), pk]
    return rows


def _related_model(name: str) -> type[Model]:
    model = Problem._meta.get_field(name).related_model
    assert isinstance(model, type)
    return model


def _names(alias: str, wanted: dict[type[Model], set[int]]) -> dict[tuple[type[Model], int], str]:
    """(model, id) → name of the rows asked for, in one statement; every model has a `name`
    (which is also what `str()` of each shows)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    parts: list[str] = []
    params: list[Any] = []
    models: list[type[Model]] = []
    for model, ids in wanted.items():
        if not ids:
            continue
        meta = model._meta
        # Each of these models keeps its key in `id` and its name in `name`.
        key, label = quote("id"), quote("name")
        marks = ", ".join(["%s"] * len(ids))
        # Only quoted names of the models and one placeholder per id are put in the text.
        select = f"SELECT {len(models)}, {key}, {label} FROM {quote(meta.db_table)}"  # noqa: S608
        parts.append(f"{select} WHERE {key} IN ({marks})")
        params.extend(sorted(ids))
        models.append(model)
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {(models[index], pk): name for index, pk, name in cursor.fetchall()}


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
    q: FullTextSearch = ""
    closed_late: bool | None = Field(
        None, description="true: closed after the deadline; false: closed by it."
    )
    max_hours_to_close: int | None = Field(
        None, ge=1, le=100_000, description="Closed within this many hours of discovery."
    )


class StatsOut(Schema):
    found: int = Field(description="Problems found; with `more`, a lower bound.")
    more: bool = Field(
        description="A text search matched more problems than it counts exactly: `found` is "
        "that bound and the other figures are null until more words or filters narrow it."
    )
    rectified: int | None
    rate: str | None
    disputed: int | None = Field(
        description="In dispute, awaiting the office's decision (clock paused)."
    )


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
    light: str | None = Field(description="None once closed, and while a dispute is undecided.")
    overdue: bool
    clock_paused: bool = Field(description="A dispute awaits the office: the deadline waits too.")
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


class ExtensionOut(Schema):
    id: int
    state: str
    requested_by: str
    requested_at: datetime
    current_deadline: datetime
    requested_deadline: datetime
    reason: str
    decided_by: str | None
    decided_at: datetime | None
    decision_comment: str
    granted_deadline: datetime | None
    days_granted: float | None


class ProblemDetail(ProblemItem):
    signed_at: datetime | None = Field(
        None, description="签收: when the responsible unit signed for the current assignment."
    )
    extensions: list[ExtensionOut] = Field(default_factory=list)
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
    client_key: UUID | None = Field(
        None,
        description="Generated by the client once per problem; a retry sends it again and gets "
        "the first problem back (200) instead of a second one.",
    )


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


class SignIn(Body):
    pass


class ExtensionRequestIn(Body):
    deadline: AwareDatetime | None = Field(
        None, description="The deadline asked for: in the future and after the current one."
    )
    reason: LongText


class ExtensionDecisionIn(Body):
    decision: ExtensionDecision
    comment: LongText = Field("", description="Required when refusing.")
    deadline: AwareDatetime | None = Field(
        None, description="Approving only: another deadline than the one asked for."
    )


def extension_data(extension: Extension) -> dict[str, Any]:
    days = extension.days_granted
    return {
        "id": extension.pk,
        "state": extension.state,
        "requested_by": str(extension.requested_by),
        "requested_at": extension.requested_at,
        "current_deadline": extension.current_deadline,
        "requested_deadline": extension.requested_deadline,
        "reason": extension.reason,
        "decided_by": None if extension.decided_by is None else str(extension.decided_by),
        "decided_at": extension.decided_at,
        "decision_comment": extension.decision_comment,
        "granted_deadline": extension.granted_deadline,
        "days_granted": None if days is None else float(days),
    }


def item_data(problem: Problem) -> dict[str, Any]:
    row = {name: getattr(problem, name) for name in ITEM_COLUMNS}
    for name in ITEM_RELATED:
        related = getattr(problem, name)
        row[f"{name}_name"] = None if related is None else str(related)
    return row_item_data(row)


def _ref(row: dict[str, Any], name: str) -> dict[str, Any] | None:
    pk = row[f"{name}_id"]
    return None if pk is None else {"id": pk, "name": row[f"{name}_name"]}


def row_item_data(row: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """An item from one of the rows `item_rows` reads."""
    light = light_of(row["state"], row["deadline"], row["yellow_at"], now)
    ttc = row["time_to_close"]
    return {
        "id": row["id"],
        "title": row["title"],
        "state": row["state"],
        "state_label": str(State(row["state"]).label),
        "region": _ref(row, "region"),
        "site": _ref(row, "site"),
        "focus_area": _ref(row, "focus_area"),
        "team": _ref(row, "team"),
        "responsible_org": _ref(row, "responsible_org"),
        "urgency": row["urgency"],
        "nature": row["nature"],
        "found_at": row["found_at"],
        "deadline": row["deadline"],
        "light": light,
        "overdue": light == TrafficLight.RED,
        "clock_paused": row["state"] == State.DISPUTED,
        "closed_at": row["closed_at"],
        "time_to_close": None if ttc is None else int(ttc.total_seconds()),
        "on_the_spot": row["on_the_spot"],
        "recurring": row["recurring"],
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
        "signed_at": problem.signed_at,
        "extensions": [
            extension_data(extension)
            for extension in problem.extensions.select_related("requested_by", "decided_by")
        ],
        "description": problem.description,
        "found_by": str(problem.found_by),
        "reported_to": ref(problem.reported_to),
        "rule": problem.rule,
        "created_at": problem.created_at,
        "updated_at": problem.updated_at,
        "events": [event_data(event) for event in events],
        "allowed_actions": actions,
    }
