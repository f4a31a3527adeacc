"""Recording observations and keeping the lists through the pages and the API, and the bad
input both refuse the same way: a clear message naming the field, nothing half-saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.cadres.models import CadreCandidate, CadreEvent, CadreObservation
from tests.cadres.personas import listed, observe

pytestmark = pytest.mark.django_db


def body(world, **changes):
    data = {
        "person_name": "许志刚",
        "person_post": "镇党委副书记",
        "org": world.orgs["county_dept"].pk,
        "verdict": "failing",
        "facts": "卡口无人值守，台账空白，推诿不办。",
        "team": world.teams["county_team"].pk,
        "observed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_team_member_records_on_the_page(people, login):
    client = login(people, "county_team_member")
    form = client.get("/cadres/new/")
    assert form.status_code == 200 and 'name="facts"' in form.content.decode()
    answer = client.post("/cadres/new/", body(people))
    assert answer.status_code == 302
    observation = CadreObservation.objects.get()
    assert answer["Location"] == f"/cadres/{observation.pk}/"
    assert (observation.region, observation.county) == (people.orgs["county"],) * 2
    assert observation.recorded_by == people.users["county_team_member"]
    assert list(CadreEvent.objects.values_list("action", "observation")) == [
        ("observe", observation.pk)
    ]


def test_the_department_records_without_a_team_over_the_api(people, api_as):
    api = api_as("city_organisation")
    # The department does not read the loop: a problem is no link of its own to make.
    problem = people.problem()
    refused = api.post("/cadres/observations", body(people, team=None, problems=[problem.pk]))
    assert (refused.status_code, refused.json()["field"]) == (422, "problems")
    answer = api.post("/cadres/observations", body(people, team=None))
    assert answer.status_code == 201, answer.content
    assert (answer.json()["team"], answer.json()["region"]["id"]) == (
        None,
        people.orgs["county"].pk,
    )


def test_a_team_member_links_what_they_can_see(people, api_as):
    problem = people.problem()
    answer = api_as("county_team_member").post(
        "/cadres/observations", body(people, problems=[problem.pk])
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["problems"] == [problem.pk]
    # The department reading it is not told of a problem out of its sight.
    observation = answer.json()["id"]
    assert (
        api_as("county_organisation").get(f"/cadres/observations/{observation}").json()["problems"]
        == []
    )


def _refused(world, api, client, data, field, message):
    """The API and the page refuse the same input with the same message on the same field."""
    before = (CadreObservation.objects.count(), CadreEvent.objects.count())
    answer = api.post("/cadres/observations", data)
    assert answer.status_code == 422, answer.content
    got, message = answer.json(), _(message)
    assert (got["field"], got["detail"]) == (field, message), got
    page = client.post(
        "/cadres/new/",
        {k: ",".join(map(str, v)) if isinstance(v, list) else v for k, v in data.items()},
    )
    assert page.status_code == 400
    assert message in page.context["form"].errors.get(field, []), page.context["form"].errors
    assert (CadreObservation.objects.count(), CadreEvent.objects.count()) == before


def test_bad_input_is_refused_alike(people, api_as):
    api = api_as("county_team_member")
    client = api.client
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    _refused(
        people,
        api,
        client,
        body(people, observed_on=tomorrow),
        "observed_on",
        "The date cannot be in the future.",
    )
    # A cadre of the neighbouring county: outside the team's regions and the offer alike.
    _refused(
        people,
        api,
        client,
        body(people, org=people.orgs["sibling_dept"].pk),
        "org",
        "Not found in your jurisdiction.",
    )
    # A problem of the neighbouring county, which the team member cannot see.
    foreign = people.problem(by="sibling_office", region="sibling")
    _refused(
        people,
        api,
        client,
        body(people, problems=[foreign.pk]),
        "problems",
        "Not found in your jurisdiction.",
    )
    _refused(
        people,
        api,
        client,
        body(people, team=people.teams["sibling_team"].pk),
        "team",
        "Not found in your jurisdiction.",
    )
    _refused(people, api, client, body(people, facts="   "), "facts", "This field is required.")


def test_a_name_too_long_or_on_two_lines_is_refused(people, api_as):
    api = api_as("county_team_member")
    assert api.post("/cadres/observations", body(people, person_name="甲" * 101)).status_code == 422
    assert api.post("/cadres/observations", body(people, person_name="甲\n乙")).status_code == 422
    assert not CadreObservation.objects.exists()


def test_others_may_not_record(people, api_as, login):
    assert api_as("county_office").post("/cadres/observations", body(people)).status_code == 403
    assert login(people, "county_leader").post("/cadres/new/", body(people)).status_code == 404
    assert not CadreObservation.objects.exists()


def test_the_department_lists_a_cadre_and_takes_them_up(people, api_as, login):
    observation = observe(people)
    api = api_as("county_organisation")
    answer = api.post(
        "/cadres/candidates",
        {
            "list_kind": "use",
            "person_name": observation.person_name,
            "person_post": observation.person_post,
            "org": observation.org_id,
            "observations": [observation.pk],
            "reasons": "考察识别表现突出，列为近期使用对象人选。",
        },
    )
    assert answer.status_code == 201, answer.content
    candidate = answer.json()
    assert (candidate["state"], candidate["observations"]) == ("listed", [observation.pk])
    client = login(people, "county_organisation")
    assert (
        client.post(
            f"/cadres/candidates/{candidate['id']}/mark_used/", {"comment": "已提拔"}
        ).status_code
        == 302
    )
    row = CadreCandidate.objects.get()
    assert (row.state, row.closed_by) == ("used", people.users["county_organisation"])
    again = api.post(f"/cadres/candidates/{row.pk}/actions/remove", {"reason": "重复"})
    assert again.status_code == 409
    assert list(row.events.values_list("action", flat=True)) == ["list", "mark_used"]


def test_removing_needs_a_reason_and_the_current_version(people, api_as, login):
    candidate = listed(people, observe(people), list_kind="accountability")
    api = api_as("county_organisation")
    refused = api.post(f"/cadres/candidates/{candidate.pk}/actions/remove", {"reason": ""})
    assert (refused.status_code, refused.json()["field"]) == (422, "reason")
    page = login(people, "county_organisation").post(
        f"/cadres/candidates/{candidate.pk}/remove/", {"reason": ""}
    )
    assert page.status_code == 400
    stale = api.post(
        f"/cadres/candidates/{candidate.pk}/actions/remove",
        {"reason": "核实不实"},
        headers={"If-Match": f'"{candidate.pk}-9"'},
    )
    assert stale.status_code == 412
    done = api.post(f"/cadres/candidates/{candidate.pk}/actions/remove", {"reason": "核实不实"})
    assert done.json()["state"] == "removed"
    assert candidate.events.count() == 2


def test_listing_refuses_what_does_not_hold(people, api_as):
    observation = observe(people)
    api = api_as("county_organisation")
    base = {
        "list_kind": "use",
        "person_name": observation.person_name,
        "person_post": observation.person_post,
        "org": observation.org_id,
        "observations": [observation.pk],
        "reasons": "表现突出",
    }
    cases = [
        ({"person_name": "另一人"}, "observations"),
        ({"observations": []}, "observations"),
        ({"org": people.orgs["sibling_dept"].pk}, "org"),
        ({"reasons": ""}, "reasons"),
    ]
    sibling = observe(people, by="sibling_team_member", org=people.orgs["sibling_dept"])
    cases.append(({"observations": [sibling.pk]}, "observations"))
    for change, field in cases:
        answer = api.post("/cadres/candidates", {**base, **change})
        assert (answer.status_code, answer.json().get("field")) == (422, field), change
    assert api.post("/cadres/candidates", base).status_code == 201
    twice = api.post("/cadres/candidates", base)
    assert (twice.status_code, twice.json()["field"]) == (422, "person_name")
    assert CadreCandidate.objects.count() == 1
    # A team member may not list, not even their own observation.
    assert api_as("county_team_member").post("/cadres/candidates", base).status_code == 403


def test_lists_filter_by_list_and_state(people, login):
    used = listed(people, observe(people))
    listed(
        people, observe(people, person_name="罗建平", verdict="failing"), list_kind="accountability"
    )
    client = login(people, "county_organisation")
    page = client.get("/cadres/candidates/?list=use")
    assert [c.pk for c in page.context["page"]] == [used.pk]
    assert client.get("/cadres/?verdict=failing").context["page"].paginator.count == 1
    assert client.get("/cadres/?q=罗建").context["page"].paginator.count == 1


def test_record_numbers_out_of_any_column_are_refused(people, login):
    client = login(people, "county_team_member")
    for numbers in ("9" * 30, "-3", "1, x"):
        answer = client.post("/cadres/new/", body(people, problems=numbers))
        assert answer.status_code == 400, numbers
        assert answer.context["form"].errors["problems"], numbers
    assert not CadreObservation.objects.exists()


def test_listing_from_an_observation_on_the_page(people, login, api_as):
    observation = observe(people)
    client = login(people, "county_organisation")
    form = client.get(f"/cadres/candidates/new/?observation={observation.pk}")
    assert form.status_code == 200
    assert form.context["form"].initial["person_name"] == observation.person_name
    data = {
        "list_kind": "use",
        "person_name": observation.person_name,
        "person_post": observation.person_post,
        "org": observation.org_id,
        "observations": [observation.pk],
        "reasons": "表现突出",
    }
    # The page refuses a mismatch with the API's words on the same field.
    wrong = client.post("/cadres/candidates/new/", {**data, "person_name": "另一人"})
    api = api_as("county_organisation").post(
        "/cadres/candidates", {**data, "person_name": "另一人"}
    )
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["observations"] == [api.json()["detail"]]
    done = client.post("/cadres/candidates/new/", data)
    candidate = CadreCandidate.objects.get()
    assert done["Location"] == f"/cadres/candidates/{candidate.pk}/"
    page = client.get(f"/cadres/{observation.pk}/").content.decode()
    assert f"/cadres/candidates/{candidate.pk}/" in page
