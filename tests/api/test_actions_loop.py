"""Every action's legal path through POST /problems/{id}/actions/{action}."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from ducha.problems.models import Problem

pytestmark = pytest.mark.django_db


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def future(hours: int = 48) -> str:
    return (timezone.now() + timedelta(hours=hours)).isoformat()


def test_the_full_loop_assign_rectify_reject_rectify_accept(world, api_as):
    office, handler = api_as("county_office"), api_as("county_handler")
    team = api_as("county_team_member")
    problem = world.problem()
    deadline = future(30)

    data = ok(
        office.act(
            problem,
            "assign",
            responsible_org=world.orgs["county_dept"].pk,
            deadline=deadline,
            comment="请于30小时内整改",
        )
    )
    assert data["state"] == "assigned"
    assert data["responsible_org"]["id"] == world.orgs["county_dept"].pk
    assert Problem.objects.get(pk=problem.pk).deadline.isoformat()[:19] == deadline[:19]
    assert data["allowed_actions"] == ["report_up", "urge", "institutionalize"]

    data = ok(handler.act(problem, "submit_rectification", text="已增派人员登记"))
    assert data["state"] == "rectified"
    data = ok(team.act(problem, "verify_reject", comment="现场仍有车辆未登记"))
    assert data["state"] == "assigned"
    data = ok(handler.act(problem, "submit_rectification", text="已设专人专岗"))
    assert data["state"] == "rectified"
    data = ok(team.act(problem, "verify_accept", comment="现场核实到位"))
    assert data["state"] == "closed"
    assert data["closed_at"] is not None and data["time_to_close"] > 0
    assert data["light"] is None
    assert [(e["action"], e["from_state"], e["to_state"]) for e in data["events"]] == [
        ("create", "", "new"),
        ("assign", "new", "assigned"),
        ("submit_rectification", "assigned", "rectified"),
        ("verify_reject", "rectified", "assigned"),
        ("submit_rectification", "assigned", "rectified"),
        ("verify_accept", "rectified", "closed"),
    ]
    assert data["events"][3]["comment"] == "现场仍有车辆未登记"
    assert data["events"][2]["actor"] == "卫健局经办人"


def test_report_up_to_an_office_above_the_jurisdiction(world, api_as):
    problem = world.problem()
    city_office = world.orgs["city_office"]
    data = ok(
        api_as("county_office").act(problem, "report_up", to_org=city_office.pk, comment="专报")
    )
    assert data["reported_to"] == {"id": city_office.pk, "name": city_office.name}
    assert data["state"] == "new"
    assert data["events"][-1]["payload"]["to_org"] == city_office.pk
    # The command HQ above now sees what was reported to it.
    assert api_as("city_command").get(f"/problems/{problem.pk}").status_code == 404
    ok(
        api_as("county_office").act(
            problem, "report_up", to_org=world.orgs["city_command"].pk, comment="请指挥部研究"
        )
    )
    assert api_as("city_command").get(f"/problems/{problem.pk}").status_code == 200


def test_report_up_to_the_province_from_a_team(world, api_as):
    problem = world.problem()
    target = world.orgs["province_office"].pk
    data = ok(api_as("county_team_member").act(problem, "report_up", to_org=target, comment="呈报"))
    assert data["reported_to"]["id"] == target


def test_instruct(world, api_as):
    problem = world.assigned()
    data = ok(api_as("county_leader").act(problem, "instruct", text="要举一反三，全面排查"))
    event = data["events"][-1]
    assert (event["action"], event["comment"]) == ("instruct", "要举一反三，全面排查")
    assert data["state"] == "assigned"


def test_urge_records_the_light(world, api_as):
    on_time = world.assigned()
    late = world.assigned(found_at=timezone.now() - timedelta(days=4))
    api = api_as("county_office")
    green = ok(api.act(on_time, "urge"))["events"][-1]
    red = ok(api.act(late, "urge", comment="已超期，请立即整改"))["events"][-1]
    assert green["payload"] == {"light": "green"}
    assert red["payload"] == {"light": "red"}
    assert red["comment"] == "已超期，请立即整改"


def test_common_problem_closes_only_after_institutionalize(world, api_as):
    problem = world.assigned(nature="common")
    office, handler = api_as("county_office"), api_as("county_handler")
    ok(handler.act(problem, "submit_rectification", text="已整改"))
    refused = office.act(problem, "verify_accept")
    assert refused.status_code == 409
    assert refused.json()["detail"]
    assert Problem.objects.get(pk=problem.pk).state == "rectified"
    data = ok(handler.act(problem, "institutionalize", rule="建立卡口登记日巡查制度"))
    assert data["rule"] == "建立卡口登记日巡查制度"
    assert data["state"] == "rectified"
    assert ok(office.act(problem, "verify_accept"))["state"] == "closed"


def test_command_records_the_rule_for_a_common_problem(world, api_as):
    problem = world.problem(nature="common")
    data = ok(api_as("city_command").act(problem, "institutionalize", rule="出台统一管控措施"))
    assert data["events"][-1]["action"] == "institutionalize"


def test_close_on_spot(world, api_as):
    problem = world.problem()
    data = ok(api_as("county_team_member").act(problem, "close_on_spot", evidence="当场整改"))
    assert data["state"] == "closed"
    assert data["on_the_spot"] is True
    assert data["responsible_org"] is None


def test_dispute_upheld_then_reassigned(world, api_as):
    problem = world.assigned()
    office, handler = api_as("county_office"), api_as("county_handler")
    assert ok(handler.act(problem, "dispute", reason="不属于本局职责"))["state"] == "disputed"
    data = ok(office.act(problem, "decide_dispute", decision="uphold", comment="属于卫健局职责"))
    assert data["state"] == "assigned"
    assert data["responsible_org"]["id"] == world.orgs["county_dept"].pk
    assert data["events"][-1]["payload"]["decision"] == "uphold"

    ok(handler.act(problem, "dispute", reason="仍有异议"))
    market = world.orgs["county_market_dept"].pk
    data = ok(
        office.act(
            problem,
            "decide_dispute",
            decision="reassign",
            comment="改由市场监管局办理",
            responsible_org=market,
            deadline=future(),
        )
    )
    assert data["state"] == "assigned"
    assert data["responsible_org"]["id"] == market
    # The unit that lost the problem no longer sees it; the new one does.
    assert handler.get(f"/problems/{problem.pk}").status_code == 404
    assert api_as("market_handler").get(f"/problems/{problem.pk}").status_code == 200


def test_reopen_a_closed_problem(world, api_as):
    problem = world.assigned()
    ok(api_as("county_handler").act(problem, "submit_rectification", text="已整改"))
    ok(api_as("county_office").act(problem, "verify_accept"))
    data = ok(api_as("county_team_member").act(problem, "reopen", reason="回头看发现问题反弹"))
    assert data["state"] == "assigned"
    assert data["recurring"] is True
    assert data["closed_at"] is None and data["time_to_close"] is None
    assert data["light"] == "green"


def test_reopen_with_a_deadline(world, api_as):
    problem = world.problem()
    ok(api_as("county_office").act(problem, "close_on_spot", evidence="当场整改"))
    deadline = future(10)
    data = ok(api_as("county_office").act(problem, "reopen", reason="反弹", deadline=deadline))
    assert data["state"] == "new"  # never assigned: back to the office
    assert Problem.objects.get(pk=problem.pk).deadline.isoformat()[:19] == deadline[:19]


def test_a_deadline_without_its_time_zone_is_refused(world, api_as):
    # The offices span time zones: a wall-clock time alone could move a deadline by hours.
    problem = world.problem()
    local = timezone.now().astimezone(ZoneInfo("Asia/Shanghai")).replace(microsecond=0)
    naive = (local + timedelta(days=2)).replace(tzinfo=None).isoformat()
    dept = world.orgs["county_dept"].pk
    response = api_as("county_office").act(problem, "assign", responsible_org=dept, deadline=naive)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["deadline"]
    assert Problem.objects.get(pk=problem.pk).responsible_org is None
