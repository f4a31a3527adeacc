"""GET /orgs, /sites, /teams and /me: the caller's jurisdiction and who they are."""

import pytest

from ducha.orgs.models import Org, Team
from tests.api.conftest import field_errors

pytestmark = pytest.mark.django_db


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


def test_orgs_are_the_jurisdictions_subtree(world, api_as):
    county = names(api_as("county_office").get("/orgs", {"page_size": 200}))
    assert county == {
        "双桥区", "水泉沟镇", "双桥区督查办", "双桥区纪委监委", "双桥区卫健局", "双桥区市场监管局",
        "水泉沟镇督查办",
    }  # fmt: skip
    assert names(api_as("county_handler").get("/orgs")) == {"双桥区卫健局"}
    assert names(api_as("outsider").get("/orgs")) == set()
    city = api_as("city_office").get("/orgs", {"page_size": 200}).json()
    assert city["count"] == Org.objects.filter(path__startswith=world.orgs["city"].path).count()


def test_org_shape_and_filters(world, api_as):
    api = api_as("county_office")
    data = api.get("/orgs", {"kind": "department"}).json()
    assert {i["name"] for i in data["items"]} == {"双桥区卫健局", "双桥区市场监管局"}
    item = data["items"][0]
    assert set(item) == {"id", "name", "kind", "kind_label", "parent_id", "level", "code", "path"}
    assert item["parent_id"] == world.orgs["county"].pk and item["level"] is None
    town = world.orgs["town"].pk
    assert names(api.get("/orgs", {"parent": town})) == {"水泉沟镇督查办"}
    assert names(api.get("/orgs", {"q": "监管"})) == {"双桥区市场监管局"}
    assert names(api.get("/orgs", {"kind": "region"})) == {"双桥区", "水泉沟镇"}
    # A parent outside the jurisdiction lists nothing rather than leaking its children.
    assert names(api.get("/orgs", {"parent": world.orgs["sibling"].pk})) == set()
    page = api.get("/orgs", {"page_size": 3, "page": 3}).json()
    assert (page["count"], len(page["items"])) == (7, 1)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/orgs", {"kind": "ministry"}, "kind"),
        ("/orgs", {"parent": "x"}, "parent"),
        ("/orgs", {"page_size": 500}, "page_size"),
        ("/sites", {"kind": "airport"}, "kind"),
        ("/sites", {"region": "x"}, "region"),
        ("/teams", {"kind": "solo"}, "kind"),
        ("/teams", {"active": "perhaps"}, "active"),
    ],
)
def test_directory_query_params_are_validated(world, api_as, path, params, field):
    response = api_as("county_office").get(path, params)
    assert response.status_code == 422
    assert field_errors(response) == {field}


def test_sites(world, api_as):
    api = api_as("county_office")
    data = api.get("/sites").json()
    assert [i["name"] for i in data["items"]] == ["双桥区高速卡口"]
    item = data["items"][0]
    assert item["region"] == {"id": world.orgs["town"].pk, "name": "水泉沟镇"}
    assert item["kind"] == "checkpoint" and item["kind_label"]
    assert names(api.get("/sites", {"region": world.orgs["town"].pk})) == {"双桥区高速卡口"}
    assert names(api.get("/sites", {"kind": "market"})) == set()
    assert names(api_as("city_office").get("/sites")) == {"双桥区高速卡口", "双滦区农贸市场"}
    assert names(api_as("sibling_team_member").get("/sites")) == {"双滦区农贸市场"}


@pytest.mark.parametrize("region", ["sibling", "city", "county_dept"])
def test_sites_region_outside_the_jurisdiction_is_422(world, api_as, region):
    response = api_as("county_office").get("/sites", {"region": world.orgs[region].pk})
    assert response.status_code == 422
    assert response.json()["field"] == "region"


def test_teams(world, api_as):
    county = api_as("county_office").get("/teams").json()
    assert [t["id"] for t in county["items"]] == [world.teams["county_team"].pk]
    team = county["items"][0]
    assert team["dispatched_by"]["id"] == world.orgs["county_office"].pk
    assert team["regions"] == [{"id": world.orgs["county"].pk, "name": "双桥区"}]
    assert team["active"] is True
    city = api_as("city_office").get("/teams").json()
    assert city["count"] == Team.objects.count() == 3
    member = api_as("province_team_member").get("/teams").json()
    assert [t["id"] for t in member["items"]] == [world.teams["province_team"].pk]
    assert names(api_as("outsider").get("/teams")) == set()


def test_teams_list_costs_the_same_for_many_teams(world, api_as, django_assert_max_num_queries):
    api = api_as("city_office")
    for n in range(10):
        team = Team.objects.create(
            name=f"第{n}组", kind="special", dispatched_by=world.orgs["city_office"]
        )
        team.regions.add(world.orgs["county"], world.orgs["sibling"])
    with django_assert_max_num_queries(8):
        assert api.get("/teams", {"page_size": 200}).json()["count"] == 13


def test_me(world, api_as):
    data = api_as("county_office").get("/me", headers={"Accept-Language": "en"}).json()
    assert data["username"] == "county_office"
    assert data["name"] == "区督查办干部"
    assert data["language"] == "en"
    assert data["roles"] == [
        {
            "role": "office_staff",
            "label": data["roles"][0]["label"],
            "org": {"id": world.orgs["county_office"].pk, "name": "双桥区督查办"},
        }
    ]
    assert api_as("outsider").get("/me").json()["roles"] == []
    assert api_as("county_office").get("/me").json()["language"] == "zh-hans"
