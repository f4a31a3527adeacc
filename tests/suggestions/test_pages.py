"""Suggestions through the pages, as each side would use them."""

from __future__ import annotations

from ducha.notices.models import Notification
from ducha.suggestions.actions import do_respond
from ducha.suggestions.models import Suggestion, SuggestionEvent, SuggestionRule
from tests.suggestions.conftest import common_problem_with_rule, suggest


def _form(world, **extra):
    data = {
        "sender": f"office-{world.orgs['county_office'].pk}",
        "receiver": world.orgs["county_dept"].pk,
        "title": "建议规范隔离点物资发放登记",
        "text": "隔离点物资发放无签收记录，建议建立发放台账并每日核对。",
        "problems": "",
    }
    data.update(extra)
    return data


def test_office_suggests_and_the_unit_is_told(world, login):
    problem = world.assigned()
    client = login(world, "county_office")
    response = client.post("/suggestions/new/", _form(world, problems=f"#{problem.pk}"))
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert response.url == f"/suggestions/{suggestion.pk}/"
    assert list(suggestion.problems.all()) == [problem]
    assert suggestion.county_id == world.orgs["county"].pk
    told = Notification.objects.get(kind="suggestion_made")
    assert told.recipient == world.users["county_handler"]
    page = client.get(response.url).content.decode()
    assert "建议规范隔离点物资发放登记" in page
    assert 'data-testid="respond"' not in page


def test_team_suggests_in_its_own_name(world, login):
    client = login(world, "county_team_member")
    team = world.teams["county_team"]
    response = client.post("/suggestions/new/", _form(world, sender=f"team-{team.pk}"))
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.team, suggestion.sender) == (team, world.orgs["county_office"])
    # Only the sending team's members, not every team member of the region, see it.
    assert login(world, "county_team_member").get(response.url).status_code == 200


def test_bad_input_names_the_field_and_saves_nothing(world, login):
    hidden = world.problem(by="sibling_office", region="sibling")
    client = login(world, "county_office")
    cases = [
        (_form(world, receiver=world.orgs["sibling_dept"].pk), "receiver"),
        (_form(world, problems=str(hidden.pk)), "problems"),
        (_form(world, problems="99999"), "problems"),
        (_form(world, problems="abc"), "problems"),
        (_form(world, title=""), "title"),
        (_form(world, title="x" * 201), "title"),
        (_form(world, text="ok\x00"), "text"),
        (_form(world, sender=f"office-{world.orgs['city_office'].pk}"), "sender"),
    ]
    for data, field in cases:
        response = client.post("/suggestions/new/", data)
        page = response.content.decode()
        assert response.status_code == 400, field
        assert f'data-field="{field}"' in page and 'data-testid="field-error"' in page, field
    assert not Suggestion.objects.exists()
    assert not SuggestionEvent.objects.exists()


def test_units_leaders_and_strangers_cannot_suggest(world, login):
    for key in ("county_handler", "county_leader", "city_command", "outsider"):
        assert login(world, key).get("/suggestions/new/").status_code == 403, key


def test_the_receiver_responds_and_others_are_refused(world, login, suggestion):
    url = f"/suggestions/{suggestion.pk}/respond/"
    data = {"state": "adopted", "response": "", "version": suggestion.version}
    # The sender, the office above and a neighbour may not answer for the unit.
    for key in ("county_office", "city_office", "county_leader"):
        assert login(world, key).post(url, data).status_code == 403, key
    for key in ("sibling_office", "market_handler", "outsider"):
        assert login(world, key).post(url, data).status_code == 404, key
    client = login(world, "county_handler")
    assert 'data-testid="respond"' in client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert client.post(url, data).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == "adopted"
    assert suggestion.responded_by == world.users["county_handler"]
    told = Notification.objects.get(kind="suggestion_answered")
    assert told.recipient == world.users["county_office"]
    assert list(suggestion.events.values_list("action", flat=True)) == ["suggest", "respond"]


def test_decline_without_a_response_and_a_stale_version_are_refused(world, login, suggestion):
    client = login(world, "county_handler")
    url = f"/suggestions/{suggestion.pk}/respond/"
    for state in ("declined", "partly_adopted"):
        response = client.post(url, {"state": state, "response": " ", "version": 0})
        assert response.status_code == 400
        page = response.content.decode()
        assert 'data-field="response"' in page and 'data-testid="field-error"' in page
    response = client.post(url, {"state": "declined", "response": "经费不足", "version": 7})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.version) == ("made", 0)
    assert suggestion.events.count() == 1
    # Answered once, the answer stands.
    client.post(url, {"state": "declined", "response": "暂不具备条件", "version": 0})
    client.post(url, {"state": "adopted", "response": "", "version": 1})
    suggestion.refresh_from_db()
    assert suggestion.state == "declined"
    assert suggestion.events.count() == 2


def test_list_counts_and_adoption_rate(world, login):
    handler = world.users["county_handler"]
    made = [suggest(world, title=f"建议{n}") for n in range(5)]
    do_respond(made[0], acting_user=handler, state="adopted")
    do_respond(made[1], acting_user=handler, state="partly_adopted", response="部分采纳")
    do_respond(made[2], acting_user=handler, state="declined", response="不采纳")
    suggest(world, by="sibling_office", to="sibling_dept")
    page = login(world, "county_office").get("/suggestions/").content.decode()
    assert 'data-figure="made">5<' in page
    assert 'data-figure="waiting">2<' in page
    # Taken up: 2 of 3 answered, 2 of 5 made.
    assert 'data-figure="rate_of_answered">66.67%<' in page
    assert 'data-figure="rate_of_all">40.00%<' in page
    declined = login(world, "county_office").get("/suggestions/?state=declined").content.decode()
    assert declined.count("data-suggestion=") == 1
    assert (
        login(world, "city_office").get("/suggestions/").content.decode().count("data-suggestion=")
        == 6
    )
    assert (
        "data-suggestion=" not in login(world, "other_office").get("/suggestions/").content.decode()
    )


def test_a_lasting_rule_cites_an_adopted_suggestion_on_both_pages(world, login, suggestion):
    problem = common_problem_with_rule(world)
    client = login(world, "county_office")
    # Not yet adopted: not citable.
    response = client.post(
        "/suggestions/cite/", {"suggestion": suggestion.pk, "problem": problem.pk}
    )
    assert response.status_code == 400
    assert not SuggestionRule.objects.exists()
    do_respond(suggestion, acting_user=world.users["county_handler"], state="adopted")
    problem_page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert 'data-testid="cite-from-problem"' in problem_page
    response = client.post(
        "/suggestions/cite/",
        {"suggestion": suggestion.pk, "problem": problem.pk, "next": f"/problems/{problem.pk}/"},
    )
    assert response.status_code == 302 and response.url == f"/problems/{problem.pk}/"
    assert SuggestionRule.objects.filter(suggestion=suggestion, problem=problem).exists()
    problem_page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert f'data-suggestion="{suggestion.pk}"' in problem_page
    detail = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert "卡口值守实行四班轮换" in detail
    # Twice is refused on the problem field; an individual problem cannot be cited.
    again = client.post("/suggestions/cite/", {"suggestion": suggestion.pk, "problem": problem.pk})
    assert again.status_code == 400
    individual = world.assigned()
    other = client.post(
        "/suggestions/cite/", {"suggestion": suggestion.pk, "problem": individual.pk}
    )
    assert other.status_code == 400
    assert SuggestionRule.objects.count() == 1
    assert suggestion.events.filter(action="cite").count() == 1


def test_who_sees_a_suggestion(world, login, suggestion):
    url = f"/suggestions/{suggestion.pk}/"
    for key in (
        "county_office",
        "county_leader",
        "city_office",
        "province_leader",
        "county_handler",
    ):
        assert login(world, key).get(url).status_code == 200, key
    for key in (
        "market_handler",
        "sibling_office",
        "town_office",
        "county_discipline",
        "county_team_member",
        "city_command",
        "other_office",
        "outsider",
        "county_admin",
    ):
        assert login(world, key).get(url).status_code == 404, key
