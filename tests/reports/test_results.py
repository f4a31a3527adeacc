"""The results dashboard (督查问效): who opens it, what it counts, and that it names nobody."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from ducha.referrals.actions import do_accept, do_refer
from ducha.reports.schemas import ResultsOut
from ducha.suggestions.actions import do_respond, do_suggest
from tests.matrix.harness import client_for
from tests.matrix.oracle import PERSONAS
from tests.results.records import SECRET_NAMES, accountability, chengdu, commendation

pytestmark = pytest.mark.django_db

# Every role of the loop reads the counts of its jurisdiction; administrators see no loop.
RESULT_ROLES = {
    "office_staff",
    "leader",
    "discipline",
    "team_member",
    "unit_handler",
    "command",
}


def opens_county(persona: str) -> bool:
    role, relation = PERSONAS[persona]
    return role in RESULT_ROLES and relation in {"self", "ancestor"}


def _get(client, channel: str, region: int | None = None, **params):
    if channel == "page":
        path = "/reports/results/" if region is None else f"/reports/results/regions/{region}/"
        return client.get(path, params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    if region is not None:
        params["region"] = region
    return client.get("/api/v1/reports/results", params)


def _no_names(response) -> None:
    text = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(response.json(), ensure_ascii=False)
    for name in (*SECRET_NAMES, "副局长"):
        assert name not in text


@pytest.fixture
def results_world(world):
    today = timezone.localdate()
    chengdu(world, today)
    accountability(world, "interview", count=3, region="town", decided_on=today)
    accountability(
        world, "interview", count=2, region="sibling", unit="sibling_dept", decided_on=today
    )
    commendation(world, "advanced", count=2, decided_on=today)
    commendation(world, "advanced", count=3, subject="person", decided_on=today)
    accountability(world, "interview", state="withdrawn", decided_on=today)
    accountability(world, "interview", state="proposed")
    return world


@pytest.mark.parametrize("persona", sorted(PERSONAS))
@pytest.mark.parametrize("channel", ["page", "api"])
def test_the_county_results_by_role_and_relation(results_world, persona, channel):
    client = client_for(results_world, persona)
    response = _get(client, channel, results_world.orgs["county"].pk)
    assert response.status_code == (200 if opens_county(persona) else 404), persona
    if response.status_code == 200:
        _no_names(response)
        if channel == "api":
            assert response.json()["totals"] == {
                "persons_held_to_account": 13,
                "units_held_to_account": 0,
                "units_commended": 2,
                "persons_commended": 3,
            }


@pytest.mark.parametrize("persona", ["county_team_member", "county_handler", "county_discipline"])
def test_the_home_page_counts_the_jurisdiction_with_its_sentence(results_world, persona):
    client = client_for(results_world, persona)
    page = _get(client, "page")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "先后对3名党员干部进行约谈，6名通报批评，1名责令作出检查，1名作停职处理，2名进行立案审查。"
        in html
    )
    assert "表彰先进集体2个、先进个人3名。" in html
    _no_names(page)
    data = _get(client, "api").json()
    assert data["region"] == results_world.orgs["county"].pk
    assert [(row["kind"], row["persons"]) for row in data["accountability"]] == [
        ("interview", 3),
        ("public_criticism", 6),
        ("ordered_self_examination", 1),
        ("suspension", 1),
        ("case_filed", 2),
    ]
    town = results_world.orgs["town"].pk
    assert [
        (row["id"], row["figures"]["persons_held_to_account"]) for row in data["by_region"]
    ] == [(town, 3)]
    assert data["referrals"]["total"] == 0
    _no_names(_get(client, "api"))


def test_the_city_counts_each_county_and_never_its_neighbours_for_a_county(results_world):
    city = client_for(results_world, "city_leader")
    data = _get(city, "api").json()
    lines = {row["id"]: row["figures"]["persons_held_to_account"] for row in data["by_region"]}
    assert lines == {results_world.orgs["county"].pk: 13, results_world.orgs["sibling"].pk: 2}
    assert data["totals"]["persons_held_to_account"] == 15
    county = _get(client_for(results_world, "county_office"), "api").json()
    assert county["totals"]["persons_held_to_account"] == 13


def test_the_period_leaves_out_older_decisions(results_world):
    long_ago = timezone.localdate() - timezone.timedelta(days=100)
    accountability(results_world, "dismissal", count=4, decided_on=long_ago)
    client = client_for(results_world, "county_office")
    assert _get(client, "api", days=90).json()["totals"]["persons_held_to_account"] == 13
    assert _get(client, "api", days=365).json()["totals"]["persons_held_to_account"] == 17
    assert _get(client, "api").json()["totals"]["persons_held_to_account"] == 17
    assert _get(client, "api", days=7).status_code == 422


def test_the_dashboard_links_to_the_results(results_world):
    client = client_for(results_world, "county_office")
    county = results_world.orgs["county"].pk
    assert f"/reports/results/regions/{county}/" in client.get("/reports/").content.decode()
    handler = client_for(results_world, "county_handler")
    assert "/reports/results/" in handler.get("/reports/").content.decode()


def test_a_user_without_a_role_sees_nothing(results_world):
    client = client_for(results_world, "outsider")
    assert _get(client, "api").status_code == 404
    page = _get(client, "page")
    assert page.status_code == 200
    assert "13" not in page.content.decode().split('data-testid="no-jurisdiction"')[1][:50]


def test_the_results_take_a_fixed_number_of_queries(results_world, django_assert_max_num_queries):
    client = client_for(results_world, "city_leader")
    client.get("/api/v1/reports/results")
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/reports/results").status_code == 200


def test_the_way_back_to_the_problem_dashboard_is_one_the_user_may_open(results_world):
    county = results_world.orgs["county"].pk
    for persona in ("county_office", "county_handler", "city_command"):
        client = client_for(results_world, persona)
        page = client.get(f"/reports/results/regions/{county}/").content.decode()
        link = page.split('data-testid="rectification-link"')[0].rsplit('href="', 1)[1]
        link = link.split('"')[0]
        assert client.get(link).status_code == 200, persona


def test_the_json_is_what_the_schema_says(results_world):
    for persona in ("city_leader", "county_handler"):
        body = _get(client_for(results_world, persona), "api").json()
        assert ResultsOut.model_validate(body).model_dump(mode="json") == body


def test_the_referrals_of_the_jurisdiction_are_counted_with_their_timing(results_world):
    world = results_world
    referral = do_refer(
        acting_user=world.users["county_office"],
        problem=world.problem(),
        receiver=world.orgs["county_discipline"],
        facts="夜间卡口无人值守，线索移交",
        evidence_ids=[],
    )
    do_accept(referral, acting_user=world.users["county_discipline"], comment="受理")
    do_refer(
        acting_user=world.users["county_office"],
        problem=world.problem(),
        receiver=world.orgs["county_discipline"],
        facts="隔离点登记缺失，线索移交",
        evidence_ids=[],
    )
    data = _get(client_for(world, "county_leader"), "api").json()
    figures = data["referrals"]
    assert (figures["total"], figures["waiting"], figures["accepted"]) == (2, 1, 1)
    assert figures["days_to_decision"]["median"] is not None
    page = _get(client_for(world, "county_leader"), "page")
    assert 'data-testid="referrals"' in page.content.decode()
    # Nothing of the county reaches the neighbouring county's dashboard.
    sibling = _get(client_for(world, "sibling_office"), "api").json()
    assert sibling["referrals"]["total"] == 0


def test_the_suggestions_of_the_jurisdiction_are_counted_with_their_adoption(results_world):
    world = results_world
    made = do_suggest(
        acting_user=world.users["county_office"],
        office=world.orgs["county_office"],
        receiver=world.orgs["county_dept"],
        title="卡口值守排班建议",
        text="建议卡口值守实行两班轮换，夜班增配一人。",
    )
    do_respond(made, acting_user=world.users["county_handler"], state="adopted", response="采纳")
    do_suggest(
        acting_user=world.users["county_office"],
        office=world.orgs["county_office"],
        receiver=world.orgs["county_dept"],
        title="隔离点物资台账建议",
        text="建议隔离点物资按日登记，周末汇总。",
    )
    figures = _get(client_for(world, "county_team_member"), "api").json()["suggestions"]
    assert (figures["made"], figures["adopted"], figures["waiting"]) == (2, 1, 1)
    assert (figures["rate_of_answered"], figures["rate_of_all"]) == (100.0, 50.0)
    page = _get(client_for(world, "county_leader"), "page").content.decode()
    assert 'data-testid="suggestions"' in page and "50.0%" in page
    assert _get(client_for(world, "sibling_office"), "api").json()["suggestions"]["made"] == 0
