from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.fieldwork.models import Answer, Inspection
from ducha.problems.models import Problem
from tests.fieldwork.api.helpers import counts, inspection_body, task_body
from tests.fieldwork.domain.factory import item

pytestmark = pytest.mark.django_db


def _planned(world, api_as) -> int:
    return api_as("county_office").post("/tasks", task_body(world)).json()["id"]


def test_failed_item_becomes_a_problem_fixed_on_the_spot_closes(world, api_as):
    registering, thermometer, masks = (
        item(world, "卡口是否逐车登记"),
        item(world, "测温"),
        item(world, "口罩"),
    )
    task = _planned(world, api_as)
    member = api_as("county_team_member")
    body = inspection_body(
        [
            {"item": registering.pk, "result": "fail", "note": "三辆货车未登记"},
            {
                "item": thermometer.pk,
                "result": "fail",
                "note": "测温枪没电",
                "fixed_on_spot": True,
                "evidence_text": "当场更换电池",
            },
            {"item": masks.pk, "result": "pass"},
        ],
        task=task,
        members_present=[world.users["county_team_member"].pk],
    )
    response = member.post("/inspections", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["method"] == "open" and data["task"] == task
    assert [s["name"] for s in data["sites"]] == ["双桥区高速卡口"]
    assert len(data["problems"]) == 2
    open_one = Problem.objects.get(answer__item=registering)
    fixed = Problem.objects.get(answer__item=thermometer)
    assert open_one.inspection_id == data["id"] and fixed.inspection_id == data["id"]
    assert (open_one.state, fixed.state, fixed.on_the_spot) == ("new", "closed", True)
    problem = member.get(f"/problems/{open_one.pk}").json()
    assert problem["title"] == "卡口未逐车登记"
    assert member.get(f"/tasks/{task}").json()["state"] == "done"
    assert member.get(f"/inspections/{data['id']}").json()["answers"][0]["problem"] == open_one.pk


def test_a_retry_with_the_same_key_returns_the_first_result(world, api_as):
    question = item(world)
    member = api_as("county_team_member")
    body = inspection_body(
        [{"item": question.pk, "result": "fail", "note": "未登记"}], task=_planned(world, api_as)
    )
    first = member.post("/inspections", body)
    assert first.status_code == 201
    before = counts()
    again = member.post("/inspections", body)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert counts() == before
    stolen = api_as("county_office").post("/inspections", body)
    assert stolen.status_code == 409
    assert stolen.json()["field"] == "client_key"
    assert "id" not in stolen.json()
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"visited_at": (timezone.now() + timedelta(days=1)).isoformat()}, "visited_at"),
        ({"answers": [{"item": 999999, "result": "fail"}]}, "answers"),
        ({"answers": [{"item": "SIBLING", "result": "pass"}]}, "answers"),
        ({"sites": ["SIBLING_SITE"]}, "sites"),
        ({"answers": [{"item": "GOOD", "result": "maybe"}]}, "answers.result"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, api_as, change, field):
    good = item(world)
    sibling = item(world, "双滦区问题", office="sibling_office")
    task = _planned(world, api_as)
    for answer in change.get("answers", []):
        answer["item"] = {"SIBLING": sibling.pk, "GOOD": good.pk}.get(
            answer["item"], answer["item"]
        )
    if "sites" in change:
        change["sites"] = [world.sites["sibling_market"].pk]
    body = inspection_body([{"item": good.pk, "result": "fail", "note": "x"}], task=task)
    body.update(change)
    before = counts()
    response = api_as("county_team_member").post("/inspections", body)
    assert response.status_code == 422, response.content
    detail = response.json()
    fields = (
        {e["field"] for e in detail["detail"]}
        if isinstance(detail["detail"], list)
        else {detail["field"]}
    )
    assert fields == {field}
    assert counts() == before


def test_only_the_tasks_team_or_the_office_may_record(world, api_as):
    question = item(world)
    task = _planned(world, api_as)
    body = inspection_body([{"item": question.pk, "result": "pass"}], task=task)
    assert api_as("county_handler").post("/inspections", body).status_code == 403
    assert api_as("sibling_team_member").post("/inspections", body).status_code == 404
    assert api_as("county_leader").post("/inspections", body).status_code == 403
    assert not Inspection.objects.exists()
    assert api_as("county_office").post("/inspections", body).status_code == 201


def test_inspection_without_task_needs_own_team(world, api_as):
    question = item(world)
    body = inspection_body(
        [{"item": question.pk, "result": "pass"}],
        team=world.teams["county_team"].pk,
        method="unannounced",
        sites=[world.sites["checkpoint"].pk],
    )
    assert api_as("province_team_member").post("/inspections", body).status_code == 422
    assert api_as("county_team_member").post("/inspections", body).status_code == 201
    listed = api_as("city_office").get("/inspections").json()
    assert listed["count"] == 1
    assert api_as("sibling_office").get("/inspections").json()["count"] == 0
    assert Answer.objects.count() == 1
