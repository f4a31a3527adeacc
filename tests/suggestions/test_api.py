"""Suggestions over /api/v1/: the same rules and refusals as the pages."""

from __future__ import annotations

from ducha.suggestions.models import Suggestion, SuggestionEvent, SuggestionRule
from tests.api.conftest import field_errors
from tests.suggestions.conftest import common_problem_with_rule


def _body(world, **extra):
    body = {
        "office": world.orgs["county_office"].pk,
        "receiver": world.orgs["county_dept"].pk,
        "title": "建议统一核酸采样点排队标识",
        "text": "多个采样点一米线标识缺失，建议统一制作并定期检查。",
    }
    body.update(extra)
    return body


def test_make_respond_and_read(world, api_as):
    problem = world.assigned()
    county = api_as("county_office")
    response = county.post("/suggestions", _body(world, problems=[problem.pk]))
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["state"] == "made"
    assert [p["id"] for p in made["problems"]] == [problem.pk]
    assert made["allowed_actions"] == []
    handler = api_as("county_handler")
    seen = handler.get(f"/suggestions/{made['id']}").json()
    assert seen["allowed_actions"] == ["respond"]
    answered = handler.post(
        f"/suggestions/{made['id']}/actions/respond",
        {"state": "partly_adopted", "response": "先在两个采样点试行"},
        headers={"If-Match": seen["etag"]},
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["state"] == "partly_adopted"
    assert [e["action"] for e in answered.json()["events"]] == ["suggest", "respond"]
    listed = api_as("city_office").get("/suggestions").json()
    assert listed["count"] == 1
    assert listed["figures"]["rate_of_answered"] == "100.00"
    assert listed["figures"]["rate_of_all"] == "100.00"
    assert api_as("sibling_office").get("/suggestions").json()["count"] == 0
    assert api_as("sibling_office").get(f"/suggestions/{made['id']}").status_code == 404


def test_refusals_name_the_field_and_save_nothing(world, api_as):
    hidden = world.problem(by="sibling_office", region="sibling")
    county = api_as("county_office")
    cases = [
        (_body(world, receiver=world.orgs["sibling_dept"].pk), "receiver"),
        (_body(world, receiver=world.orgs["county_office"].pk), "receiver"),
        (_body(world, problems=[hidden.pk]), "problems"),
        (_body(world, problems=list(range(1, 30))), "problems"),
        (_body(world, office=world.orgs["city_office"].pk), "office"),
        (_body(world, team=world.teams["county_team"].pk), "team"),
        (_body(world, title="a\nb"), "title"),
        (_body(world, text=""), "text"),
    ]
    for body, field in cases:
        response = county.post("/suggestions", body)
        assert response.status_code in (400, 422), (field, response.content)
        assert field in field_errors(response), (field, response.content)
    both = _body(world, team=world.teams["county_team"].pk)
    assert api_as("county_team_member").post("/suggestions", both).status_code in (400, 422)
    assert api_as("county_handler").post("/suggestions", _body(world)).status_code == 403
    assert not Suggestion.objects.exists()
    assert not SuggestionEvent.objects.exists()


def test_respond_refusals(world, api_as):
    made = api_as("county_office").post("/suggestions", _body(world)).json()
    url = f"/suggestions/{made['id']}/actions/respond"
    assert api_as("county_office").post(url, {"state": "adopted"}).status_code == 403
    assert api_as("market_handler").post(url, {"state": "adopted"}).status_code == 404
    handler = api_as("county_handler")
    declined = handler.post(url, {"state": "declined"})
    assert declined.status_code == 422 and field_errors(declined) == {"response"}
    stale = handler.post(url, {"state": "adopted"}, headers={"If-Match": '"1-99"'})
    assert stale.status_code == 412
    assert handler.post(url, {"state": "made"}).status_code == 422
    assert handler.post(url, {"state": "adopted"}).status_code == 200
    assert handler.post(url, {"state": "adopted"}).status_code == 409
    assert SuggestionEvent.objects.count() == 2


def test_cite_in_a_lasting_rule(world, api_as):
    problem = common_problem_with_rule(world)
    made = api_as("county_office").post("/suggestions", _body(world)).json()
    url = f"/suggestions/{made['id']}/rules"
    early = api_as("county_office").post(url, {"problem": problem.pk})
    assert early.status_code == 422 and field_errors(early) == {"suggestion"}
    api_as("county_handler").post(
        f"/suggestions/{made['id']}/actions/respond", {"state": "adopted"}
    )
    # A neighbouring office sees neither the suggestion nor the problem.
    sibling = api_as("sibling_office").post(url, {"problem": problem.pk})
    assert sibling.status_code == 404
    cited = api_as("county_office").post(url, {"problem": problem.pk})
    assert cited.status_code == 200, cited.content
    assert [r["problem"]["id"] for r in cited.json()["rules"]] == [problem.pk]
    again = api_as("county_office").post(url, {"problem": problem.pk})
    assert again.status_code == 422 and field_errors(again) == {"problem"}
    assert SuggestionRule.objects.count() == 1
