"""Every persona's org, site and team lists equal its jurisdiction, through the API."""

from __future__ import annotations

import pytest
from django.test import Client

from ducha.orgs.models import Org, Site, Team
from tests.matrix.oracle import PERSONAS
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

# The root of each persona's part of the tree (None: sees nothing).
JURISDICTION_ROOT: dict[str, str | None] = {
    "county_office": "county",
    "county_leader": "county",
    "county_discipline": "county",
    "county_admin": "county",
    "county_team_member": "county",
    "county_handler": "county_dept",
    "market_handler": "county_market_dept",
    "city_office": "city",
    "city_leader": "city",
    "city_command": "city",
    "province_office": "province",
    "province_leader": "province",
    "province_team_member": "city",
    "town_office": "town",
    "sibling_office": "sibling",
    "sibling_handler": "sibling_dept",
    "sibling_team_member": "sibling",
    "other_office": "other_province",
    "outsider": None,
}


def _ids(client: Client, path: str) -> set[int]:
    body = client.get(path, {"page_size": 200}).json()
    assert body["count"] == len(body["items"])
    return {item["id"] for item in body["items"]}


def test_the_oracle_covers_every_persona():
    assert set(JURISDICTION_ROOT) == set(PERSONAS)


def _expected(world, root_key: str | None) -> tuple[set[int], set[int]]:
    """Orgs and sites under the persona's root; sites lie in regions only."""
    if root_key is None:
        return set(), set()
    root = world.orgs[root_key]
    orgs = set(Org.objects.filter(path__startswith=root.path).values_list("pk", flat=True))
    sites = {
        site.pk
        for site in Site.objects.select_related("region")
        if root.is_region and site.region.path.startswith(root.path)
    }
    return orgs, sites


def test_org_and_site_lists_equal_the_subtree(world):
    mismatches = []
    for persona, root_key in JURISDICTION_ROOT.items():
        client = Client()
        assert client.login(username=world.users[persona].username, password=PASSWORD)
        orgs, sites = _expected(world, root_key)
        if _ids(client, "/api/v1/orgs") != orgs:
            mismatches.append(f"{persona}: orgs")
        if _ids(client, "/api/v1/sites") != sites:
            mismatches.append(f"{persona}: sites")
    assert not mismatches, "\n".join(mismatches)


def test_team_lists_follow_who_dispatched_them_and_where_they_work(world):
    teams = world.teams
    expected = {
        "county_office": {"county_team"},
        "county_team_member": {"county_team"},
        "city_office": set(teams),
        "province_office": set(teams),
        "sibling_office": {"sibling_team"},
        "province_team_member": {"province_team"},
        "county_handler": set(),
        "town_office": set(),
        "other_office": set(),
        "outsider": set(),
    }
    mismatches = []
    for persona, keys in expected.items():
        client = Client()
        assert client.login(username=world.users[persona].username, password=PASSWORD)
        wanted = {teams[key].pk for key in keys}
        if _ids(client, "/api/v1/teams") != wanted:
            mismatches.append(persona)
    assert not mismatches, mismatches
    assert Team.objects.count() == len(teams)
