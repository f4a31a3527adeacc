"""One case per line of a scoped model's declarations: the rows a grant of that role must
reach, and rows it must not, checked on the condition itself (ducha.core.scoping).

`test_every_line_tested` holds every `conditions` and `acting_conditions` entry of every
scoped model to a case here, so a line added without a test fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ducha.core.scope import Grant, grants_for
from ducha.core.scoping import VIEW, ScopedQuerySet
from tests.world import World


@dataclass(frozen=True)
class Rows:
    reached: Sequence[Any]
    not_reached: Sequence[Any]


@dataclass(frozen=True)
class Case:
    queryset: type[ScopedQuerySet]
    key: str  # the role of a `conditions` line, or the action of an `acting_conditions` line
    persona: str
    rows: Callable[[World], Rows]
    role: str = ""  # for an acting line: the role whose grant is narrowed (default: office)

    @property
    def id(self) -> str:
        return f"{self.queryset.__name__}-{self.key}-{self.persona}"


def grant_of(world: World, persona: str, role: str) -> Grant:
    found = [grant for grant in grants_for(world.users[persona]) if grant.role == role]
    assert found, f"{persona} holds no {role} grant"
    return found[0]


def reached_ids(queryset: type[ScopedQuerySet], model: Any, grant: Grant, action: str) -> set:
    condition = queryset.condition(grant, action)
    return set(model._base_manager.filter(condition).values_list("pk", flat=True))


def check_condition(case: Case, world: World) -> None:
    """The condition line of `case.key` reaches exactly what the case says of its rows."""
    rows = case.rows(world)
    assert rows.reached and rows.not_reached, "a case shows both sides"
    model = type(rows.reached[0])
    grant = grant_of(world, case.persona, case.key)
    reached = reached_ids(case.queryset, model, grant, VIEW)
    assert {row.pk for row in rows.reached} <= reached
    assert not {row.pk for row in rows.not_reached} & reached


def check_acting(case: Case, world: World) -> None:
    """Acting line `case.key`: of the rows the grant sees, it acts on the reached ones only."""
    rows = case.rows(world)
    assert rows.reached and rows.not_reached, "a case shows both sides"
    model = type(rows.reached[0])
    grant = grant_of(world, case.persona, case.role or "office_staff")
    seen = reached_ids(case.queryset, model, grant, VIEW)
    acting = reached_ids(case.queryset, model, grant, case.key)
    every = {row.pk for row in (*rows.reached, *rows.not_reached)}
    assert every <= seen, "the narrowing is tested on rows the grant sees"
    assert acting & every == {row.pk for row in rows.reached}
