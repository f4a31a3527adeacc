"""The demo's history is one the real actions wrote, by people allowed to take them."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.utils import timezone

from ducha.accounts.system import system_user
from ducha.problems.choices import Action, Nature
from ducha.problems.models import Problem, ProblemEvent
from ducha.sweeps.models import SweepProblem

pytestmark = pytest.mark.django_db


def test_every_verb_of_the_loop_occurs(demo):
    used = set(ProblemEvent.objects.values_list("action", flat=True))
    assert used == set(Action.values)


def test_every_event_was_written_by_someone_whose_role_allows_it(demo):
    allowed: dict[tuple[int, str], set[int]] = {}
    refused = []
    system = system_user()
    for event in ProblemEvent.objects.select_related("actor", "problem"):
        if event.actor_id == system.pk:
            # No role takes the ladder's steps: only the system account, and only escalation
            # and the automatic reminders.
            assert event.action == Action.ESCALATE or "automatic" in event.payload, event
            continue
        key = (event.actor_id, event.action)
        if key not in allowed:
            reach = Problem.objects.visible_to(event.actor, event.action)
            allowed[key] = set(reach.values_list("pk", flat=True))
        if event.problem_id in allowed[key]:
            continue
        # A unit that disputed successfully no longer holds the problem it gave back.
        reassigned = event.problem.events.filter(
            action=Action.DECIDE_DISPUTE, payload__decision="reassign"
        )
        if event.action == Action.DISPUTE and reassigned.exists():
            continue
        # A unit records the problems its self-check found, in its answer (docs/sweeps.md).
        brought = SweepProblem.objects.filter(
            problem=event.problem, self_check__answered_by=event.actor
        )
        if event.action == Action.CREATE and brought.exists():
            continue
        refused.append((event.action, event.actor.username, event.problem.title))
    assert refused == []


def test_every_timeline_lies_in_the_past_and_runs_forward(demo):
    now = timezone.now()
    assert not ProblemEvent.objects.filter(created_at__gt=now).exists()
    assert not ProblemEvent.objects.filter(created_at__lt=F("problem__found_at")).exists()
    for problem in Problem.objects.prefetch_related("events"):
        times = [event.created_at for event in problem.events.all()]
        assert times == sorted(times), problem.title
        assert problem.events.all()[0].action == Action.CREATE


def test_closed_problems_were_verified_or_fixed_on_the_spot(demo):
    for problem in Problem.objects.filter(state="closed").prefetch_related("events"):
        last = list(problem.events.all())[-1]
        assert last.action in (Action.VERIFY_ACCEPT, Action.CLOSE_ON_SPOT), problem.title
        assert problem.closed_at == last.created_at
    common = Problem.objects.filter(state="closed", nature=Nature.COMMON)
    assert common.exists() and not common.filter(rule="").exists()


def test_zhuozhou_checkpoint_went_up_to_the_province_and_drew_an_instruction(demo):
    problem = Problem.objects.get(title__startswith="涿州进京检查站劝返人员滞留")
    assert problem.reported_to.name == "河北省大督查办"
    instruction = problem.events.get(action=Action.INSTRUCT)
    assert instruction.actor.username == "hebei.leader"
    assert problem.is_open and problem.nature == Nature.COMMON


def test_sanhe_commuters_closed_only_after_the_lasting_rule(demo):
    problem = Problem.objects.get(county__code="131082", nature=Nature.COMMON)
    assert "一信一卡一证" in problem.rule and problem.state == "closed"
    actions = list(problem.events.values_list("action", flat=True))
    assert actions.index(Action.INSTITUTIONALIZE) < actions.index(Action.VERIFY_ACCEPT)


def test_neiqiu_unannounced_visit_problems_are_being_rectified(demo):
    batch = Problem.objects.filter(county__code="130523", team__name="省驻邢台市督查组")
    states = set(batch.values_list("state", flat=True))
    assert {"closed", "assigned", "rectified", "disputed"} <= states
    assert batch.overdue().filter(events__action=Action.URGE).exists()


def test_huian_isolation_site_problem_came_back(demo):
    problem = Problem.objects.get(recurring=True)
    assert problem.county.code == "350521" and problem.site.kind == "isolation_site"
    assert problem.is_open
    assert problem.events.filter(action=Action.REOPEN).count() == 1


def test_huangtang_dialysis_was_closed_the_same_evening(demo):
    problem = Problem.objects.get(village__name="后西村", urgency="urgent")
    assert problem.state == "closed"
    assert problem.time_to_close.total_seconds() <= 6 * 3600
    assert problem.responsible_org.name == "惠安县卫健局"
