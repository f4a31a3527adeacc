"""The numbers of a drafted report and summary equal the data (counted by hand in scene.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ducha.daily.models import DailyReport
from ducha.problems.models import Problem
from ducha.problems.sentences import stats_sentence
from tests.daily.scene import COUNTY_TEAM_DAY

pytestmark = pytest.mark.django_db


def _draft_team(api, scene) -> dict:
    response = api.post("/daily/draft", {"day": scene.day.isoformat(), "team": scene.team.pk})
    assert response.status_code == 200, response.content
    (report_id,) = response.json()["reports"]
    return api.get(f"/daily/reports/{report_id}").json()


def test_the_team_report_counts_the_days_visits_problems_revisits_and_red_lights(scene, api_as):
    report = _draft_team(api_as("county_team_member"), scene)
    assert report["figures"] == COUNTY_TEAM_DAY
    assert report["state"] == "draft" and report["day"] == scene.day.isoformat()
    found = Problem.objects.filter(team=scene.team, inspection__isnull=False)
    assert sorted(p["id"] for p in report["problems"]) == sorted(found.values_list("pk", flat=True))
    assert [p["id"] for p in report["turned_red"]] == [scene.problems["late"].pk]
    visits = [v["id"] for v in report["inspections"]]
    assert visits == [scene.inspections["morning"].pk, scene.inspections["afternoon"].pk]
    assert set(report["inspections"][1]["sites"]) == {"双桥区高速卡口", "双桥区农贸市场"}


def test_the_draft_text_names_the_visits_and_the_problems_but_counts_nothing(scene, api_as):
    report = _draft_team(api_as("county_team_member"), scene)
    lines = report["work"].splitlines()
    assert lines == [
        "10:00 明查：双桥区高速卡口",
        "15:00 暗访（四不两直）：双桥区农贸市场、双桥区高速卡口——不打招呼直奔现场",
    ]
    # Each case is named by its problem's title, which a failed question proposes.
    assert report["cases"].splitlines() == [
        "双桥区高速卡口：值守人员未在岗——值守人员离岗",
        "双桥区高速卡口：卡口未逐车登记（紧急）——夜间车辆未登记",
        "双桥区高速卡口：值守人员未在岗（共性问题）——各卡口普遍缺人",
        "双桥区高速卡口：扫码测温未落实（立行立改）——测温枪没电",
    ]
    assert report["difficulties"] == ""


def test_a_day_without_activity_counts_zero_and_another_team_counts_its_own(scene, api_as):
    member = api_as("county_team_member")
    quiet_day = (scene.day - timedelta(days=1)).isoformat()
    (quiet,) = member.post("/daily/draft", {"day": quiet_day, "team": scene.team.pk}).json()[
        "reports"
    ]
    report = member.get(f"/daily/reports/{quiet}").json()
    assert report["day"] == quiet_day
    assert set(report["figures"].values()) == {0} and report["work"] == ""
    sibling = api_as("sibling_team_member")
    response = sibling.post("/daily/draft", {"day": scene.day.isoformat()})
    (report_id,) = response.json()["reports"]
    figures = sibling.get(f"/daily/reports/{report_id}").json()["figures"]
    assert figures["inspections"] == 1 and figures["problems_found"] == 0
    assert figures["sites_visited"] == 1


def test_the_summary_rolls_up_its_teams_and_counts_the_jurisdiction(scene, api_as):
    office = api_as("county_office")
    response = office.post(
        "/daily/draft",
        {"day": scene.day.isoformat(), "office": scene.world.orgs["county_office"].pk},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    (summary_id,) = body["summaries"]
    # The county team worked; the province team covering the city did not: one report.
    assert len(body["reports"]) == 1
    summary = office.get(f"/daily/summaries/{summary_id}").json()
    assert summary["figures"] == COUNTY_TEAM_DAY
    region = summary["region"]
    # The county's teams: its own, and the province's team stationed in the city above it?
    # No: a team covering the city does not cover the county's subtree; one team here.
    assert region["teams"] == 1 and region["reports_submitted"] == 0
    # Found that day in the county: the team's four and the office's own one.
    assert region["found_in_region"] == 5
    assert region["closed_in_region"] == 1
    in_county = Problem.objects.filter(county=scene.world.orgs["county"])
    assert region["cumulative_found"] == in_county.count()
    assert region["cumulative_rectified"] == in_county.filter(state="closed").count()
    assert region["sentence"] == stats_sentence(
        as_of=scene.day, found=in_county.count(), rectified=in_county.filter(state="closed").count()
    )
    assert [team["name"] for team in summary["teams"]] == ["双桥区督查组"]
    assert summary["teams"][0]["report"] == DailyReport.objects.get().pk
    notable = {p["id"] for p in summary["notable"]}
    urgent = scene.problems["夜间车辆未登记"].pk
    common = scene.problems["各卡口普遍缺人"].pk
    assert notable == {urgent, common, scene.problems["revisited"].pk}
