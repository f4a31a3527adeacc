"""Chengdu Hi-tech Zone: the structure and the line of the report, 252 of 267 (94.38%)."""

from __future__ import annotations

import pytest

from ducha.accounts.models import User
from ducha.problems.models import Problem
from ducha.problems.querysets import rate

pytestmark = pytest.mark.django_db

ZONE, HUIAN = "510109", "350521"


def test_zone_office_sees_the_reports_figures_through_the_api(demo, signed_in):
    zone = demo.region(ZONE)
    client = signed_in("chengdu.office")
    body = client.get("/api/v1/problems", {"region": zone.pk}).json()
    assert body["count"] == 267
    disputed = client.get("/api/v1/problems", {"region": zone.pk, "state": "disputed"}).json()
    assert body["stats"] == {
        "found": 267,
        "more": False,
        "rectified": 252,
        "rate": "94.38",
        "disputed": disputed["count"],
    }


def test_zone_office_sees_the_same_line_on_the_list_page(demo, signed_in):
    zone = demo.region(ZONE)
    response = signed_in("chengdu.office").get("/problems/", {"region": zone.pk})
    assert response.status_code == 200
    line = response.content.decode().split('data-testid="stats">')[1].split("</p>")[0]
    assert "267" in line and "252" in line and "94.38" in line


def test_zone_figures_follow_from_the_rows(demo):
    office = User.objects.get(username="chengdu.office")
    visible = Problem.objects.visible_to(office)
    zone = demo.region(ZONE)
    assert visible.count() == Problem.objects.filter(county=zone).count() == 267
    assert visible.filter(state="closed").count() == 252
    assert rate(252, 267) == visible.rectification_stats()["rate"] == "94.38"


def test_open_problems_in_the_zone_show_every_state_and_light(demo, signed_in):
    client, zone = signed_in("chengdu.office"), demo.region(ZONE)
    for state in ["new", "assigned", "disputed", "rectified"]:
        found = client.get("/api/v1/problems", {"region": zone.pk, "state": state}).json()
        assert found["count"] > 0, state
    lights = {
        light: client.get("/api/v1/problems", {"region": zone.pk, "light": light}).json()["count"]
        for light in ["green", "yellow", "red"]
    }
    assert all(lights.values()), lights
    # A dispute awaiting the office has no light (docs/decisions/0018-dispute-clock.md).
    disputed = client.get("/api/v1/problems", {"region": zone.pk, "state": "disputed"}).json()
    assert sum(lights.values()) == 267 - 252 - disputed["count"]


def test_zone_has_16_streets_22_departments_3_enterprises_and_9_teams(demo, signed_in):
    client, zone = signed_in("chengdu.office"), demo.region(ZONE)

    def count(path: str, **params) -> int:
        return client.get(f"/api/v1/{path}", params).json()["count"]

    assert count("orgs", parent=zone.pk, kind="region") == 16
    assert count("orgs", parent=zone.pk, kind="department") == 22
    assert count("orgs", parent=zone.pk, kind="enterprise") == 3
    assert count("teams") == 9
    assert count("teams", kind="special") + count("teams", kind="comprehensive") == 9
    assert count("orgs", parent=zone.pk, kind="office") == 1
    assert count("orgs", parent=zone.pk, kind="command") == 1
    assert count("orgs", parent=zone.pk, kind="discipline") == 1


def test_the_pharmacy_scene_happened_in_sancha_and_closed_within_the_day(demo):
    problem = Problem.objects.get(title__contains="扫码送口罩")
    assert problem.town.name == "三岔街道" and problem.site.kind == "pharmacy"
    assert problem.team.name == "第七督查组"
    assert problem.state == "closed" and problem.time_to_close.total_seconds() < 24 * 3600


def test_huian_has_6_joint_and_5_special_teams(demo, signed_in):
    client = signed_in("huian.office")
    teams = client.get("/api/v1/teams", {"page_size": 100}).json()["items"]
    kinds = [team["kind"] for team in teams]
    assert kinds.count("joint") == 6 and kinds.count("special") == 5 and len(kinds) == 11
    assert {team["dispatched_by"]["name"] for team in teams} == {"惠安县纪委监委"}


def test_hebei_stations_a_team_in_at_least_five_cities(demo, signed_in):
    teams = signed_in("hebei.office").get("/api/v1/teams", {"kind": "stationed"}).json()
    cities = {region["name"] for team in teams["items"] for region in team["regions"]}
    assert teams["count"] >= 5 and len(cities) == teams["count"]
    assert all(team["name"] == f"省驻{team['regions'][0]['name']}督查组" for team in teams["items"])


def test_huian_office_sees_no_problem_of_the_zone(demo, signed_in):
    client = signed_in("huian.office")
    zone_problem = Problem.objects.filter(county=demo.region(ZONE)).first()
    assert client.get(f"/api/v1/problems/{zone_problem.pk}").status_code == 404
    assert client.get("/api/v1/problems", {"region": demo.region(ZONE).pk}).status_code == 422
    everything = client.get("/api/v1/problems", {"page_size": 100}).json()
    assert everything["count"] == Problem.objects.filter(county=demo.region(HUIAN)).count()
    assert {item["id"] for item in everything["items"]}.isdisjoint(
        Problem.objects.filter(county=demo.region(ZONE)).values_list("pk", flat=True)
    )
