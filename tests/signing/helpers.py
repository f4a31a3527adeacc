"""Shared steps of the signing and extension tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from ducha.problems.models import Extension, Problem, ProblemEvent
from ducha.problems.rollups import cells, horizon
from ducha.problems.rollups.facts import facts_of_queryset, replay
from ducha.problems.rollups.writes import differences, stored


def fresh(problem: Problem) -> Problem:
    return Problem.objects.get(pk=problem.pk)


def page_moment(moment: datetime) -> str:
    """A moment as a page's datetime-local field sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def later(hours: float) -> datetime:
    # Whole minutes, so that a page's field (no seconds) and the API send the same moment.
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def assigned_hours_ago(problem: Problem, hours: float) -> Problem:
    """As if the problem had gone to its unit `hours` ago (nothing waits in a test)."""
    Problem.objects.filter(pk=problem.pk).update(
        assigned_at=timezone.now() - timedelta(hours=hours)
    )
    return fresh(problem)


def written(problem: Problem) -> tuple:
    """What a refused action must leave as it was."""
    row = fresh(problem)
    return (
        row.state,
        row.deadline,
        row.yellow_at,
        row.signed_at,
        row.version,
        ProblemEvent.objects.filter(problem=problem).count(),
        list(Extension.objects.filter(problem=problem).values_list("state", flat=True)),
    )


def assert_rollups_true() -> None:
    """The rollup tables equal a count over the rows and a replay of the event log."""
    tables = stored()
    from_rows = cells.totals(facts_of_queryset(Problem.objects.all()), horizon.window())
    log = ProblemEvent.objects.order_by("created_at", "pk")
    from_events = cells.totals(replay(log).values(), horizon.window())
    assert differences(from_rows, tables) == []
    assert differences(from_events, tables) == []
