"""Recording many problems at once (a ledger import): `do_create_problems`.

The bulk form of `do_create_problem` and `do_assign`: the same rules (the helpers it shares
with them in `actions`), the same events, in a few statements, with the rollup changes of
all the problems summed and written once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from ducha.core.bulk import insert
from ducha.core.errors import ActionError
from ducha.orgs.models import Org, Site, Team
from ducha.problems.actions import (
    apply_assignment,
    assign_payload,
    create_payload,
    new_problem,
)
from ducha.problems.choices import Action, Nature, State, Urgency
from ducha.problems.choosers import UnitCheck
from ducha.problems.models import FocusArea, Problem, ProblemEvent
from ducha.problems.rollups.facts import facts_of
from ducha.problems.rollups.writes import deferred, record_new


@dataclass(frozen=True)
class NewProblem:
    """One problem for `do_create_problems`; with `responsible_org` it is assigned at once."""

    title: str
    region: Org
    focus_area: FocusArea
    description: str = ""
    site: Site | None = None
    team: Team | None = None
    found_at: datetime | None = None
    urgency: str = Urgency.NORMAL
    nature: str = Nature.INDIVIDUAL
    source: dict[str, Any] | None = None
    responsible_org: Org | None = None
    deadline: datetime | None = None


class BulkRowRefused(Exception):
    """Item `index` of a bulk create broke a rule (`error`); nothing of the call was kept."""

    def __init__(self, index: int, error: ActionError) -> None:
        super().__init__(index, error.message)
        self.index, self.error = index, error


def _earlier_closed_many(items: Sequence[NewProblem], found: list[datetime]) -> list[int | None]:
    """`earlier_closed` of every item, read in one query."""
    keys = {(i.site.pk, i.focus_area.pk) for i in items if i.site is not None}
    if not keys:
        return [None] * len(items)
    closed: dict[tuple[int, int], list[tuple[datetime, int]]] = defaultdict(list)
    rows = Problem.objects.filter(
        site_id__in={site for site, _ in keys},
        focus_area_id__in={area for _, area in keys},
        state=State.CLOSED,
        closed_at__lte=max(found),
    ).values_list("site_id", "focus_area_id", "closed_at", "pk")
    for site_id, area_id, closed_at, pk in rows:
        if (site_id, area_id) in keys and closed_at is not None:
            closed[(site_id, area_id)].append((closed_at, pk))
    earlier: list[int | None] = []
    for item, found_at in zip(items, found, strict=True):
        if item.site is None:
            earlier.append(None)
            continue
        # The latest closing, then the highest id: the order `earlier_closed` reads.
        before = [c for c in closed[(item.site.pk, item.focus_area.pk)] if c[0] <= found_at]
        earlier.append(max(before)[1] if before else None)
    return earlier


@transaction.atomic
def do_create_problems(
    items: Sequence[NewProblem],
    *,
    acting_user: Any,
    before_events: Callable[[list[Problem]], None] | None = None,
) -> list[Problem]:
    """Record many problems, assigning those that name a unit: what `do_create_problem`
    and `do_assign` do one by one, under the same rules and with the same events, in a few
    statements. All or none: a refused item raises BulkRowRefused.

    The events are written last, after `before_events(problems)` (the caller's own rows about
    them): sealing them locks the heads of the event chains, which every other office's
    action needs, so they are held only for the last statements of the transaction."""
    now = timezone.now()
    problems: list[Problem] = []
    for index, item in enumerate(items):
        try:
            problems.append(
                new_problem(
                    acting_user,
                    now=now,
                    title=item.title,
                    region=item.region,
                    focus_area=item.focus_area,
                    description=item.description,
                    site=item.site,
                    team=item.team,
                    found_at=item.found_at,
                    urgency=item.urgency,
                    nature=item.nature,
                )
            )
        except ActionError as error:
            raise BulkRowRefused(index, error) from None
    earlier = _earlier_closed_many(items, [p.found_at for p in problems])
    units = UnitCheck(acting_user, [i.responsible_org for i in items if i.responsible_org])
    created: list[dict[str, Any]] = []
    assigned: list[dict[str, Any] | None] = []
    for index, (item, problem, repeat_of) in enumerate(zip(items, problems, earlier, strict=True)):
        problem.repeat_of_id = repeat_of
        created.append(create_payload(problem, item.source))
        if item.responsible_org is None:
            assigned.append(None)
            continue
        try:
            apply_assignment(problem, item.responsible_org, item.deadline, units.check)
        except ActionError as error:
            raise BulkRowRefused(index, error) from None
        assigned.append(assign_payload(problem, item.responsible_org))
    # Rollups summed and written when the block ends, after the events: the order of every
    # action (the chains' heads, then the rollup rows), so that none waits for another in a
    # circle. Under an outer `deferred()` they are written when that one ends.
    with deferred():
        insert(Problem, problems)
        record_new(facts_of(problem) for problem in problems)
        if before_events is not None:
            before_events(problems)
        events = [
            ProblemEvent(
                problem=problem,
                actor=acting_user,
                created_at=now,
                action=Action.CREATE,
                to_state=State.NEW,
                payload=payload,
            )
            for problem, payload in zip(problems, created, strict=True)
        ]
        events += [
            ProblemEvent(
                problem=problem,
                actor=acting_user,
                created_at=now,
                action=Action.ASSIGN,
                from_state=State.NEW,
                to_state=State.ASSIGNED,
                payload=payload,
            )
            for problem, payload in zip(problems, assigned, strict=True)
            if payload is not None
        ]
        insert(ProblemEvent, events)
    return problems
