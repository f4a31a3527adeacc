"""ETags on a problem and If-Match on its actions: an action on a stale read changes nothing."""

import pytest

from ducha.problems.models import Problem, ProblemEvent
from ducha.problems.rollups.writes import stored
from tests.api.conftest import snapshot

pytestmark = pytest.mark.django_db


def etag_of(api, problem) -> str:
    response = api.get(f"/problems/{problem.pk}")
    assert response.status_code == 200, response.content
    return response["ETag"]


def act(api, problem, action: str, if_match: str | None = None, **data):
    headers = {} if if_match is None else {"If-Match": if_match}
    return api.post(f"/problems/{problem.pk}/actions/{action}", data, headers=headers)


def test_the_etag_is_strong_and_moves_on_with_every_action(world, api_as):
    office, handler = api_as("county_office"), api_as("county_handler")
    created = office.post(
        "/problems",
        {
            "title": "卡口未登记过往车辆",
            "region": world.orgs["county"].pk,
            "focus_area": world.problem().focus_area_id,
            "nature": "common",
        },
    )
    assert created.status_code == 201, created.content
    problem = Problem.objects.get(pk=created.json()["id"])
    seen = [created["ETag"]]
    steps = [
        (office, "assign", {"responsible_org": world.orgs["county_dept"].pk}),
        (office, "urge", {}),
        (api_as("county_leader"), "instruct", {"text": "限期整改"}),
        (handler, "submit_rectification", {"text": "已整改"}),
        (handler, "institutionalize", {"rule": "建立卡口登记制度"}),
        (office, "verify_accept", {}),
    ]
    for api, action, data in steps:
        # Each action holds to the tag its caller last saw, and answers with the next one.
        response = act(api, problem, action, if_match=seen[-1], **data)
        assert response.status_code == 200, (action, response.content)
        assert response["ETag"] == etag_of(api, problem)
        seen.append(response["ETag"])
    assert all(tag.startswith('"') and tag.endswith('"') for tag in seen)  # strong, not W/
    assert len(set(seen)) == len(steps) + 1
    assert Problem.objects.get(pk=problem.pk).state == "closed"


def test_every_reader_sees_the_same_tag(world, api_as, token_as):
    problem = world.assigned()
    tags = {
        etag_of(api_as("county_office"), problem),
        etag_of(api_as("county_handler"), problem),
        etag_of(token_as("city_office"), problem),
    }
    assert len(tags) == 1


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("assign", {"responsible_org": "county_market_dept"}),
        ("report_up", {"to_org": "city_office", "comment": "呈报"}),
        ("institutionalize", {"rule": "建立登记制度"}),
        ("close_on_spot", {"evidence": "当场整改"}),
    ],
)
def test_a_stale_if_match_is_refused_with_412_and_changes_nothing(world, api_as, action, data):
    problem = world.problem()
    office = api_as("county_office")
    stale = etag_of(office, problem)
    # Somebody else acts in between.
    assert act(api_as("county_leader"), problem, "instruct", text="尽快交办").status_code == 200
    data = {
        k: world.orgs[v].pk if k in ("responsible_org", "to_org") else v for k, v in data.items()
    }
    before, tables = snapshot(problem), stored()
    response = act(office, problem, action, if_match=stale, **data)
    assert response.status_code == 412, response.content
    body = response.json()
    assert set(body) == {"detail"} and body["detail"]
    assert snapshot(problem) == before
    assert stored() == tables
    # The same action on the current tag goes through.
    assert (
        act(office, problem, action, if_match=etag_of(office, problem), **data).status_code == 200
    )


@pytest.mark.parametrize(
    "header",
    [
        "*",
        "{current}",
        '"0-0", {current}',
    ],
)
def test_if_match_naming_the_current_version_or_any_lets_the_action_through(world, api_as, header):
    problem = world.assigned()
    office = api_as("county_office")
    header = header.format(current=etag_of(office, problem))
    assert act(office, problem, "urge", if_match=header).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "W/{current}",  # a weak tag never matches strongly
        "{current_bare}",  # unquoted
        '"{other}-1"',  # another problem's first version
        "",
        "garbage",
    ],
)
def test_if_match_not_naming_the_current_version_is_refused(world, api_as, header):
    problem, other = world.assigned(), world.problem()
    office = api_as("county_office")
    current = etag_of(office, problem)
    header = header.format(current=current, current_bare=current.strip('"'), other=other.pk)
    before = snapshot(problem)
    assert act(office, problem, "urge", if_match=header).status_code == 412
    assert snapshot(problem) == before


def test_an_overlong_if_match_is_refused_as_input(world, api_as):
    problem = world.assigned()
    response = act(api_as("county_office"), problem, "urge", if_match='"1-1", ' * 300)
    assert response.status_code == 422
    assert ProblemEvent.objects.filter(problem=problem).count() == 2


def test_without_if_match_actions_proceed_as_before(world, api_as):
    problem = world.assigned()
    office = api_as("county_office")
    assert act(office, problem, "urge").status_code == 200
    assert act(office, problem, "urge").status_code == 200
    assert ProblemEvent.objects.filter(problem=problem, action="urge").count() == 2


def test_a_recorded_rule_is_not_replaced_without_the_version_that_shows_it(world, api_as):
    problem = world.problem(nature="common")
    command, office = api_as("city_command"), api_as("county_office")
    assert act(command, problem, "institutionalize", rule="统一管控措施").status_code == 200
    before = snapshot(problem)
    refused = act(office, problem, "institutionalize", rule="另一项制度")
    assert refused.status_code == 409, refused.content
    assert refused.json()["detail"]
    assert snapshot(problem) == before
    assert Problem.objects.get(pk=problem.pk).rule == "统一管控措施"
    # Having read the problem with its rule, the office may replace it knowingly.
    replaced = act(
        office, problem, "institutionalize", if_match=etag_of(office, problem), rule="完善后的制度"
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["rule"] == "完善后的制度"
    assert ProblemEvent.objects.filter(problem=problem, action="institutionalize").count() == 2


def test_the_schema_documents_if_match_and_412(anonymous):
    schema = anonymous.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        if "/actions/" not in path:
            continue
        operation = operations["post"]
        assert "412" in operation["responses"], path
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert headers == ["If-Match"], path
    create = schema["paths"]["/api/v1/problems"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][body.rsplit("/", 1)[1]]["properties"]
    assert "client_key" in fields
    assert {"200", "201"} <= set(create["responses"])
