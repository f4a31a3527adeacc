from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.fieldwork.models import ChecklistItem, Meeting, Revisit
from ducha.problems.models import Problem
from tests.fieldwork.domain.factory import item, screening

pytestmark = pytest.mark.django_db


def test_checklist_add_revise_retire_keeps_versions(world, api_as):
    office = api_as("county_office")
    created = office.post("/checklist-items", {"focus_area": screening().pk, "text": "是否登记"})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["office"]["name"] == "双桥区督查办"
    revised = office.post(f"/checklist-items/{pk}/revise", {"text": "是否逐车登记"})
    assert revised.status_code == 201
    assert revised.json()["replaces"] == pk
    old = office.get(f"/checklist-items/{pk}").json()
    assert (old["active"], old["replaced_by"]) == (False, revised.json()["id"])
    assert office.post(f"/checklist-items/{pk}/revise", {"text": "x"}).status_code == 409
    listed = office.get("/checklist-items").json()
    assert [row["id"] for row in listed["items"]] == [revised.json()["id"]]
    assert office.get("/checklist-items", {"include_inactive": "true"}).json()["count"] == 2
    retired = office.post(f"/checklist-items/{revised.json()['id']}/retire")
    assert retired.json()["active"] is False


def test_checklists_are_changed_only_by_their_office_or_above(world, api_as):
    county = item(world, "区问题")
    city = item(world, "市问题", office="city_office")
    county_office = api_as("county_office")
    assert county_office.post(f"/checklist-items/{city.pk}/retire").status_code == 403
    assert api_as("sibling_office").post(f"/checklist-items/{county.pk}/retire").status_code == 404
    assert (
        api_as("county_team_member").post(f"/checklist-items/{county.pk}/retire").status_code == 403
    )
    assert api_as("city_office").post(f"/checklist-items/{county.pk}/retire").status_code == 200
    assert ChecklistItem.objects.filter(active=True).count() == 1
    refused = api_as("county_team_member").post(
        "/checklist-items", {"focus_area": screening().pk, "text": "x"}
    )
    assert refused.status_code == 403


def test_meetings_are_scoped_and_not_dated_ahead(world, api_as):
    office = api_as("county_office")
    ahead = office.post(
        "/meetings",
        {"held_on": (timezone.localdate() + timedelta(days=1)).isoformat(), "title": "会商"},
    )
    assert ahead.status_code == 422 and ahead.json()["field"] == "held_on"
    made = office.post("/meetings", {"held_on": timezone.localdate().isoformat(), "title": "会商"})
    pk = made.json()["id"]
    assert api_as("city_office").get(f"/meetings/{pk}").status_code == 200
    assert api_as("sibling_office").get(f"/meetings/{pk}").status_code == 404
    assert api_as("sibling_office").get("/meetings").json()["count"] == 0
    assert Meeting.objects.count() == 1


def _closed_through_the_api(world, api_as) -> int:
    problem = world.assigned()
    handler, office = api_as("county_handler"), api_as("county_office")
    handler.post(f"/problems/{problem.pk}/actions/submit_rectification", {"text": "已整改"})
    closed = office.post(f"/problems/{problem.pk}/actions/verify_accept", {})
    assert closed.json()["state"] == "closed"
    return problem.pk


def test_revisits_scheduled_sampled_and_a_failed_one_reopens(world, api_as, settings):
    settings.DUCHA_REVISIT_AFTER_DAYS = 9
    pk = _closed_through_the_api(world, api_as)
    office = api_as("county_office")
    [scheduled] = office.get("/revisits").json()["items"]
    assert scheduled["due_on"] == (timezone.localdate() + timedelta(days=9)).isoformat()
    verify_event = office.get(f"/problems/{pk}").json()["events"][-1]
    assert verify_event["payload"]["revisit_due_on"] == scheduled["due_on"]
    assert api_as("county_team_member").post("/revisits/sample", {"size": 5}).status_code == 403
    drawn = office.post("/revisits/sample", {"size": 5})
    assert drawn.status_code == 201
    [sampled] = drawn.json()
    assert sampled["sampled"] and sampled["problem"]["id"] == pk
    no_note = api_as("county_team_member").post(
        f"/revisits/{sampled['id']}/result", {"passed": False}
    )
    assert no_note.status_code == 422 and no_note.json()["field"] == "note"
    failed = api_as("county_team_member").post(
        f"/revisits/{sampled['id']}/result", {"passed": False, "note": "又有车辆未登记"}
    )
    assert failed.status_code == 200 and failed.json()["state"] == "failed"
    problem = Problem.objects.get(pk=pk)
    assert (problem.state, problem.recurring) == ("assigned", True)
    assert Revisit.objects.get(pk=scheduled["id"]).state == "cancelled"
    assert api_as("sibling_office").get(f"/revisits/{scheduled['id']}").status_code == 404
    assert (
        api_as("county_leader")
        .post(f"/revisits/{scheduled['id']}/result", {"passed": True})
        .status_code
        == 403
    )
