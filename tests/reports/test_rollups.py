"""The rollup tables always equal the sum over the problems, and the event log rebuilds them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.problems import actions
from ducha.problems.choices import State
from ducha.problems.models import Problem, ProblemEvent
from ducha.problems.rollups import cells, horizon
from ducha.problems.rollups.facts import facts_of_queryset, replay
from ducha.problems.rollups.models import DueCell, RollupCell
from ducha.problems.rollups.writes import differences, stored
from tests.reports.walk import random_walk

pytestmark = pytest.mark.django_db


def from_rows() -> tuple[dict, dict]:
    return cells.totals(facts_of_queryset(Problem.objects.all()), horizon.window())


def from_events() -> tuple[dict, dict]:
    log = ProblemEvent.objects.order_by("created_at", "pk")
    return cells.totals(replay(log).values(), horizon.window())


def assert_consistent() -> None:
    tables = stored()
    assert differences(from_rows(), tables) == []
    assert differences(from_events(), tables) == []


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def test_the_loop_through_the_api_keeps_every_table_true(world, api_as):
    office, handler = api_as("county_office"), api_as("county_handler")
    team, leader = api_as("county_team_member"), api_as("county_leader")
    dept = world.orgs["county_dept"].pk
    first = world.problem(site=world.sites["checkpoint"])
    assert RollupCell.objects.filter(scope_level=3, dim=0).get().found == 1
    assert_consistent()

    ok(office.act(first, "assign", responsible_org=dept, comment="限期整改"))
    ok(leader.act(first, "instruct", text="抓紧整改"))
    ok(office.act(first, "urge", comment="请加快进度"))
    ok(handler.act(first, "submit_rectification", text="已整改"))
    ok(team.act(first, "verify_reject", comment="仍未登记"))
    ok(handler.act(first, "dispute", reason="不属于本单位职责"))
    ok(
        office.act(
            first,
            "decide_dispute",
            decision="reassign",
            comment="改由市场监管局办理",
            responsible_org=world.orgs["county_market_dept"].pk,
            deadline=(timezone.now() + timedelta(hours=20)).isoformat(),
        )
    )
    assert_consistent()
    ok(api_as("market_handler").act(first, "submit_rectification", text="已整改到位"))
    ok(team.act(first, "verify_accept", comment="核实销号"))
    assert_consistent()

    # Found again at the same site after closing: a repeat, counted as a recurrence.
    before_closing = world.problem(site=world.sites["checkpoint"], title="关闭前已发现")
    assert before_closing.repeat_of_id is None
    second = world.problem(
        site=world.sites["checkpoint"], title="卡口再次未登记", found_at=timezone.now()
    )
    assert second.repeat_of_id == first.pk
    ok(team.act(second, "close_on_spot", evidence="当场补登"))
    ok(team.act(first, "reopen", reason="回头看发现反弹"))
    assert_consistent()
    county = RollupCell.objects.get(scope_level=3, scope_id=world.orgs["county"].pk, dim=0, key=0)
    assert (county.found, county.closed, county.open, county.recurrences) == (3, 1, 2, 2)
    assert county.on_the_spot == 1


def test_a_common_problem_closes_only_after_its_rule(world, api_as):
    office, team = api_as("county_office"), api_as("county_team_member")
    problem = world.problem(nature="common", urgency="urgent")
    response = team.act(problem, "close_on_spot", evidence="当场整改")
    assert response.status_code == 409
    ok(api_as("city_command").act(problem, "institutionalize", rule="建立交叉检查制度"))
    ok(team.act(problem, "close_on_spot", evidence="当场整改"))
    version = office.get(f"/problems/{problem.pk}")["ETag"]
    ok(
        office.post(
            f"/problems/{problem.pk}/actions/institutionalize",
            {"rule": "制度再完善"},
            headers={"If-Match": version},
        )
    )
    assert_consistent()
    city = RollupCell.objects.get(scope_level=2, scope_id=world.orgs["city"].pk, dim=0, key=0)
    assert (city.common, city.urgent, city.closed) == (1, 1, 1)


def test_refused_actions_leave_the_tables_alone(world, api_as):
    problem = world.problem()
    before = stored()
    response = api_as("county_office").act(problem, "verify_accept")
    assert response.status_code == 409
    assert stored() == before


def test_time_buckets_hold_only_open_problems(world):
    problem = world.problem()
    assert DueCell.objects.filter(due__gt=0).exists()
    actions.do_close_on_spot(problem, acting_user=world.users["county_office"], evidence="当场")
    assert not DueCell.objects.exclude(due=0, yellow=0).exists()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_walks_through_the_loop_keep_every_table_true(world, seed):
    random_walk(world, seed)
    assert Problem.objects.exclude(state=State.NEW).exists()
    assert_consistent()
