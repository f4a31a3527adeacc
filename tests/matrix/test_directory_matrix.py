"""Every persona's org, site and team lists equal its jurisdiction, through the API."""

from __future__ import annotations

import pytest

from ducha.orgs.models import Org, Site, Team
from ducha.orgs.tree import UNIT_KINDS
from tests.matrix.harness import check_each, listed_ids
from tests.matrix.oracle import PERSONAS

pytestmark = pytest.mark.django_db

# The root of each persona's part of the tree (None: sees nothing).
JURISDICTION_ROOT: dict[str, str | None] = {
    "county_office": "county",
    "county_leader": "county",
    "county_discipline": "county",
    "county_admin": "county",
    "county_security_admin": "county",
    "county_audit_admin": "county",
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

# The security and audit administrators see the orgs of their jurisdiction (to find its
# accounts), not its sites: those are the system administrator's and the loop's.
ORGS_ONLY = {"county_security_admin", "county_audit_admin"}


def test_the_oracle_covers_every_persona():
    assert set(JURISDICTION_ROOT) == set(PERSONAS)


def _expected(world, persona: str) -> tuple[set[int], set[int]]:
    """Orgs and sites under the persona's root; sites lie in regions only."""
    root_key = JURISDICTION_ROOT[persona]
    if root_key is None:
        return set(), set()
    root = world.orgs[root_key]
    orgs = set(Org.objects.filter(path__startswith=root.path).values_list("pk", flat=True))
    sites = {
        site.pk
        for site in Site.objects.select_related("region")
        if root.is_region and site.region.path.startswith(root.path)
    }
    return orgs, set() if persona in ORGS_ONLY else sites


def test_org_and_site_lists_equal_the_subtree(world):
    check_each(
        world,
        lambda client: (
            listed_ids(client, "/orgs?page_size=200"),
            listed_ids(client, "/sites?page_size=200"),
        ),
        lambda persona: _expected(world, persona),
    )


def test_team_lists_follow_who_dispatched_them_and_where_they_work(world):
    teams = world.teams
    expected = {
        "county_office": {"county_team"},
        "county_admin": {"county_team"},
        "county_security_admin": set(),
        "county_audit_admin": set(),
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
    check_each(
        world,
        lambda client: listed_ids(client, "/teams?page_size=200"),
        lambda persona: {teams[key].pk for key in expected[persona]},
        personas=expected,
    )
    assert Team.objects.count() == len(teams)


def _looked_up(client, kind: str) -> set[int]:
    response = client.get(f"/api/v1/lookup/{kind}", {"limit": 50})
    assert response.status_code == 200, kind
    body = response.json()
    assert body["more"] is False, kind
    return {item["id"] for item in body["items"]}


def test_the_pickers_lookups_equal_the_lists(world):
    # The lookups name what the lists list: regions and units of the subtree, its sites,
    # and the teams the persona's team list holds.
    def expect(persona: str) -> tuple[set[int], set[int], set[int], set[int]]:
        orgs, sites = _expected(world, persona)
        kinds = Org.objects.filter(pk__in=orgs)
        regions = set(kinds.filter(kind="region").values_list("pk", flat=True))
        units = set(kinds.filter(kind__in=UNIT_KINDS).values_list("pk", flat=True))
        teams = {team.pk for team in Team.objects.visible_to(world.users[persona])}
        return regions, sites, units, teams

    check_each(
        world,
        lambda client: tuple(
            _looked_up(client, kind) for kind in ("regions", "sites", "units", "teams")
        ),
        expect,
    )
