"""Accountability records and commendations over /api/v1/: the rules, the refusals (the
field named, nothing half-saved) and the read trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.accountability.models import Accountability, Commendation, RecordEvent
from ducha.accounts.models import SecurityEvent
from tests.accountability.conftest import BLIND, ELSEWHERE, commended, kind, proposed
from tests.api.conftest import field_errors


def _body(world, **extra):
    body = {
        "kind": kind("interview").pk,
        "subject_kind": "person",
        "org": world.orgs["county_dept"].pk,
        "person_name": "周海明",
        "person_post": "卫健局副局长",
        "reason": "值守人员脱岗，登记缺失",
    }
    body.update(extra)
    return body


def _reads():
    return SecurityEvent.objects.filter(kind="personal_record_read")


def test_discipline_proposes_a_leader_decides_the_office_carries_out(world, api_as):
    discipline = api_as("county_discipline")
    problem = world.assigned()
    response = discipline.post("/accountability", _body(world, problems=[problem.pk]))
    assert response.status_code == 201, response.content
    record = response.json()
    assert record["state"] == "proposed"
    assert record["keeper"]["id"] == world.orgs["county_discipline"].pk
    assert record["region"]["id"] == world.orgs["county"].pk
    assert record["problems"] == [problem.pk]
    path = f"/accountability/{record['id']}/actions"
    today = timezone.localdate().isoformat()
    # The office proposes and carries out accountability, but does not decide it.
    office = api_as("county_office")
    assert office.post(f"{path}/decide", {"decided_on": today}).status_code == 403
    leader = api_as("county_leader")
    decided = leader.post(f"{path}/decide", {"decided_on": today})
    assert decided.status_code == 200, decided.content
    assert decided.json()["allowed_actions"] == ["withdraw"]
    done = office.post(f"{path}/carry_out", {"carried_out_on": today, "comment": "已约谈"})
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "carried_out"
    assert [e["action"] for e in done.json()["events"]] == ["propose", "decide", "carry_out"]
    assert RecordEvent.objects.filter(accountability_id=record["id"]).count() == 3


def test_commendations_are_decided_by_the_office_or_a_leader(world, api_as):
    office = api_as("county_office")
    response = office.post(
        "/commendations",
        {
            "kind": "advanced",
            "subject_kind": "unit",
            "org": world.orgs["county_dept"].pk,
            "reason": "排查整改全部按期销号",
        },
    )
    assert response.status_code == 201, response.content
    record = response.json()
    assert record["kind_label"] == "先进集体" or record["kind_label"] == "Advanced collective"
    path = f"/commendations/{record['id']}/actions/decide"
    today = timezone.localdate().isoformat()
    assert api_as("county_discipline").post(path, {"decided_on": today}).status_code == 403
    assert api_as("city_office").post(path, {"decided_on": today}).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"org": "sibling_dept"}, "org"),
        ({"org": "other_office"}, "org"),
        ({"person_name": ""}, "person_name"),
        ({"person_name": "周\x00海明"}, "person_name"),
        ({"reason": "  "}, "reason"),
        ({"reason": "长" * 4001}, "reason"),
        ({"problems": "hidden"}, "problems"),
        ({"problems": "missing"}, "problems"),
        ({"problems": list(range(1, 30))}, "problems"),
        ({"referrals": [987654]}, "referrals"),
        ({"subject_kind": "animal"}, "subject_kind"),
        ({"kind": 987654}, "kind"),
    ],
)
def test_bad_proposals_name_the_field_and_save_nothing(world, api_as, change, field):
    body = _body(world)
    for key, value in change.items():
        if key == "org":
            value = world.orgs[value].pk
        if value == "hidden":
            value = [world.problem(by="sibling_office", region="sibling").pk]
        if value == "missing":
            value = [987654]
        body[key] = value
    response = api_as("county_discipline").post("/accountability", body)
    assert response.status_code == 422, response.content
    assert field in field_errors(response)
    assert not Accountability.objects.exists()
    assert not RecordEvent.objects.exists()


def test_a_hidden_problem_reads_like_a_missing_one(world, api_as):
    discipline = api_as("county_discipline")
    hidden = world.problem(by="sibling_office", region="sibling").pk
    answers = [
        discipline.post("/accountability", _body(world, problems=[pk])).json()
        for pk in (hidden, 987654)
    ]
    assert answers[0] == answers[1]


def test_a_role_that_may_not_propose_is_refused(people, api_as):
    for persona in ("county_leader", "county_team_member", "county_police"):
        response = api_as(persona).post("/accountability", _body(people))
        assert response.status_code == 403, persona
    assert not Accountability.objects.exists()


@pytest.mark.parametrize(
    ("days", "message_part"),
    [(1, "future"), (-3, "proposal")],
)
def test_decision_dates(world, api_as, days, message_part):
    record = proposed(world)
    day = (timezone.localdate() + timedelta(days=days)).isoformat()
    response = api_as("county_leader").post(
        f"/accountability/{record.pk}/actions/decide", {"decided_on": day}
    )
    assert response.status_code == 422
    assert field_errors(response) == {"decided_on"}
    record.refresh_from_db()
    assert (record.state, record.version, record.events.count()) == ("proposed", 0, 1)


def test_carried_out_not_before_the_decision(world, api_as):
    from ducha.accountability import actions

    record = actions.do_decide(
        proposed(world), acting_user=world.users["county_leader"], decided_on=timezone.localdate()
    )
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    office = api_as("county_office")
    path = f"/accountability/{record.pk}/actions/carry_out"
    for body in ({"carried_out_on": yesterday}, {}):
        response = office.post(path, body)
        assert response.status_code == 422
        assert field_errors(response) == {"carried_out_on"}
    assert Accountability.objects.get(pk=record.pk).state == "decided"


def test_a_stale_etag_and_a_wrong_state_are_refused(world, api_as):
    record = proposed(world)
    leader = api_as("county_leader")
    path = f"/accountability/{record.pk}/actions/decide"
    today = timezone.localdate().isoformat()
    stale = leader.post(path, {"decided_on": today}, headers={"If-Match": '"0-99"'})
    assert stale.status_code == 412
    fresh = leader.post(path, {"decided_on": today}, headers={"If-Match": f'"{record.pk}-0"'})
    assert fresh.status_code == 200
    assert leader.post(path, {"decided_on": today}).status_code == 409
    assert record.events.count() == 2


def test_withdrawal_by_the_proposers_org_or_a_decider(world, api_as):
    body = {"reason": "经核实不属实"}
    record = proposed(world)
    # The office reads the record but did not propose it, and may not decide it.
    assert (
        api_as("county_office")
        .post(f"/accountability/{record.pk}/actions/withdraw", body)
        .status_code
        == 403
    )
    assert (
        api_as("county_discipline")
        .post(f"/accountability/{record.pk}/actions/withdraw", body)
        .status_code
        == 200
    )
    other = proposed(world, by="county_office")
    withdrawn = api_as("city_leader").post(f"/accountability/{other.pk}/actions/withdraw", body)
    assert withdrawn.status_code == 200
    missing = api_as("county_discipline").post(
        f"/accountability/{proposed(world).pk}/actions/withdraw", {"reason": ""}
    )
    assert field_errors(missing) == {"reason"}


def test_names_never_reach_a_blind_role(people, api_as):
    record, praise = proposed(people), commended(people)
    for persona in (*BLIND, *ELSEWHERE):
        api = api_as(persona)
        for base, row in (("/accountability", record), ("/commendations", praise)):
            listed = api.get(base)
            assert listed.status_code == 200, persona
            assert listed.json()["count"] == 0, persona
            assert row.person_name not in listed.content.decode()
            assert api.get(f"{base}/{row.pk}").status_code == 404, persona
    assert not _reads().exists()


def test_every_opening_of_a_named_record_is_kept(world, api_as):
    record = proposed(world)
    unit = proposed(world, subject_kind="unit", person_name="", person_post="")
    leader = api_as("city_leader")
    assert leader.get(f"/accountability/{record.pk}").json()["person_name"] == "周海明"
    read = _reads().get()
    assert read.actor == world.users["city_leader"]
    assert read.detail == {"record": "accountability", "id": record.pk}
    assert read.path == f"/api/v1/accountability/{record.pk}"
    # A record about a unit names nobody; a list is one row naming what it showed.
    leader.get(f"/accountability/{unit.pk}")
    assert _reads().count() == 1
    leader.get("/accountability")
    assert _reads().count() == 2
    assert _reads().order_by("pk").last().detail == {"record": "accountability", "ids": [record.pk]}


def test_lists_filter_by_kind_state_and_period(world, api_as):
    talk = proposed(world, kind=kind("interview"))
    criticism = proposed(world)
    from ducha.accountability import actions

    actions.do_decide(
        criticism,
        acting_user=world.users["county_discipline"],
        decided_on=timezone.localdate(),
    )
    api = api_as("county_discipline")

    def ids(**query):
        return {item["id"] for item in api.get("/accountability", query).json()["items"]}

    assert ids(kind=str(kind("interview").pk)) == {talk.pk}
    assert ids(state="decided") == {criticism.pk}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert ids(since=tomorrow) == set()
    assert ids(until=timezone.localdate().isoformat()) == {talk.pk, criticism.pk}
    assert ids(kind="nonsense") == set()


def test_an_office_adds_its_own_kind(world, api_as):
    office = api_as("county_office")
    body = {"office": world.orgs["county_office"].pk, "name": "提醒谈话"}
    added = office.post("/accountability-kinds", body)
    assert added.status_code == 201, added.content
    assert office.post("/accountability-kinds", body).status_code == 422
    refused = api_as("sibling_office").post("/accountability-kinds", body)
    assert field_errors(refused) == {"office"}
    # The county's own kind serves the county and its towns, not its neighbour.
    names = lambda persona: {k["name"] for k in api_as(persona).get("/accountability-kinds").json()}  # noqa: E731
    assert "提醒谈话" in names("county_discipline")
    assert "提醒谈话" not in names("sibling_office")
    response = api_as("county_discipline").post(
        "/accountability", _body(world, kind=added.json()["id"])
    )
    assert response.status_code == 201
    assert Commendation.objects.count() == 0


def test_an_office_under_the_discipline_body_reads_its_own_kinds(world, api_as):
    from ducha.accounts.models import Membership, User
    from ducha.orgs.models import Org
    from tests.world import PASSWORD

    # Hui'an's office is a room of its discipline body, not an org directly under the county.
    office = Org.objects.create(
        kind="office", name="双桥区纪委监委党风政风监督室", parent=world.orgs["county_discipline"]
    )
    user = User.objects.create_user("room_office", password=PASSWORD, name="监督室干部")
    Membership.objects.create(user=user, org=office, role="office_staff")
    world.users["room_office"] = user
    added = api_as("room_office").post(
        "/accountability-kinds", {"office": office.pk, "name": "书面提醒"}
    )
    assert added.status_code == 201, added.content

    def names(persona):
        return {k["name"] for k in api_as(persona).get("/accountability-kinds").json()}

    assert "书面提醒" in names("room_office")
    assert "书面提醒" in names("county_discipline")
    assert "书面提醒" not in names("sibling_office")
