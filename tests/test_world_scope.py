"""Jurisdictions at the queryset level; the HTTP matrix lives in test_permission_matrix."""

import pytest

from ducha.orgs.models import Org, Site, Team
from ducha.problems.models import Problem

pytestmark = pytest.mark.django_db

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
}


def test_every_persona_sees_exactly_its_subtree(world):
    county_problem = world.problem()
    town_problem = world.problem(region="town")
    sibling_problem = world.problem(by="sibling_office", region="sibling")
    for key, user in world.users.items():
        visible = set(Problem.objects.visible_to(user).values_list("pk", flat=True))
        expected = set()
        if key in SEES_COUNTY_PROBLEM:
            expected |= {county_problem.pk, town_problem.pk}
        if key == "town_office":
            expected |= {town_problem.pk}
        if key in {
            "province_office",
            "province_leader",
            "city_office",
            "city_leader",
            "sibling_office",
            "sibling_team_member",
            "province_team_member",
        }:
            expected |= {sibling_problem.pk}
        assert visible == expected, key


def test_unit_handler_sees_only_problems_assigned_to_its_unit(world):
    mine = world.assigned("county_dept")
    world.assigned("county_market_dept")
    world.problem()
    visible = list(Problem.objects.visible_to(world.users["county_handler"]))
    assert visible == [mine]


def test_command_sees_common_problems_and_what_is_reported_to_it(world):
    common = world.problem(nature="common")
    world.problem()
    visible = list(Problem.objects.visible_to(world.users["city_command"]))
    assert visible == [common]


def test_no_membership_sees_nothing(world):
    world.problem()
    outsider = world.users["outsider"]
    assert not Problem.objects.visible_to(outsider).exists()
    assert not Org.objects.visible_to(outsider).exists()
    assert not Site.objects.visible_to(outsider).exists()
    assert not Team.objects.visible_to(outsider).exists()


def test_orgs_sites_and_teams_follow_the_region_subtree(world):
    county_office = world.users["county_office"]
    orgs = set(Org.objects.visible_to(county_office))
    assert world.orgs["town"] in orgs and world.orgs["county_dept"] in orgs
    assert world.orgs["sibling"] not in orgs and world.orgs["city"] not in orgs
    assert list(Site.objects.visible_to(county_office)) == [world.sites["checkpoint"]]
    assert set(Team.objects.visible_to(county_office)) == {world.teams["county_team"]}
    # The city sees its counties' teams and the province's team stationed with it.
    assert set(Team.objects.visible_to(world.users["city_office"])) == set(world.teams.values())
