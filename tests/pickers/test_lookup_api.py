"""The pickers' lookup: names in scope only, told apart by the names above them, bounded."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def names(response) -> list[tuple[str, list[str]]]:
    assert response.status_code == 200, response.content
    return [(item["name"], item["path"]) for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "province_office",
            [
                ("东关村", ["河北省", "承德市", "双桥区", "桥东街道"]),
                ("东关村", ["河北省", "承德市", "双桥区", "水泉沟镇"]),
                ("东关村", ["河北省", "承德市", "双滦区", "双塔山镇"]),
                ("新东关社区", ["河北省", "承德市", "双桥区", "水泉沟镇"]),
            ],
        ),
        (
            # The names above a row stop where the caller's jurisdiction does.
            "county_office",
            [
                ("东关村", ["双桥区", "桥东街道"]),
                ("东关村", ["双桥区", "水泉沟镇"]),
                ("新东关社区", ["双桥区", "水泉沟镇"]),
            ],
        ),
        ("town_office", [("东关村", ["水泉沟镇"]), ("新东关社区", ["水泉沟镇"])]),
        ("sibling_office", [("东关村", ["双滦区", "双塔山镇"])]),
        (
            "county_team_member",
            [
                ("东关村", ["双桥区", "桥东街道"]),
                ("东关村", ["双桥区", "水泉沟镇"]),
                ("新东关社区", ["双桥区", "水泉沟镇"]),
            ],
        ),
        ("other_office", []),
        ("outsider", []),
    ],
)
def test_regions_answer_only_what_each_level_sees(villages, api_as, persona, expected):
    assert names(api_as(persona).get("/lookup/regions", {"q": "东关"})) == expected


def test_a_name_that_starts_with_the_words_comes_first_and_codes_match_their_start(
    villages, api_as
):
    api = api_as("county_office")
    assert [name for name, _ in names(api.get("/lookup/regions", {"q": "关"}))] == [
        "东关村",
        "东关村",
        "新东关社区",
    ]
    assert names(api.get("/lookup/regions", {"q": "新东"})) == [
        ("新东关社区", ["双桥区", "水泉沟镇"])
    ]
    # Higher levels first, then by administrative code.
    assert [name for name, _ in names(api.get("/lookup/regions", {"q": "1308021"}))] == [
        "水泉沟镇",
        "东关村",
    ]
    assert names(api.get("/lookup/regions", {"q": "130803"})) == []


def test_traditional_script_finds_the_simplified_name(villages, api_as):
    assert [n for n, _ in names(api_as("town_office").get("/lookup/regions", {"q": "東關"}))] == [
        "东关村",
        "新东关社区",
    ]


def test_under_narrows_to_a_subtree_and_limit_bounds_the_answer(villages, api_as):
    api = api_as("city_office")
    town = villages.orgs["east_town"].pk
    assert names(api.get("/lookup/regions", {"q": "东关", "under": town})) == [
        ("东关村", ["承德市", "双桥区", "桥东街道"])
    ]
    answer = api.get("/lookup/regions", {"q": "东关", "limit": 2}).json()
    assert len(answer["items"]) == 2 and answer["more"] is True
    assert api.get("/lookup/regions", {"q": "东关", "limit": 4}).json()["more"] is False
    everything = api.get("/lookup/regions", {"limit": 50}).json()
    assert [item["name"] for item in everything["items"][:2]] == ["承德市", "双桥区"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 51}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"q": "东" * 201}, "q"),
        ({"q": "东\x00关"}, "q"),
        ({"under": "x"}, "under"),
        ({"under": 10**30}, "under"),
    ],
)
def test_bad_input_is_refused_naming_the_field(villages, api_as, params, field):
    response = api_as("county_office").get("/lookup/regions", params)
    assert response.status_code == 422
    assert field in response.content.decode()


@pytest.mark.parametrize("kind", ["regions", "sites", "units", "teams"])
def test_under_a_region_out_of_scope_or_no_region_reads_as_not_found(villages, api_as, kind):
    api = api_as("county_office")
    for under in (villages.orgs["sibling"].pk, villages.orgs["county_dept"].pk, 999_999):
        response = api.get(f"/lookup/{kind}", {"under": under})
        assert response.status_code == 422
        assert response.json()["field"] == "under"


@pytest.mark.parametrize("q", ["%", "_", "'", '"', "东关' OR 1=1 --", "\\", "a:b*", " "])
def test_any_text_is_only_text(villages, api_as, q):
    for kind in ("regions", "sites", "units", "teams"):
        assert api_as("county_office").get(f"/lookup/{kind}", {"q": q}).status_code == 200


def test_sites_carry_the_regions_they_lie_in(villages, api_as):
    assert names(api_as("county_office").get("/lookup/sites", {"q": "东关"})) == [
        ("东关村卫生室", ["双桥区", "水泉沟镇", "东关村"])
    ]
    assert names(api_as("city_office").get("/lookup/sites", {"q": "东关村"})) == [
        ("东关村卫生室", ["承德市", "双桥区", "水泉沟镇", "东关村"]),
        ("东关村诊所", ["承德市", "双滦区", "双塔山镇", "东关村"]),
    ]
    # A unit's handler has no region, hence no sites.
    assert names(api_as("county_handler").get("/lookup/sites", {"q": ""})) == []


def test_units_near_a_region_are_those_a_problem_there_may_be_handed_to(villages, api_as):
    api = api_as("city_office")
    near = {"near": villages.orgs["village"].pk, "q": "局"}
    assert names(api.get("/lookup/units", near)) == [
        ("双桥区卫健局", ["承德市", "双桥区"]),
        ("双桥区市场监管局", ["承德市", "双桥区"]),
    ]
    assert [n for n, _ in names(api.get("/lookup/units", {"q": "局"}))] == [
        "双桥区卫健局",
        "双桥区市场监管局",
        "双滦区卫健局",
    ]
    # Offices are not units: nothing is handed to a supervision office.
    assert names(api.get("/lookup/units", {"q": "督查办"})) == []
    refused = api_as("county_office").get(
        "/lookup/units", {"near": villages.orgs["sibling_village"].pk}
    )
    assert refused.status_code == 422 and refused.json()["field"] == "near"


def test_teams_of_each_level(villages, api_as):
    assert names(api_as("county_office").get("/lookup/teams", {"q": "督查组"})) == [
        ("双桥区督查组", ["双桥区", "双桥区督查办"])
    ]
    assert names(api_as("city_office").get("/lookup/teams", {"q": "督查组"})) == [
        ("双桥区督查组", ["承德市", "双桥区", "双桥区督查办"]),
        ("双滦区督查组", ["承德市", "双滦区", "双滦区督查办"]),
        # Sent into the city from the province: the office that sent it is not the city's.
        ("承德市督查组", []),
    ]
    # A team member sees their own team; a unit's handler none.
    assert names(api_as("sibling_team_member").get("/lookup/teams")) == [
        ("双滦区督查组", ["双滦区", "双滦区督查办"])
    ]
    assert names(api_as("county_handler").get("/lookup/teams")) == []
    team = villages.teams["county_team"]
    team.active = False
    team.save()
    api = api_as("county_office")
    assert names(api.get("/lookup/teams", {"active": "true"})) == []
    assert len(names(api.get("/lookup/teams", {"active": "false"}))) == 1


def test_a_token_reads_as_its_owner_and_nobody_reads_anonymously(villages, token_as, anonymous):
    assert len(names(token_as("town_office").get("/lookup/regions", {"q": "东关"}))) == 2
    assert anonymous.get("/lookup/regions", {"q": "东关"}).status_code == 401


def test_units_of_named_kinds_replace_the_kinds_a_problem_is_handed_to(villages, api_as):
    api = api_as("city_office")
    offices = names(api.get("/lookup/units", {"q": "督查办", "kind": "office"}))
    assert offices == [
        ("承德市大督查办", ["承德市"]),
        ("双桥区督查办", ["承德市", "双桥区"]),
        ("双滦区督查办", ["承德市", "双滦区"]),
        ("水泉沟镇督查办", ["承德市", "双桥区", "水泉沟镇"]),
    ]
    both = api.get("/lookup/units", {"q": "双桥区", "kind": ["office", "discipline"]})
    assert [n for n, _ in names(both)] == ["双桥区督查办", "双桥区纪委监委"]
    # Still only what the caller sees, and still narrowed by `under`.
    county = api_as("county_office").get("/lookup/units", {"kind": "office"})
    assert [n for n, _ in names(county)] == ["双桥区督查办", "水泉沟镇督查办"]
    under = {"kind": "office", "under": villages.orgs["sibling"].pk}
    assert [n for n, _ in names(api.get("/lookup/units", under))] == ["双滦区督查办"]


@pytest.mark.parametrize("kind", [["village"], ["office"] * 9, [""]])
def test_an_unknown_kind_or_too_many_are_refused_naming_the_field(villages, api_as, kind):
    response = api_as("city_office").get("/lookup/units", {"kind": kind})
    assert response.status_code == 422
    assert "kind" in response.content.decode()
