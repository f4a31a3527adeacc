"""Field work: role × relation × action over the API. Out of scope is 404, role refusals 403,
and every list equals what the oracle says the persona sees.

Each case gets a fresh object in a state where the action is legal, so only the permission
under test can stop it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ducha.fieldwork import actions
from ducha.fieldwork.models import FieldEvent
from ducha.problems import actions as problem_actions
from tests.fieldwork.domain.factory import item, plan, screening, tomorrow
from tests.matrix.fieldwork_oracle import SEES, expected
from tests.matrix.harness import Case, check_each, check_matrix, listed_ids
from tests.world import World

pytestmark = pytest.mark.django_db

# Each planned task gets its own day, so no two of them overlap within the window.
_days = iter(range(0, 10_000, 20))


def _task(world: World, method: str = "open") -> Any:
    return plan(world, method=method, day=tomorrow() + timedelta(days=next(_days)))


def _secret(world: World) -> Any:
    return _task(world, "unannounced")


def _province_task(world: World) -> Any:
    return plan(
        world,
        by="province_office",
        team="province_team",
        day=tomorrow() + timedelta(days=next(_days)),
    )


def _meeting(world: World) -> Any:
    meeting = actions.do_record_meeting(
        acting_user=world.users["county_office"],
        office=world.orgs["county_office"],
        held_on=timezone.localdate(),
        title="会商",
    )
    plan(world, meeting=meeting, day=tomorrow() + timedelta(days=next(_days)))
    return meeting


def _inspection(world: World) -> Any:
    return actions.do_record_inspection(
        acting_user=world.users["county_team_member"],
        team=world.teams["county_team"],
        method="open",
        visited_at=timezone.now() - timedelta(days=30),
        sites=[world.sites["checkpoint"]],
        answers=[],
    )


def _revisit(world: World) -> Any:
    problem = world.assigned()
    problem = problem_actions.do_submit_rectification(
        problem, acting_user=world.users["county_handler"], text="已整改"
    )
    problem = problem_actions.do_verify(
        problem, acting_user=world.users["county_office"], accept=True
    )
    return problem.revisits.get()


def _revisit_done(world: World) -> Any:
    revisit = _revisit(world)
    return actions.do_record_revisit(
        revisit, acting_user=world.users["county_office"], passed=True, note=""
    )


def _surprise_revisit(world: World) -> Any:
    closed = _revisit(world).problem
    drawn = actions.do_draw_revisit_sample(
        acting_user=world.users["county_office"], office=world.orgs["county_office"], size=50
    )
    return next(revisit for revisit in drawn if revisit.problem_id == closed.pk)


def _inspection_body(world: World, task: Any) -> dict:
    return {
        "client_key": str(uuid.uuid4()),
        "task": task.pk,
        "visited_at": (timezone.now() - timedelta(minutes=10)).isoformat(),
        "answers": [],
    }


CASES: dict[str, Case] = {
    "task.view": Case("task", "view", _task, "get", lambda o: f"/tasks/{o.pk}"),
    "secret_task.view": Case("secret_task", "view", _secret, "get", lambda o: f"/tasks/{o.pk}"),
    "task.join": Case(
        "task",
        "join_task",
        _task,
        "post",
        lambda o: f"/tasks/{o.pk}/join",
        lambda w, o: {"focus_areas": [screening().pk]},
    ),
    "secret_task.join": Case(
        "secret_task",
        "join_task",
        _secret,
        "post",
        lambda o: f"/tasks/{o.pk}/join",
        lambda w, o: {"focus_areas": [screening().pk]},
    ),
    "task.cancel": Case(
        "task",
        "cancel_task",
        _task,
        "post",
        lambda o: f"/tasks/{o.pk}/cancel",
        lambda w, o: {"reason": "天气原因"},
    ),
    "task.record_inspection": Case(
        "task", "record_inspection", _task, "post", lambda o: "/inspections", _inspection_body
    ),
    "secret_task.record_inspection": Case(
        "secret_task",
        "record_inspection",
        _secret,
        "post",
        lambda o: "/inspections",
        _inspection_body,
    ),
    "province_task.view": Case(
        "province_task", "view", _province_task, "get", lambda o: f"/tasks/{o.pk}"
    ),
    "province_task.join": Case(
        "province_task",
        "join_task",
        _province_task,
        "post",
        lambda o: f"/tasks/{o.pk}/join",
        lambda w, o: {"focus_areas": [screening().pk]},
    ),
    "province_task.cancel": Case(
        "province_task",
        "cancel_task",
        _province_task,
        "post",
        lambda o: f"/tasks/{o.pk}/cancel",
        lambda w, o: {"reason": "天气原因"},
    ),
    "province_task.record_inspection": Case(
        "province_task",
        "record_inspection",
        _province_task,
        "post",
        lambda o: "/inspections",
        _inspection_body,
    ),
    "meeting.view": Case("meeting", "view", _meeting, "get", lambda o: f"/meetings/{o.pk}"),
    "checklist_item.view": Case(
        "checklist_item", "view", item, "get", lambda o: f"/checklist-items/{o.pk}"
    ),
    "checklist_item.revise": Case(
        "checklist_item",
        "edit_checklist",
        item,
        "post",
        lambda o: f"/checklist-items/{o.pk}/revise",
        lambda w, o: {"text": "卡口是否逐车逐人登记"},
    ),
    "checklist_item.retire": Case(
        "checklist_item",
        "edit_checklist",
        item,
        "post",
        lambda o: f"/checklist-items/{o.pk}/retire",
    ),
    "inspection.view": Case(
        "inspection", "view", _inspection, "get", lambda o: f"/inspections/{o.pk}"
    ),
    "revisit.view": Case("revisit", "view", _revisit, "get", lambda o: f"/revisits/{o.pk}"),
    "revisit.record": Case(
        "revisit",
        "record_revisit",
        _revisit,
        "post",
        lambda o: f"/revisits/{o.pk}/result",
        lambda w, o: {"passed": True, "note": "保持良好"},
    ),
    "revisit_done.view": Case(
        "revisit_done", "view", _revisit_done, "get", lambda o: f"/revisits/{o.pk}"
    ),
    "surprise_revisit.view": Case(
        "surprise_revisit", "view", _surprise_revisit, "get", lambda o: f"/revisits/{o.pk}"
    ),
    "surprise_revisit.record": Case(
        "surprise_revisit",
        "record_revisit",
        _surprise_revisit,
        "post",
        lambda o: f"/revisits/{o.pk}/result",
        lambda w, o: {"passed": True, "note": "保持良好"},
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fieldwork_action_matrix(world, name):
    case = CASES[name]
    check_matrix(
        world,
        case.setup,
        case.endpoint(),
        lambda persona, obj: expected(persona, case.obj, case.action),
        ok={200, 201},
        unchanged=lambda obj: FieldEvent.objects.count(),
    )


LISTS = {
    "task": ("/tasks?page_size=200", _task),
    "secret_task": ("/tasks?page_size=200", _secret),
    "province_task": ("/tasks?page_size=200", _province_task),
    "meeting": ("/meetings?page_size=200", _meeting),
    "checklist_item": ("/checklist-items?page_size=200", item),
    "inspection": ("/inspections?page_size=200", _inspection),
    "revisit": ("/revisits?page_size=200", _revisit),
    "revisit_done": ("/revisits?page_size=200", _revisit_done),
    "surprise_revisit": ("/revisits?page_size=200", _surprise_revisit),
}


@pytest.mark.parametrize("obj", sorted(LISTS))
def test_fieldwork_lists_equal_the_oracle(world, obj):
    path, setup = LISTS[obj]
    target = setup(world)
    check_each(
        world,
        lambda client: target.pk in listed_ids(client, path),
        lambda persona: persona in SEES[obj],
    )
