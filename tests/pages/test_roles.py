"""Every page for every persona: the status each role should get."""

import pytest

from tests.pages.helpers import text

pytestmark = pytest.mark.django_db

MAY_CREATE = {
    "province_office",
    "city_office",
    "county_office",
    "town_office",
    "sibling_office",
    "other_office",
    "county_team_member",
    "province_team_member",
    "sibling_team_member",
}
SEES_COUNTY_PROBLEM = {
    "province_office",
    "province_leader",
    "city_office",
    "city_leader",
    "county_office",
    "county_leader",
    "county_discipline",
    "county_team_member",
    "province_team_member",
    "county_handler",  # the problem is assigned to the county health bureau
}
PERSONAS = [
    "province_office",
    "province_leader",
    "city_office",
    "city_leader",
    "city_command",
    "county_office",
    "county_leader",
    "county_discipline",
    "county_admin",
    "county_security_admin",
    "county_audit_admin",
    "county_handler",
    "market_handler",
    "town_office",
    "sibling_office",
    "sibling_handler",
    "other_office",
    "outsider",
    "county_team_member",
    "province_team_member",
    "sibling_team_member",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_for_each_persona(world, login, persona):
    problem = world.assigned()
    client = login(world, persona)

    assert client.get("/problems/queue/").status_code == 200
    listing = client.get("/problems/")
    assert listing.status_code == 200
    assert (f'data-problem="{problem.pk}"' in text(listing)) == (persona in SEES_COUNTY_PROBLEM)
    assert client.get("/problems/new/").status_code == (200 if persona in MAY_CREATE else 403)
    expected = 200 if persona in SEES_COUNTY_PROBLEM else 404
    assert client.get(f"/problems/{problem.pk}/").status_code == expected
    assert client.get("/accounts/tokens/").status_code == 200
