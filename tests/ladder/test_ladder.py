"""The escalation ladder: each step once per problem and deadline, as time moves on.

Time moves by handing the pass a later `now` (the project has no clock-freezing library):
the problems keep their real deadlines, the ladder looks at them from the future.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ducha.accounts.system import SYSTEM_USERNAME, system_user
from ducha.problems import actions, ladder
from ducha.problems.choices import Action, ChaseStepKind, State
from ducha.problems.ladder import chase
from ducha.problems.models import ChaseStep, Problem, ProblemEvent

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def _automatic(problem: Problem) -> list[str]:
    events = ProblemEvent.objects.filter(problem=problem, action=Action.URGE).order_by("pk")
    return [event.payload["automatic"] for event in events]


def _escalations(problem: Problem) -> list[ProblemEvent]:
    return list(ProblemEvent.objects.filter(problem=problem, action=Action.ESCALATE))


def test_each_step_is_taken_once_as_the_clock_runs(world):
    problem = world.assigned()
    assigned_at = timezone.now()

    assert chase(assigned_at + timedelta(hours=1)) == {}
    assert chase(assigned_at + timedelta(hours=3)) == {ChaseStepKind.UNSIGNED: 1}
    assert chase(assigned_at + timedelta(hours=3)) == {}

    yellow = problem.yellow_at + MINUTE
    assert chase(yellow) == {ChaseStepKind.YELLOW: 1}
    assert chase(yellow + timedelta(hours=1)) == {}

    overdue = problem.deadline + MINUTE
    assert chase(overdue) == {ChaseStepKind.OVERDUE: 1}
    assert chase(overdue + timedelta(hours=23)) == {}

    escalate = problem.deadline + timedelta(hours=24, minutes=1)
    assert chase(escalate) == {ChaseStepKind.ESCALATE: 1}
    assert chase(escalate + timedelta(hours=5)) == {}

    assert _automatic(problem) == ["unsigned", "yellow", "overdue"]
    assert len(_escalations(problem)) == 1
    assert ChaseStep.objects.filter(problem=problem).count() == 4
    actor = ProblemEvent.objects.filter(problem=problem, action=Action.URGE).first().actor
    assert actor.username == SYSTEM_USERNAME and not actor.is_active


def test_the_urge_payload_keeps_the_light_and_the_deadline(world):
    problem = world.assigned()
    chase(problem.deadline + MINUTE)
    event = ProblemEvent.objects.get(problem=problem, payload__automatic="overdue")
    assert event.payload["light"] == "red"
    assert event.payload["deadline"] == actions.moment(problem.deadline)
    assert event.from_state == event.to_state == State.ASSIGNED


def test_a_late_pass_takes_what_is_due_and_skips_a_yellow_already_red(world):
    problem = world.assigned()
    counts = chase(problem.deadline + timedelta(hours=30))
    assert counts == {
        ChaseStepKind.UNSIGNED: 1,
        ChaseStepKind.OVERDUE: 1,
        ChaseStepKind.ESCALATE: 1,
    }
    assert _automatic(problem) == ["unsigned", "overdue"]


def test_a_signed_problem_gets_no_sign_reminder(world):
    problem = world.assigned()
    Problem.objects.filter(pk=problem.pk).update(signed_at=timezone.now())
    assert chase(timezone.now() + timedelta(hours=3)) == {}


def test_the_sign_reminder_hours_come_from_the_signing_setting(world, settings):
    settings.DUCHA_SIGN_REMINDER_HOURS = 5
    world.assigned()
    assert chase(timezone.now() + timedelta(hours=3)) == {}
    assert chase(timezone.now() + timedelta(hours=6)) == {ChaseStepKind.UNSIGNED: 1}


def test_the_escalation_goes_to_the_units_superior_and_the_office_above(world):
    problem = world.assigned()
    chase(problem.deadline + timedelta(hours=25))
    (event,) = _escalations(problem)
    county, city_office = world.orgs["county"], world.orgs["city_office"]
    assert event.payload["escalated_to"] == [county.pk, city_office.pk]
    assert event.payload["escalated_to_names"] == [county.name, city_office.name]
    assert event.actor.username == SYSTEM_USERNAME
    problem.refresh_from_db()
    assert problem.escalated_to == county and problem.escalated_office == city_office
    assert problem.state == State.ASSIGNED


def test_the_office_above_is_the_assigners_not_the_units(world):
    # The city office assigns a county unit's problem: the office above it is the province's.
    problem = world.problem(by="city_office")
    actions.do_assign(
        problem,
        acting_user=world.users["city_office"],
        responsible_org=world.orgs["county_dept"],
    )
    chase(problem.deadline + timedelta(hours=25))
    (event,) = _escalations(problem)
    assert event.payload["escalated_to"] == [
        world.orgs["county"].pk,
        world.orgs["province_office"].pk,
    ]


def test_a_new_deadline_arms_the_steps_again(world):
    problem = world.assigned()
    chase(problem.deadline + timedelta(hours=25))
    assert len(_escalations(problem)) == 1
    actions.do_dispute(problem, acting_user=world.users["county_handler"], reason="不归我局管")
    new_deadline = timezone.now() + timedelta(days=10)
    actions.do_decide_dispute(
        problem,
        acting_user=world.users["county_office"],
        decision="uphold",
        comment="仍由卫健局整改",
        deadline=new_deadline,
    )
    problem.refresh_from_db()
    # Handed back to the unit with a new deadline: not signed for again, then yellow.
    assert chase(problem.deadline - timedelta(hours=1)) == {
        ChaseStepKind.UNSIGNED: 1,
        ChaseStepKind.YELLOW: 1,
    }
    assert chase(problem.deadline + timedelta(hours=25)) == {
        ChaseStepKind.OVERDUE: 1,
        ChaseStepKind.ESCALATE: 1,
    }
    assert _automatic(problem) == ["unsigned", "overdue", "unsigned", "yellow", "overdue"]
    assert len(_escalations(problem)) == 2


def test_disputed_and_closed_problems_are_left_alone(world):
    disputed = world.assigned()
    actions.do_dispute(disputed, acting_user=world.users["county_handler"], reason="不归我局管")
    closed = world.assigned()
    handler = world.users["county_handler"]
    actions.do_submit_rectification(closed, acting_user=handler, text="已整改")
    actions.do_verify(closed, acting_user=world.users["county_office"], accept=True)
    rectified = world.assigned()
    actions.do_submit_rectification(
        rectified, acting_user=world.users["county_handler"], text="已整改"
    )
    new = world.problem()

    assert chase(timezone.now() + timedelta(days=5)) == {}
    for problem in (disputed, closed, rectified, new):
        assert not _automatic(problem) and not _escalations(problem)


def test_a_pass_stopped_midway_repeats_nothing_when_run_again(world, monkeypatch):
    first, second = world.assigned(), world.assigned()
    later = max(first.deadline, second.deadline) + MINUTE
    real_take_step = ladder.take_step
    taken: list[int] = []

    def dies_after_one(problem, step, **kwargs):
        if taken:
            raise KeyboardInterrupt  # the worker is killed: nothing after this runs
        taken.append(problem.pk)
        return real_take_step(problem, step, **kwargs)

    monkeypatch.setattr(ladder, "take_step", dies_after_one)
    with pytest.raises(KeyboardInterrupt):
        chase(later, batch=1)
    monkeypatch.undo()

    counts = chase(later, batch=1)
    assert counts == {ChaseStepKind.UNSIGNED: 1, ChaseStepKind.OVERDUE: 2}
    assert _automatic(first) == ["unsigned", "overdue"]
    assert _automatic(second) == ["unsigned", "overdue"]
    assert chase(later, batch=1) == {}


def test_the_walk_pages_through_more_problems_than_a_batch(world):
    problems = [world.assigned() for _ in range(5)]
    later = max(p.deadline for p in problems) + MINUTE
    assert chase(later, batch=2) == {ChaseStepKind.UNSIGNED: 5, ChaseStepKind.OVERDUE: 5}


def test_a_step_switched_off_is_not_taken(world, settings):
    settings.DUCHA_LADDER_ESCALATE = False
    settings.DUCHA_LADDER_UNSIGNED = False
    problem = world.assigned()
    assert chase(problem.deadline + timedelta(hours=30)) == {ChaseStepKind.OVERDUE: 1}


def test_steps_older_than_the_look_back_are_never_taken(world, settings):
    settings.DUCHA_LADDER_LOOKBACK_HOURS = 48
    problem = world.assigned()
    assert chase(problem.deadline + timedelta(days=5)) == {}


def test_the_action_refuses_a_step_not_due(world):
    problem = world.assigned()
    actor = system_user()
    now = timezone.now()
    assert (
        ladder.do_auto_urge(
            problem, acting_user=actor, step="overdue", deadline=problem.deadline, now=now
        )
        is None
    )
    escalated = ladder.do_escalate(problem, acting_user=actor, deadline=problem.deadline, now=now)
    assert escalated is None
    # The deadline the walk read is no longer the problem's: nothing happens either.
    later = problem.deadline + MINUTE
    stale = problem.deadline - timedelta(hours=1)
    assert (
        ladder.do_auto_urge(problem, acting_user=actor, step="overdue", deadline=stale, now=later)
        is None
    )
    assert not ProblemEvent.objects.filter(problem=problem, action=Action.URGE).exists()


def test_the_command_runs_one_pass(world, settings):
    settings.DUCHA_LADDER_YELLOW = False
    world.assigned()
    Problem.objects.update(deadline=timezone.now() - MINUTE, yellow_at=timezone.now() - 2 * MINUTE)
    from io import StringIO

    out = StringIO()
    call_command("chase_problems", stdout=out)
    text = out.getvalue()
    assert "overdue: 1" in text and "yellow: 0 (off)" in text
    out = StringIO()
    call_command("chase_problems", stdout=out)
    assert "overdue: 0" in out.getvalue()


def test_the_scheduler_runs_the_ladder():
    from ducha.celery import beat_schedule
    from ducha.problems.tasks import CHASE_PROBLEMS

    entries = [entry for entry in beat_schedule().values() if entry["task"] == CHASE_PROBLEMS]
    assert len(entries) == 1 and entries[0]["schedule"] == 5 * 60.0
