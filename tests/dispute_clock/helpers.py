"""Problems whose history happened at chosen moments: the actions run on a stopped clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from django.utils import timezone

from ducha.problems import actions
from ducha.problems.models import Problem, ProblemEvent
from ducha.problems.rollups import cells, horizon
from ducha.problems.rollups.facts import facts_of_queryset, replay
from ducha.problems.rollups.writes import differences, stored
from tests.world import World


@contextmanager
def clock_at(moment: datetime) -> Iterator[datetime]:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def assigned_at(world: World, found_at: datetime, **kwargs) -> Problem:
    """Found at `found_at`, assigned to the county's 卫健局 a minute later (72 h to fix)."""
    with clock_at(found_at + timedelta(minutes=1)):
        return world.assigned(found_at=found_at, **kwargs)


def disputed_at(world: World, problem: Problem, moment: datetime) -> Problem:
    with clock_at(moment):
        return actions.do_dispute(
            problem, acting_user=world.users["county_handler"], reason="不属于本单位职责"
        )


def upheld_at(world: World, problem: Problem, moment: datetime) -> Problem:
    with clock_at(moment):
        return actions.do_decide_dispute(
            problem,
            acting_user=world.users["county_office"],
            decision="uphold",
            comment="职责清单明确，仍由本单位办理",
        )


def overdue_and_disputed(world: World, region: str = "county", title: str = "") -> Problem:
    """Found four days ago (its 72 hours passed a day ago), disputed two days ago."""
    now = timezone.now()
    problem = assigned_at(
        world, now - timedelta(days=4), region=region, title=title or "卡口未登记过往车辆"
    )
    return disputed_at(world, problem, now - timedelta(days=2))


def overdue(world: World, title: str = "测温枪无备用电池") -> Problem:
    return assigned_at(world, timezone.now() - timedelta(days=4), title=title)


def assert_rollups_match_rows_and_events() -> None:
    tables = stored()
    rows = cells.totals(facts_of_queryset(Problem.objects.all()), horizon.window())
    events = cells.totals(
        replay(ProblemEvent.objects.order_by("created_at", "pk")).values(), horizon.window()
    )
    assert differences(rows, tables) == []
    assert differences(events, tables) == []
