"""Referrals over /api/v1/: the same rules and refusals as the pages, nothing half-saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.referrals.models import Referral, ReferralEvent
from tests.api.conftest import field_errors
from tests.referrals.conftest import evidence_of, refer

pytestmark = pytest.mark.usefixtures("bodies")


def _body(world, problem, to="county_discipline", **extra):
    return {
        "problem": problem.pk,
        "receiver": world.orgs[to].pk,
        "facts": "隔离点夜间无人值守，测温记录为同一笔迹。",
        **extra,
    }


def test_refer_decide_conclude_over_the_api(world, api_as):
    problem = world.problem()
    photo = evidence_of(world, problem)
    office = api_as("county_office")
    response = office.post("/referrals", _body(world, problem, evidence=[photo.pk]))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "referred"
    assert created["evidence"] == [{"id": photo.pk, "name": photo.original_name}]
    assert created["allowed_actions"] == []
    discipline = api_as("county_discipline")
    detail = discipline.get(f"/referrals/{created['id']}").json()
    assert detail["allowed_actions"] == ["accept", "decline"]
    accepted = discipline.post(
        f"/referrals/{created['id']}/actions/accept",
        {"comment": "予以受理"},
        headers={"If-Match": detail["etag"]},
    )
    assert accepted.status_code == 200, accepted.content
    today = timezone.localdate().isoformat()
    concluded = discipline.post(
        f"/referrals/{created['id']}/actions/conclude",
        {"outcome": "对相关责任人立案审查", "outcome_on": today},
    )
    assert concluded.status_code == 200, concluded.content
    body = concluded.json()
    assert (body["state"], body["outcome_on"]) == ("concluded", today)
    assert [e["action"] for e in body["events"]] == ["refer", "accept", "conclude"]
    listed = office.get("/referrals", {"state": "concluded"}).json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert office.get("/referrals", {"state": "referred"}).json()["count"] == 0


def _nothing_saved():
    return not Referral.objects.exists() and not ReferralEvent.objects.exists()


def test_refer_refusals_name_the_field(world, api_as):
    problem = world.problem()
    neighbour = world.problem(by="sibling_office", region="sibling")
    foreign_photo = evidence_of(world, world.problem())
    office = api_as("county_office")
    cases = [
        (_body(world, problem, to="county_dept"), "receiver"),
        (_body(world, problem, to="sibling_discipline"), "receiver"),
        (_body(world, problem, to="town_police"), "receiver"),
        (_body(world, neighbour), "problem"),
        (_body(world, problem, facts=" "), "facts"),
        (_body(world, problem, facts="线" * 4001), "facts"),
        (_body(world, problem, evidence=[foreign_photo.pk]), "evidence"),
        ({**_body(world, problem), "problem": None}, "problem"),
    ]
    for body, field in cases:
        response = office.post("/referrals", body)
        assert response.status_code == 422, (field, response.content)
        assert field in field_errors(response), (field, response.json())
        assert _nothing_saved(), field


def test_only_an_office_refers(world, api_as):
    problem = world.problem()
    for persona in ("county_leader", "county_discipline", "county_team_member"):
        response = api_as(persona).post("/referrals", _body(world, problem))
        assert response.status_code == 403, persona
    assert api_as("county_handler").post("/referrals", _body(world, problem)).status_code == 422
    assert _nothing_saved()


def test_decision_refusals(world, api_as):
    referral = refer(world)
    discipline = api_as("county_discipline")
    path = f"/referrals/{referral.pk}/actions"
    response = discipline.post(f"{path}/decline", {"reasons": ""})
    assert (response.status_code, field_errors(response)) == (422, {"reasons"})
    stale = discipline.post(f"{path}/accept", {}, headers={"If-Match": f'"{referral.pk}-7"'})
    assert stale.status_code == 412
    assert (
        discipline.post(
            f"{path}/conclude", {"outcome": "x", "outcome_on": "2026-01-01"}
        ).status_code
        == 409
    )
    assert api_as("county_police").post(f"{path}/accept", {}).status_code == 404
    assert api_as("county_office").post(f"{path}/accept", {}).status_code == 403
    referral.refresh_from_db()
    assert (referral.state, referral.version, referral.events.count()) == ("referred", 0, 1)
    assert discipline.post(f"{path}/accept", {}).status_code == 200
    before = (timezone.localdate() - timedelta(days=1)).isoformat()
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    for day in (before, future):
        response = discipline.post(f"{path}/conclude", {"outcome": "已办结", "outcome_on": day})
        assert (response.status_code, field_errors(response)) == (422, {"outcome_on"}), day
    response = discipline.post(f"{path}/conclude", {"outcome": "", "outcome_on": future})
    assert response.status_code == 422
    referral.refresh_from_db()
    assert (referral.state, referral.outcome, referral.events.count()) == ("accepted", "", 2)


def test_lists_follow_the_scope(world, api_as):
    to_police = refer(world, to="county_police")
    refer(world)
    assert api_as("county_police").get("/referrals").json()["count"] == 1
    assert api_as("county_handler").get("/referrals").json()["count"] == 0
    assert api_as("county_handler").get(f"/referrals/{to_police.pk}").status_code == 404
    assert api_as("county_office").get("/referrals").json()["count"] == 2
    by_receiver = api_as("county_office").get(
        "/referrals", {"receiver": world.orgs["county_police"].pk}
    )
    assert [item["id"] for item in by_receiver.json()["items"]] == [to_police.pk]
