"""POST /problems: who may record where, and bad input that leaves nothing behind."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from ducha.orgs.models import Site
from ducha.problems.models import FocusArea, Problem, ProblemEvent
from tests.api.conftest import field_errors

pytestmark = pytest.mark.django_db


def body(world, **overrides):
    data = {
        "title": "隔离点未落实闭环管理",
        "description": "外来人员未登记即进入",
        "region": world.orgs["county"].pk,
        "focus_area": FocusArea.objects.get(code="screening").pk,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_office_records_a_problem(world, api_as):
    response = api_as("county_office").post(
        "/problems",
        body(world, site=world.sites["checkpoint"].pk, urgency="urgent", nature="common"),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    problem = Problem.objects.get(pk=data["id"])
    assert problem.state == "new" and data["state"] == "new"
    assert problem.found_by == world.users["county_office"]
    assert (problem.urgency, problem.nature) == ("urgent", "common")
    assert data["site"]["id"] == world.sites["checkpoint"].pk
    assert [e["action"] for e in data["events"]] == ["create"]
    assert "assign" in data["allowed_actions"]
    # Urgent: 24 hours from discovery.
    assert problem.deadline - problem.found_at == timedelta(hours=24)


def test_team_member_records_with_their_team(world, api_as):
    team = world.teams["county_team"].pk
    response = api_as("county_team_member").post("/problems", body(world, team=team))
    assert response.status_code == 201, response.content
    assert response.json()["team"]["id"] == team


def test_higher_office_records_in_a_lower_region(world, api_as):
    response = api_as("city_office").post("/problems", body(world, region=world.orgs["town"].pk))
    assert response.status_code == 201


def test_found_at_with_its_offset_is_kept(world, api_as):
    aware = "2020-01-01T00:00:00+00:00"
    response = api_as("county_office").post("/problems", body(world, found_at=aware))
    assert Problem.objects.get(pk=response.json()["id"]).found_at == datetime(
        2020, 1, 1, tzinfo=UTC
    )


@pytest.mark.parametrize("persona", ["county_handler", "county_leader", "county_discipline"])
def test_roles_that_may_not_record_get_403(world, api_as, persona):
    response = api_as(persona).post("/problems", body(world))
    assert response.status_code == 403
    assert not Problem.objects.exists()


def test_leader_of_a_region_who_records_elsewhere_is_refused_the_region(world, api_as):
    # Office staff in the town, leader in the county: may record in the town only. The
    # county is visible but not among the regions offered, as on the page: 422 naming it.
    from ducha.accounts.models import Membership

    Membership.objects.create(
        user=world.users["town_office"], org=world.orgs["county_office"], role="leader"
    )
    api = api_as("town_office")
    refused = api.post("/problems", body(world))
    assert refused.status_code == 422
    assert refused.json()["field"] == "region"
    assert not Problem.objects.exists()
    assert api.post("/problems", body(world, region=world.orgs["town"].pk)).status_code == 201


def test_outsider_cannot_record(world, api_as):
    assert api_as("outsider").post("/problems", body(world)).status_code == 403


def _foreign_site(world):
    return Site.objects.create(name="双桥区农贸市场", kind="market", region=world.orgs["county"])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (lambda w: {"region": w.orgs["sibling"].pk}, "region"),
        (lambda w: {"region": w.orgs["other_province"].pk}, "region"),
        (lambda w: {"region": w.orgs["county_dept"].pk}, "region"),
        (lambda w: {"region": 999999}, "region"),
        (lambda w: {"region": "双桥区"}, "region"),
        (lambda w: {"region": None}, "region"),
        (lambda w: {"site": w.sites["sibling_market"].pk}, "site"),
        (lambda w: {"site": 999999}, "site"),
        (lambda w: {"region": w.orgs["town"].pk, "site": _foreign_site(w).pk}, "site"),
        (lambda w: {"team": w.teams["sibling_team"].pk}, "team"),
        (lambda w: {"focus_area": 999999}, "focus_area"),
        (lambda w: {"focus_area": None}, "focus_area"),
        (lambda w: {"title": None}, "title"),
        (lambda w: {"title": "   "}, "title"),
        (lambda w: {"title": "长" * 201}, "title"),
        (lambda w: {"title": ["a"]}, "title"),
        (lambda w: {"urgency": "asap"}, "urgency"),
        (lambda w: {"nature": "general"}, "nature"),
        (lambda w: {"found_at": "yesterday"}, "found_at"),
        (lambda w: {"found_at": (timezone.now() + timedelta(days=1)).isoformat()}, "found_at"),
        (lambda w: {"state": "closed"}, "state"),
        (lambda w: {"deadline": "2030-01-01T00:00:00"}, "deadline"),
        (lambda w: {"found_at": "2026-01-01T08:00:00"}, "found_at"),
        (lambda w: {"found_at": "0001-01-01T00:00:00+00:00"}, "found_at"),
        (lambda w: {"found_at": "1999-12-31T23:59:59+00:00"}, "found_at"),
        (lambda w: {"focus_area": True}, "focus_area"),
        (lambda w: {"region": False}, "region"),
        (lambda w: {"site": 2**63}, "site"),
        (lambda w: {"description": "x" * 10_000_000}, "description"),
        (lambda w: {"description": "a\x00b"}, "description"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_saves_nothing(world, api_as, overrides, field):
    response = api_as("county_office").post("/problems", body(world, **overrides(world)))
    assert response.status_code == 422, response.content
    assert field_errors(response) == {field}
    assert not Problem.objects.exists()
    assert not ProblemEvent.objects.exists()


def test_inactive_focus_area_is_refused(world, api_as):
    area = FocusArea.objects.get(code="screening")
    area.active = False
    area.save()
    response = api_as("county_office").post("/problems", body(world, focus_area=area.pk))
    assert response.status_code == 422
    assert field_errors(response) == {"focus_area"}


@pytest.mark.parametrize("raw", ["{", "not json", '{"title": '])
def test_malformed_json_is_400(world, api_as, raw):
    response = api_as("county_office").post("/problems", raw=raw)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Problem.objects.exists()


@pytest.mark.parametrize("raw", ["[]", "[1, 2]", '"text"', "42", "null"])
def test_json_that_is_not_an_object_is_4xx(world, api_as, raw):
    response = api_as("county_office").post("/problems", raw=raw)
    assert response.status_code in {400, 422}
    assert response.json()["detail"]
    assert not Problem.objects.exists()
