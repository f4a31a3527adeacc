from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.fieldwork.models import Task
from tests.fieldwork.api.helpers import counts, inspection_body, task_body
from tests.fieldwork.domain.factory import item, screening, tomorrow

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_meeting_to_tomorrows_tasks_for_the_team_and_the_day_sheet(world, api_as):
    office = api_as("county_office")
    meeting = office.post(
        "/meetings",
        {"held_on": timezone.localdate().isoformat(), "title": "每日会商", "decisions": "明日督查"},
    )
    assert meeting.status_code == 201, meeting.content
    created = office.post("/tasks", task_body(world, meeting=meeting.json()["id"]))
    assert created.status_code == 201, created.content
    task = created.json()
    assert task["meeting"]["id"] == meeting.json()["id"]
    assert set(task["allowed_actions"]) == {"join_task", "cancel_task", "record_inspection"}
    member = api_as("county_team_member")
    day = tomorrow().isoformat()
    assert _ids(member.get("/tasks", {"mine": "true", "day": day})) == [task["id"]]
    assert _ids(member.get("/tasks", {"mine": "true", "day": timezone.localdate()})) == []
    assert _ids(office.get("/tasks", {"day": day})) == [task["id"]]
    assert office.get(f"/meetings/{meeting.json()['id']}").json()["tasks"] == [task["id"]]
    assert member.get(f"/tasks/{task['id']}").json()["allowed_actions"] == ["record_inspection"]


def test_a_task_for_a_site_out_of_scope_is_refused_naming_sites(world, api_as):
    before = counts()
    response = api_as("county_office").post("/tasks", task_body(world, site="sibling_market"))
    assert response.status_code == 422
    assert response.json()["field"] == "sites"
    assert counts() == before


def test_planning_needs_an_office_role(world, api_as):
    response = api_as("county_team_member").post("/tasks", task_body(world))
    assert response.status_code == 403
    assert not Task.objects.exists()


def test_overlap_is_409_with_the_other_visit_then_join_or_confirm(world, api_as):
    first = api_as("county_office").post("/tasks", task_body(world)).json()
    province = api_as("province_office")
    body = task_body(world, team="province_team", day=tomorrow() + timedelta(days=1))
    refused = province.post("/tasks", body)
    assert refused.status_code == 409
    assert refused.json()["field"] == "sites"
    [visit] = refused.json()["visits"]
    assert (visit["kind"], visit["id"], visit["office"]) == ("task", first["id"], "双桥区督查办")
    assert Task.objects.count() == 1
    warned = province.get(
        "/tasks/overlaps", {"site": world.sites["checkpoint"].pk, "day": tomorrow().isoformat()}
    )
    assert [v["id"] for v in warned.json()] == [first["id"]]
    joined = province.post(f"/tasks/{first['id']}/join", {"focus_areas": [screening().pk]})
    assert joined.status_code == 200, joined.content
    assert [p["name"] for p in joined.json()["participants"]] == ["河北省大督查办"]
    confirmed = province.post("/tasks", {**body, "confirm_overlap": True})
    assert confirmed.status_code == 201


def test_a_unit_joins_and_cannot_cancel(world, api_as):
    task = api_as("county_office").post("/tasks", task_body(world)).json()
    handler = api_as("county_handler")
    joined = handler.post(f"/tasks/{task['id']}/join", {"focus_areas": [screening().pk]})
    assert joined.status_code == 200
    assert joined.json()["participants"][0]["name"] == "双桥区卫健局"
    assert handler.post(f"/tasks/{task['id']}/cancel", {"reason": "x"}).status_code == 403
    assert (
        api_as("sibling_handler").post(f"/tasks/{task['id']}/cancel", {"reason": "x"}).status_code
        == 404
    )
    cancelled = api_as("county_office").post(f"/tasks/{task['id']}/cancel", {"reason": "下雨"})
    assert cancelled.json()["state"] == "cancelled"
    again = api_as("county_office").post(f"/tasks/{task['id']}/cancel", {"reason": "下雨"})
    assert again.status_code == 409


def test_a_planned_unannounced_visit_is_secret_until_it_happened(world, api_as):
    province = api_as("province_office")
    created = province.post("/tasks", task_body(world, team="province_team", method="unannounced"))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    day = {"day": tomorrow().isoformat()}
    insiders = ("province_office", "province_team_member")
    outsiders = ("county_office", "county_handler", "city_office", "county_leader", "town_office")
    for key in insiders:
        client = api_as(key)
        assert client.get(f"/tasks/{pk}").status_code == 200, key
        assert pk in _ids(client.get("/tasks", day)), key
    for key in outsiders:
        client = api_as(key)
        assert client.get(f"/tasks/{pk}").status_code == 404, key
        assert pk not in _ids(client.get("/tasks", day)), key
        assert (
            client.post(f"/tasks/{pk}/join", {"focus_areas": [screening().pk]}).status_code == 404
        )
    # Nor does an overlap warning give it away to the inspected county.
    overlaps = api_as("county_office").get(
        "/tasks/overlaps", {"site": world.sites["checkpoint"].pk, "day": day["day"]}
    )
    assert overlaps.json() == []
    question = item(world)
    recorded = api_as("province_team_member").post(
        "/inspections", inspection_body([{"item": question.pk, "result": "pass"}], task=pk)
    )
    assert recorded.status_code == 201, recorded.content
    for key in ("county_office", "city_office"):
        assert api_as(key).get(f"/tasks/{pk}").status_code == 200, key
        assert pk in _ids(api_as(key).get("/tasks", day)), key


def test_burden_counts_visits_per_week_by_whom(world, api_as):
    api_as("county_office").post("/tasks", task_body(world, day=timezone.localdate()))
    api_as("county_team_member").post(
        "/inspections",
        inspection_body(
            [],
            team=world.teams["county_team"].pk,
            method="open",
            sites=[world.sites["checkpoint"].pk],
            # Now, not an hour ago: just after midnight on a Monday that is last week.
            visited_at=timezone.now().isoformat(),
        ),
    )
    response = api_as("county_office").get(
        f"/sites/{world.sites['checkpoint'].pk}/burden", {"weeks": 2}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body["weeks"]) == 2
    this_week = body["weeks"][-1]
    assert this_week["count"] == 2
    assert {v["kind"] for v in this_week["visits"]} == {"task", "inspection"}
    assert {v["team"] for v in this_week["visits"]} == {"双桥区督查组"}
    assert body["total"] == 2
    sibling = world.sites["sibling_market"].pk
    assert api_as("county_office").get(f"/sites/{sibling}/burden").status_code == 404


def test_field_endpoints_need_a_caller_and_accept_tokens(world, anonymous, token_as):
    for path in ("/tasks", "/meetings", "/inspections", "/revisits", "/checklist-items"):
        assert anonymous.get(path).status_code == 401, path
    created = token_as("county_office").post("/tasks", task_body(world))
    assert created.status_code == 201, created.content
    assert _ids(token_as("county_team_member").get("/tasks", {"mine": "true"})) == [
        created.json()["id"]
    ]
