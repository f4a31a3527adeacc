"""Role × relation × action × endpoint: out of scope is always 404, lists equal the subtree.

Every case gets a fresh problem in the state where the action is legal, so the only thing
that can stop the action is the permission under test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ducha.problems import actions, extensions
from ducha.problems.models import Problem
from tests.matrix.harness import Endpoint, check_each, check_matrix, client_for
from tests.matrix.oracle import PERSONAS, expected_status, sees
from tests.world import World

pytestmark = pytest.mark.django_db


def _office(world: World):
    return world.users["county_office"]


def _new(world: World) -> Problem:
    return world.problem(nature="common")


def _with_rule(problem: Problem, world: World) -> Problem:
    # Common problems only close after their lasting rule; record it so closing is legal.
    return actions.do_institutionalize(problem, acting_user=_office(world), rule="建立登记制度")


def _assigned(world: World) -> Problem:
    problem = _new(world)
    return actions.do_assign(
        problem, acting_user=_office(world), responsible_org=world.orgs["county_dept"]
    )


def _rectified(world: World) -> Problem:
    problem = _with_rule(_assigned(world), world)
    return actions.do_submit_rectification(
        problem, acting_user=world.users["county_handler"], text="已设专人登记"
    )


def _disputed(world: World) -> Problem:
    return actions.do_dispute(
        _assigned(world), acting_user=world.users["county_handler"], reason="不属本单位职责"
    )


def _extension_requested(world: World) -> Problem:
    problem = _assigned(world)
    return extensions.do_request_extension(
        problem,
        acting_user=world.users["county_handler"],
        deadline=problem.deadline + timedelta(days=3),
        reason="需采购设备",
    )


def _closed(world: World) -> Problem:
    return actions.do_verify(_rectified(world), acting_user=_office(world), accept=True)


@dataclass
class Case:
    setup: Callable[[World], Problem]
    body: Callable[[World], dict]


def _future(days: int = 2) -> str:
    return (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0).isoformat()


CASES: dict[str, Case] = {
    "assign": Case(
        _new,
        lambda w: {
            "responsible_org": w.orgs["county_dept"].pk,
            "deadline": _future(),
            "comment": "请尽快整改",
        },
    ),
    "report_up": Case(
        _new, lambda w: {"to_org": w.orgs["city_office"].pk, "comment": "需市级协调"}
    ),
    "instruct": Case(_assigned, lambda w: {"text": "限期整改到位"}),
    "urge": Case(_assigned, lambda w: {"comment": "请加快进度"}),
    "submit_rectification": Case(_assigned, lambda w: {"text": "已整改并拍照留存"}),
    "verify_accept": Case(_rectified, lambda w: {"comment": "现场核实已整改"}),
    "verify_reject": Case(_rectified, lambda w: {"comment": "仍有车辆未登记"}),
    "institutionalize": Case(_assigned, lambda w: {"rule": "建立卡口值守登记制度"}),
    "close_on_spot": Case(lambda w: _with_rule(_new(w), w), lambda w: {"evidence": "现场已补登记"}),
    "dispute": Case(_assigned, lambda w: {"reason": "该卡口由市场监管局负责"}),
    "decide_dispute": Case(
        _disputed, lambda w: {"decision": "uphold", "comment": "仍由卫健局负责"}
    ),
    "reopen": Case(_closed, lambda w: {"reason": "回头看发现问题反弹"}),
    "sign": Case(_assigned, lambda w: {}),
    "request_extension": Case(
        _assigned,
        lambda w: {"deadline": _future(days=6), "reason": "需采购设备"},
    ),
    "decide_extension": Case(
        _extension_requested, lambda w: {"decision": "refuse", "comment": "时限内可完成"}
    ),
}


def _page_body(world: World, action: str) -> dict:
    body = CASES[action].body(world)
    if "deadline" in body:
        deadline = timezone.localtime(datetime.fromisoformat(body["deadline"]))
        body = {**body, "deadline": deadline.strftime("%Y-%m-%dT%H:%M")}
    return body


def _endpoint(action: str, channel: str) -> Endpoint:
    if channel == "api":
        return Endpoint(
            "post",
            lambda p: f"/problems/{p.pk}/actions/{action}",
            lambda w, p: CASES[action].body(w),
        )
    return Endpoint(
        "post",
        lambda p: f"/problems/{p.pk}/act/{action}/",
        lambda w, p: _page_body(w, action),
        "page",
    )


def _assigned_to(problem: Problem) -> str | None:
    return "county_dept" if problem.responsible_org_id else None


SUCCESS = {"api": {200}, "page": {302}}


@pytest.mark.parametrize("channel", ["api", "page"])
@pytest.mark.parametrize("action", sorted(CASES))
def test_action_matrix(world, action, channel):
    check_matrix(
        world,
        CASES[action].setup,
        _endpoint(action, channel),
        lambda persona, problem: expected_status(
            persona, action, assigned_to=_assigned_to(problem)
        ),
        ok=SUCCESS[channel],
        unchanged=lambda problem: (
            Problem.objects.get(pk=problem.pk).state,
            problem.events.count(),
        ),
    )


@pytest.mark.parametrize("channel", ["api", "page"])
@pytest.mark.parametrize("state", ["new", "assigned"])
def test_view_matrix(world, channel, state):
    slash = "/" if channel == "page" else ""
    check_matrix(
        world,
        _new if state == "new" else _assigned,
        Endpoint("get", lambda p: f"/problems/{p.pk}{slash}", surface=channel),
        lambda persona, problem: (
            "ok" if sees(persona, assigned_to=_assigned_to(problem)) else "missing"
        ),
        ok={200},
        fresh=False,
    )


def test_missing_and_forbidden_look_the_same(world):
    problem = _new(world)
    client = client_for(world, "sibling_office")
    hidden = client.get(f"/api/v1/problems/{problem.pk}")
    missing = client.get("/api/v1/problems/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert client.get(f"/problems/{problem.pk}/").status_code == 404
    assert client.get("/problems/999999/").status_code == 404


def _sees_sibling_problem(persona: str) -> bool:
    role, relation = PERSONAS[persona]
    return relation in {"ancestor", "sibling"} and role != "unit_handler"


def _expected_titles(persona: str, problems: dict[str, Problem]) -> set[str]:
    """The titles a persona must list, from the oracle of relations."""
    visible = {
        "county_new": sees(persona, assigned_to=None),
        "county_assigned": sees(persona, assigned_to="county_dept"),
        "sibling": _sees_sibling_problem(persona),
    }
    return {problem.title for key, problem in problems.items() if visible[key]}


@pytest.mark.parametrize("channel", ["api", "page"])
def test_every_list_equals_the_subtree(world, channel):
    problems = {
        "county_new": world.problem(title="县级新问题", nature="common"),
        "county_assigned": actions.do_assign(
            world.problem(title="县级已交办问题", nature="common"),
            acting_user=_office(world),
            responsible_org=world.orgs["county_dept"],
        ),
        "sibling": world.problem(
            by="sibling_office", region="sibling", title="邻县问题", nature="common"
        ),
    }
    all_titles = {p.title for p in problems.values()}

    def listed(client: Client) -> set[str]:
        if channel == "api":
            items = client.get("/api/v1/problems?page_size=200").json()["items"]
            return {item["title"] for item in items}
        html = client.get("/problems/").content.decode()
        return {title for title in all_titles if title in html}

    check_each(world, listed, lambda persona: _expected_titles(persona, problems))
