"""Who opens which dashboard: role × relation to the county, over the page and the API.

Expected outcomes come from the oracle's personas (written from the rules, not the code):
region-wide roles and team members open the dashboard of a region inside their own regions;
everyone else gets 404, as for a region that does not exist.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.matrix.harness import client_for
from tests.matrix.oracle import PERSONAS
from tests.reports.walk import random_walk

pytestmark = pytest.mark.django_db

REGION_ROLES = {"office_staff", "leader", "discipline", "team_member"}


def opens_county(persona: str) -> bool:
    role, relation = PERSONAS[persona]
    return role in REGION_ROLES and relation in {"self", "ancestor"}


@pytest.mark.parametrize("persona", sorted(PERSONAS))
@pytest.mark.parametrize("channel", ["page", "api"])
def test_the_county_dashboard_by_role_and_relation(world, persona, channel):
    world.problem()
    county = world.orgs["county"].pk
    client = client_for(world, persona)
    if channel == "page":
        response = client.get(f"/reports/regions/{county}/")
    else:
        response = client.get("/api/v1/dashboard", {"region": county})
    assert response.status_code == (200 if opens_county(persona) else 404)
    if response.status_code == 200 and channel == "api":
        assert response.json()["totals"]["found"] == 1


@pytest.mark.parametrize("channel", ["page", "api"])
def test_missing_regions_and_non_regions_read_as_missing(world, channel):
    client = client_for(world, "province_office")
    for target in (999_999, world.orgs["county_dept"].pk, world.orgs["county_office"].pk):
        if channel == "page":
            assert client.get(f"/reports/regions/{target}/").status_code == 404
        else:
            assert client.get("/api/v1/dashboard", {"region": target}).status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(world, anonymous):
    county = world.orgs["county"].pk
    response = Client().get(f"/reports/regions/{county}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert anonymous.get("/dashboard").status_code == 401


def test_without_a_role_there_is_nothing_to_count(world, api_as):
    world.problem()
    page = client_for(world, "outsider").get("/reports/")
    assert page.status_code == 200
    assert 'data-testid="no-jurisdiction"' in page.content.decode()
    assert 'data-testid="figures"' not in page.content.decode()
    assert api_as("outsider").get("/dashboard").status_code == 404


def test_a_token_reads_the_dashboard_like_a_session(world, token_as):
    world.problem()
    response = token_as("county_office").get("/dashboard")
    assert response.status_code == 200
    assert response.json()["title"] == "双桥区"


def test_the_json_has_the_documented_shape(world, api_as):
    from ducha.reports.schemas import DashboardOut

    random_walk(world, 21, problems=10, steps=40)
    for persona, query in (("city_office", {}), ("county_office", {"days": 7})):
        response = api_as(persona).get("/dashboard", query)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        body = DashboardOut.model_validate(response.json())
        assert body.totals.found == sum(line.counts.found for line in body.by_region) + (
            body.own_level.counts.found if body.own_level else 0
        )
        assert len(body.trend) == (query.get("days") or 30)
    schema = api_as("city_office").get("/openapi.json").json()
    assert "DashboardOut" in schema["components"]["schemas"]


def test_a_trend_of_another_length_is_refused(world, api_as):
    response = api_as("county_office").get("/dashboard", {"days": 5})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "days"
    assert response.json()["detail"][0]["msg"] == "请选择有效的选项，所选内容不在可选范围内。"
