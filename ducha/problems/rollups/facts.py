"""The facts of a problem that its numbers depend on, read from its row or from its events.

Both readings must agree: the rollups are kept from rows as actions change them, and a test
replays the event log to show that every number can be reproduced from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from ducha.problems.choices import CLOCKED_STATES, OPEN_STATES, Action, Nature, State, Urgency

# Region ids of a problem from the province down to the village.
Levels = tuple[int | None, int | None, int | None, int | None, int | None]


@dataclass(frozen=True, slots=True)
class Facts:
    levels: Levels
    focus_area: int
    team: int | None
    unit: int | None
    site: int | None
    found_at: datetime
    state: str
    deadline: datetime
    yellow_at: datetime
    closed_at: datetime | None
    urgent: bool
    common: bool
    on_the_spot: bool
    recurring: bool
    repeat: bool

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_clocked(self) -> bool:
        """Open with its clock running: only these have a deadline that can be due."""
        return self.state in CLOCKED_STATES

    @property
    def closed_late(self) -> bool:
        return self.closed_at is not None and self.closed_at > self.deadline

    @property
    def recurrence(self) -> bool:
        return self.recurring or self.repeat


# The columns `facts_from_row` reads, in order; `values_list(*FACT_COLUMNS)` feeds it.
FACT_COLUMNS = (
    "province_id",
    "city_id",
    "county_id",
    "town_id",
    "village_id",
    "focus_area_id",
    "team_id",
    "responsible_org_id",
    "site_id",
    "found_at",
    "state",
    "deadline",
    "yellow_at",
    "closed_at",
    "urgency",
    "nature",
    "on_the_spot",
    "recurring",
    "repeat_of_id",
)


def facts_from_row(row: tuple[Any, ...]) -> Facts:
    (p, c, co, t, v, fa, team, unit, site, found, state, deadline, yellow, closed) = row[:14]
    urgency, nature, on_the_spot, recurring, repeat_of = row[14:]
    return Facts(
        levels=(p, c, co, t, v),
        focus_area=fa,
        team=team,
        unit=unit,
        site=site,
        found_at=found,
        state=state,
        deadline=deadline,
        yellow_at=yellow,
        closed_at=closed,
        urgent=urgency == Urgency.URGENT,
        common=nature == Nature.COMMON,
        on_the_spot=bool(on_the_spot),
        recurring=bool(recurring),
        repeat=repeat_of is not None,
    )


def facts_of(problem: Any) -> Facts:
    """The facts of a Problem instance as it stands."""
    return facts_from_row(tuple(getattr(problem, column) for column in FACT_COLUMNS))


def facts_of_queryset(problems: Any) -> Iterator[Facts]:
    """Facts of many problems, read in chunks without building model instances."""
    rows = problems.order_by().values_list(*FACT_COLUMNS).iterator(chunk_size=5000)
    return (facts_from_row(row) for row in rows)


# --- from the event log ----------------------------------------------------------------------


class EventLogIncomplete(ValueError):
    """An event lacks what the replay needs (it was written before the log carried it)."""


def _moment(payload: dict[str, Any], name: str, event: Any) -> datetime:
    value = payload.get(name)
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        raise EventLogIncomplete(f"event {event.pk} ({event.action}) has no {name}")
    return moment


def _created(event: Any) -> Facts:
    payload = event.payload
    try:
        levels = tuple(payload["levels"])
        focus_area = payload["focus_area"]
    except KeyError as missing:
        raise EventLogIncomplete(f"event {event.pk} (create) has no {missing}") from None
    return Facts(
        levels=levels,
        focus_area=focus_area,
        team=payload.get("team"),
        unit=None,
        site=payload.get("site"),
        found_at=_moment(payload, "found_at", event),
        state=State.NEW,
        deadline=_moment(payload, "deadline", event),
        yellow_at=_moment(payload, "yellow_at", event),
        closed_at=None,
        urgent=payload.get("urgency") == Urgency.URGENT,
        common=payload.get("nature") == Nature.COMMON,
        on_the_spot=False,
        recurring=False,
        repeat=payload.get("repeat_of") is not None,
    )


# Actions that set a new deadline record it, with the moment the light turns yellow (签收
# when the clock starts at signing, an approved extension).
_DEADLINE_ACTIONS = {
    Action.ASSIGN,
    Action.DECIDE_DISPUTE,
    Action.REOPEN,
    Action.SIGN,
    Action.DECIDE_EXTENSION,
}
_CLOSING_ACTIONS = {Action.VERIFY_ACCEPT, Action.CLOSE_ON_SPOT}


def apply_event(facts: Facts, event: Any) -> Facts:
    """The facts after one event of the problem's log."""
    payload, action = event.payload, event.action
    changes: dict[str, Any] = {"state": event.to_state}
    if action in (Action.ASSIGN, Action.DECIDE_DISPUTE):
        changes["unit"] = payload["responsible_org"]
    if action in _DEADLINE_ACTIONS and "deadline" in payload:
        changes["deadline"] = _moment(payload, "deadline", event)
        changes["yellow_at"] = _moment(payload, "yellow_at", event)
    if action in _CLOSING_ACTIONS:
        changes["closed_at"] = event.created_at
    if action == Action.CLOSE_ON_SPOT:
        changes["on_the_spot"] = True
    if action == Action.REOPEN:
        changes.update(closed_at=None, recurring=True, on_the_spot=False)
    return replace(facts, **changes)


def replay(events: Iterable[Any]) -> dict[int, Facts]:
    """Every problem's facts rebuilt from its events alone (events in log order)."""
    facts: dict[int, Facts] = {}
    for event in events:
        if event.action == Action.CREATE:
            facts[event.problem_id] = _created(event)
        else:
            facts[event.problem_id] = apply_event(facts[event.problem_id], event)
    return facts
