"""Accountability records and commendations through the pages, as each role would use them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ducha.accountability import actions
from ducha.accountability.models import Accountability, Commendation, RecordEvent
from ducha.accounts.models import SecurityEvent
from tests.accountability.conftest import BLIND, ELSEWHERE, client_for, commended, kind, proposed


def _form(world, **extra):
    data = {
        "kind": kind("interview_warning").pk,
        "subject_kind": "person",
        "person_name": "周海明",
        "person_post": "卫健局副局长",
        "org": world.orgs["county_dept"].pk,
        "reason": "卡口登记缺失，多次督促未改",
        "problems": "",
        "referrals": "",
    }
    data.update(extra)
    return data


def test_the_discipline_body_proposes_and_a_leader_decides(world):
    problem = world.assigned()
    client = client_for(world, "county_discipline")
    page = client.get("/accountability/")
    assert 'data-nav="accountability:list"' in page.content.decode()
    response = client.post("/accountability/new/", _form(world, problems=f"{problem.pk}"))
    record = Accountability.objects.get()
    assert response.status_code == 302
    assert response.url == f"/accountability/{record.pk}/"
    assert list(record.problems.all()) == [problem]
    detail = client.get(response.url)
    assert "周海明" in detail.content.decode()
    assert 'data-action="decide"' in detail.content.decode()
    leader = client_for(world, "county_leader")
    today = timezone.localdate().isoformat()
    decided = leader.post(
        f"/accountability/{record.pk}/decide/", {"decided_on": today, "version": 0}
    )
    assert decided.status_code == 302
    record.refresh_from_db()
    assert (record.state, record.decided_by, record.decided_on.isoformat()) == (
        "decided",
        world.users["county_leader"],
        today,
    )


def test_the_same_refusals_as_the_api(world):
    client = client_for(world, "county_discipline")
    hidden = world.problem(by="sibling_office", region="sibling")
    for data, field in (
        (_form(world, org=world.orgs["sibling_dept"].pk), "org"),
        (_form(world, person_name=""), "person_name"),
        (_form(world, problems=str(hidden.pk)), "problems"),
        (_form(world, problems="12, abc"), "problems"),
    ):
        response = client.post("/accountability/new/", data)
        assert response.status_code == 422
        assert field in response.context["form"].errors, field
    # A hidden problem and a missing one read the same.
    hidden_page = client.post("/accountability/new/", _form(world, problems=str(hidden.pk)))
    missing_page = client.post("/accountability/new/", _form(world, problems="987654"))
    assert hidden_page.context["form"].errors == missing_page.context["form"].errors
    assert not Accountability.objects.exists()
    assert not RecordEvent.objects.exists()


def test_an_office_may_not_decide_accountability_but_decides_a_commendation(world):
    record, praise = proposed(world), commended(world)
    office = client_for(world, "county_office")
    today = timezone.localdate().isoformat()
    assert office.get(f"/accountability/{record.pk}/decide/").status_code == 403
    refused = office.post(f"/accountability/{record.pk}/decide/", {"decided_on": today})
    assert refused.status_code == 403
    ok = office.post(f"/accountability/commendations/{praise.pk}/decide/", {"decided_on": today})
    assert ok.status_code == 302
    assert Commendation.objects.get().state == "decided"
    assert Accountability.objects.get().state == "proposed"


def test_a_decision_dated_before_the_proposal_is_refused_on_the_form(world):
    record = proposed(world)
    leader = client_for(world, "county_leader")
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    response = leader.post(f"/accountability/{record.pk}/decide/", {"decided_on": day})
    assert response.status_code == 422
    assert "decided_on" in response.context["form"].errors
    assert record.events.count() == 1


def test_names_never_reach_a_blind_role(people):
    record, praise = proposed(people), commended(people)
    for persona in (*BLIND, *ELSEWHERE):
        client = client_for(people, persona)
        if persona in BLIND:
            home = client.get("/problems/").content.decode()
            assert 'data-nav="accountability:list"' not in home, persona
        for path in ("/accountability/", "/accountability/commendations/"):
            page = client.get(path)
            assert page.status_code == 200, persona
            assert record.person_name not in page.content.decode()
            assert praise.person_name not in page.content.decode()
        assert client.get(f"/accountability/{record.pk}/").status_code == 404, persona
        assert client.get(f"/accountability/commendations/{praise.pk}/").status_code == 404
        assert client.get(f"/accountability/{record.pk}/withdraw/").status_code == 404
    assert not SecurityEvent.objects.filter(kind="personal_record_read").exists()


def test_the_detail_page_and_the_list_leave_a_trail(world):
    record = proposed(world)
    client = client_for(world, "city_office")
    client.get(f"/accountability/{record.pk}/")
    client.get("/accountability/")
    reads = list(SecurityEvent.objects.filter(kind="personal_record_read").order_by("pk"))
    assert [r.detail for r in reads] == [
        {"record": "accountability", "id": record.pk},
        {"record": "accountability", "ids": [record.pk]},
    ]
    assert {r.actor for r in reads} == {world.users["city_office"]}


def test_list_filters(world):
    talk = proposed(world, kind=kind("interview"))
    criticism = proposed(world)
    actions.do_decide(
        criticism, acting_user=world.users["county_leader"], decided_on=timezone.localdate()
    )
    client = client_for(world, "county_leader")
    by_kind = client.get("/accountability/", {"kind": kind("interview").pk})
    assert [r.pk for r in by_kind.context["page"]] == [talk.pk]
    by_state = client.get("/accountability/", {"state": "decided"})
    assert [r.pk for r in by_state.context["page"]] == [criticism.pk]
    bad = client.get("/accountability/", {"since": "0001-01-01"})
    assert bad.status_code == 400


def test_carry_out_and_withdraw_by_page(world):
    record = actions.do_decide(
        proposed(world),
        acting_user=world.users["county_discipline"],
        decided_on=timezone.localdate(),
    )
    office = client_for(world, "county_office")
    today = timezone.localdate().isoformat()
    done = office.post(f"/accountability/{record.pk}/carry_out/", {"carried_out_on": today})
    assert done.status_code == 302
    other = proposed(world)
    assert office.post(f"/accountability/{other.pk}/withdraw/", {"reason": "x"}).status_code == 403
    discipline = client_for(world, "county_discipline")
    empty = discipline.post(f"/accountability/{other.pk}/withdraw/", {"reason": ""})
    assert empty.status_code == 422
    assert (
        discipline.post(f"/accountability/{other.pk}/withdraw/", {"reason": "重复"}).status_code
        == 302
    )
    assert Accountability.objects.get(pk=other.pk).state == "withdrawn"
    assert office.get("/accountability/x/decide/").status_code == 404
    assert office.get(f"/accountability/{other.pk}/nonsense/").status_code == 404


def test_an_office_adds_a_kind_by_page(world):
    office = client_for(world, "county_office")
    data = {"office": world.orgs["county_office"].pk, "name": "提醒谈话"}
    assert office.post("/accountability/kinds/", data).status_code == 302
    again = office.post("/accountability/kinds/", data)
    assert again.status_code == 422
    assert "name" in again.context["form"].errors
    leader = client_for(world, "county_leader")
    assert leader.post("/accountability/kinds/", data).status_code == 403
    assert client_for(world, "county_team_member").get("/accountability/kinds/").status_code == 403


def test_commendation_pages(world):
    office = client_for(world, "county_office")
    response = office.post(
        "/accountability/commendations/new/",
        {
            "kind": "advanced",
            "subject_kind": "unit",
            "person_name": "",
            "person_post": "",
            "org": world.orgs["county_dept"].pk,
            "reason": "整改全部按期销号",
            "problems": "",
            "inspections": "",
        },
    )
    praise = Commendation.objects.get()
    assert response.url == f"/accountability/commendations/{praise.pk}/"
    page = office.get(response.url)
    assert praise.kind_label in page.content.decode()
    # A unit names nobody: opening it is not a read of a person's record.
    assert not SecurityEvent.objects.filter(kind="personal_record_read").exists()
