"""Two ladder passes at the same moment (two workers, or the scheduler and the command) take
each step once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ducha.problems.choices import Action
from ducha.problems.ladder import chase
from ducha.problems.models import ChaseStep, ProblemEvent
from tests.race import race
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_passes_at_once_take_each_step_once():
    world = build_world()
    problems = [world.assigned() for _ in range(3)]
    later = max(p.deadline for p in problems) + timedelta(hours=25)
    results = race(lambda: chase(later, batch=2), lambda: chase(later, batch=2))
    assert not [r for r in results if isinstance(r, Exception)], results
    taken = sum(sum(counts.values()) for counts in results)
    assert taken == 9  # unsigned, overdue and escalate of each, whoever took them
    assert ChaseStep.objects.count() == 9
    assert ProblemEvent.objects.filter(action=Action.URGE).count() == 6
    assert ProblemEvent.objects.filter(action=Action.ESCALATE).count() == 3
