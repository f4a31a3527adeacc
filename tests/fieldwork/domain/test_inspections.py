from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.core.errors import InvalidInput, TransitionRefused
from ducha.fieldwork import actions
from ducha.fieldwork.models import Answer, FieldEvent, Inspection, Revisit, Task
from ducha.problems.models import Problem, ProblemEvent
from tests.fieldwork.domain.factory import fail, inspect, item, passed, plan

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Inspection.objects.count(),
        Answer.objects.count(),
        Problem.objects.count(),
        ProblemEvent.objects.count(),
        FieldEvent.objects.count(),
        Revisit.objects.count(),
    )


def test_failed_item_becomes_a_linked_problem_and_the_task_is_done(world):
    question, other = item(world, "卡口是否逐车登记"), item(world, "是否配备测温设备")
    task = plan(world)
    inspection = inspect(
        world,
        [fail(question, note="三辆货车未登记"), passed(other)],
        task=task,
        members_present=[world.users["county_team_member"]],
    )
    problem = Problem.objects.get()
    # Titled as the question proposes: its negated form.
    assert (problem.title, problem.description) == ("卡口未逐车登记", "三辆货车未登记")
    assert problem.inspection == inspection
    assert problem.site == world.sites["checkpoint"]
    assert problem.region == world.orgs["town"]
    assert problem.team == world.teams["county_team"]
    assert Answer.objects.get(item=question).problem == problem
    assert Answer.objects.get(item=other).problem is None
    assert Task.objects.get(pk=task.pk).state == "done"
    assert inspection.region == world.orgs["town"]


def test_fixed_on_the_spot_closes_at_once_and_schedules_a_revisit(world, settings):
    settings.DUCHA_REVISIT_AFTER_DAYS = 10
    question = item(world)
    inspect(world, [fail(question, fixed_on_spot=True, evidence_text="当场补登记")])
    problem = Problem.objects.get()
    assert (problem.state, problem.on_the_spot) == ("closed", True)
    revisit = Revisit.objects.get(problem=problem)
    assert revisit.due_on == timezone.localdate() + timedelta(days=10)
    closing = ProblemEvent.objects.get(problem=problem, action="close_on_spot")
    assert closing.payload["revisit_due_on"] == revisit.due_on.isoformat()


def test_same_client_key_returns_the_first_result_and_creates_nothing(world):
    question = item(world)
    key = uuid.uuid4()
    first = inspect(world, [fail(question)], client_key=key)
    before = _counts()
    again = inspect(world, [fail(question)], client_key=key)
    assert again.pk == first.pk
    assert _counts() == before


def test_a_key_used_by_someone_else_is_refused(world):
    question = item(world)
    key = uuid.uuid4()
    inspect(world, [fail(question)], client_key=key)
    before = _counts()
    with pytest.raises(TransitionRefused) as refused:
        inspect(world, [fail(question)], by="county_office", client_key=key)
    assert refused.value.field == "client_key"
    assert _counts() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"visited_at": timezone.now() + timedelta(days=1)}, "visited_at"),
        ({"site": "sibling_market"}, "sites"),
        ({"method": "other"}, "method"),
        ({"members_present": "province_team_member"}, "members_present"),
    ],
)
def test_bad_visits_name_the_field_and_nothing_is_half_saved(world, change, field):
    question = item(world)
    if "members_present" in change:
        change["members_present"] = [world.users[change["members_present"]]]
    before = _counts()
    with pytest.raises(InvalidInput) as refused:
        inspect(world, [fail(question)], **change)
    assert refused.value.field == field
    assert _counts() == before


def test_questions_not_applicable_to_the_visit_are_refused(world):
    sibling_item = item(world, "双滦区问题", office="sibling_office")
    retired = item(world, "旧问题")
    actions.do_retire_checklist_item(retired, acting_user=world.users["county_office"])
    good = item(world)
    for answers in (
        [fail(good), fail(sibling_item)],
        [fail(retired)],
        [fail(good), passed(good)],
        [actions.AnswerInput(item=good, result="maybe")],
        [fail(good, fixed_on_spot=True, note="")],
    ):
        before = _counts()
        with pytest.raises(InvalidInput) as refused:
            inspect(world, answers)
        assert refused.value.field == "answers"
        assert _counts() == before


def test_a_done_task_cannot_be_recorded_twice(world):
    question = item(world)
    task = plan(world)
    inspect(world, [passed(question)], task=task)
    with pytest.raises(TransitionRefused):
        inspect(world, [passed(question)], task=task)


def test_inspections_visible_by_region(world):
    inspection = inspect(world, [passed(item(world))])
    for key in ("county_office", "city_office", "town_office", "county_team_member"):
        assert inspection in Inspection.objects.visible_to(world.users[key]), key
    for key in ("sibling_office", "county_handler", "other_office", "outsider"):
        assert inspection not in Inspection.objects.visible_to(world.users[key]), key
