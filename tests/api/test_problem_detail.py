"""GET /problems/{id}: the problem, its timeline, and what the caller may do now."""

import pytest

from ducha.problems import actions
from ducha.problems.models import ProblemEvent

pytestmark = pytest.mark.django_db

EVENT_KEYS = {
    "id", "action", "label", "actor", "created_at", "from_state", "to_state", "comment",
    "payload",
}  # fmt: skip


def test_detail_has_timeline_and_allowed_actions(world, api_as):
    problem = world.assigned()
    actions.do_urge(problem, acting_user=world.users["county_leader"], comment="限期办结")
    response = api_as("county_office").get(f"/problems/{problem.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == problem.pk
    assert data["found_by"] == "区督查办干部"
    assert data["description"] == ""
    assert data["reported_to"] is None and data["rule"] == ""
    events = data["events"]
    assert [e["action"] for e in events] == ["create", "assign", "urge"]
    assert all(set(e) == EVENT_KEYS for e in events)
    assign = events[1]
    assert (assign["from_state"], assign["to_state"]) == ("new", "assigned")
    assert assign["payload"]["responsible_org"] == world.orgs["county_dept"].pk
    assert assign["actor"] == "区督查办干部"
    assert events[2]["comment"] == "限期办结" and events[2]["actor"] == "区领导"
    assert events[2]["label"]
    assert set(data["allowed_actions"]) == {"report_up", "urge", "institutionalize"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "county_handler",
            {
                "submit_rectification",
                "dispute",
                "institutionalize",
                "sign",
                "request_extension",
            },
        ),
        ("county_leader", {"instruct", "urge"}),
        ("county_team_member", {"report_up", "urge"}),
        ("county_discipline", set()),
        ("city_office", {"report_up", "urge", "institutionalize"}),
    ],
)
def test_allowed_actions_depend_on_the_callers_roles(world, api_as, persona, expected):
    problem = world.assigned()
    data = api_as(persona).get(f"/problems/{problem.pk}").json()
    assert set(data["allowed_actions"]) == expected


@pytest.mark.parametrize(
    "persona", ["sibling_office", "other_office", "outsider", "market_handler"]
)
def test_out_of_scope_is_404_like_missing(world, api_as, persona):
    problem = world.assigned()
    api = api_as(persona)
    out_of_scope = api.get(f"/problems/{problem.pk}")
    missing = api.get("/problems/999999")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()


def test_detail_costs_a_fixed_number_of_queries(world, api_as, django_assert_max_num_queries):
    problem = world.assigned(site=world.sites["checkpoint"], team=world.teams["county_team"])
    api = api_as("county_office")
    api.get(f"/problems/{problem.pk}")
    for _ in range(20):
        actions.do_urge(problem, acting_user=world.users["county_office"])
    assert ProblemEvent.objects.filter(problem=problem).count() == 22
    with django_assert_max_num_queries(8):
        assert len(api.get(f"/problems/{problem.pk}").json()["events"]) == 22


def test_focus_areas_lists_active_ones(world, api_as):
    from ducha.problems.models import FocusArea

    retired = FocusArea.objects.first()
    retired.active = False
    retired.save()
    data = api_as("town_office").get("/focus-areas").json()
    codes = {item["code"] for item in data}
    assert codes == set(FocusArea.objects.filter(active=True).values_list("code", flat=True))
    assert retired.code not in codes
    assert set(data[0]) == {
        "id", "code", "name", "description", "deadline_hours", "urgent_deadline_hours"
    }  # fmt: skip
