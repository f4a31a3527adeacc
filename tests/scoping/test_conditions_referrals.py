"""The condition and acting lines of the referrals' queryset, one case each."""

from __future__ import annotations

import pytest

from ducha.accounts.choices import Role
from ducha.referrals.choices import RECEIVER_ACTIONS
from ducha.referrals.models import Referral
from ducha.referrals.querysets import ReferralQuerySet
from tests.referrals.conftest import add_receiving_bodies
from tests.scoping.cases import Case, Rows, check_acting, check_condition
from tests.world import World

pytestmark = pytest.mark.django_db

# Rows are written straight to the tables: these cases test the filters, not the actions.


def _referral(w: World, region: str, receiver: str) -> Referral:
    problem = w.problem(by="city_office", region=region)
    referral = Referral(
        problem=problem,
        region=w.orgs[region],
        referring_office=w.orgs["city_office"],
        receiver=w.orgs[receiver],
        facts="线索",
        referred_by=w.users["city_office"],
    )
    referral.copy_levels_from(w.orgs[region])
    referral.save()
    return referral


def _in_the_county(w: World) -> Rows:
    return Rows(
        [_referral(w, "county", "county_discipline"), _referral(w, "town", "county_police")],
        [_referral(w, "sibling", "city_discipline")],
    )


def _addressed_to_the_county_or_below(w: World) -> Rows:
    # The county body's own, and none to the police or the city body, in the county or not.
    return Rows(
        [_referral(w, "county", "county_discipline")],
        [
            _referral(w, "county", "county_police"),
            _referral(w, "county", "city_discipline"),
            _referral(w, "sibling", "sibling_discipline"),
        ],
    )


def _of_the_city_bodies(w: World) -> Rows:
    # A body above reads what its region's discipline bodies were given, not the police's.
    return Rows(
        [
            _referral(w, "county", "county_discipline"),
            _referral(w, "sibling", "sibling_discipline"),
            _referral(w, "county", "city_discipline"),
        ],
        [_referral(w, "county", "county_police")],
    )


def _addressed_to_the_police_itself(w: World) -> Rows:
    return Rows(
        [_referral(w, "county", "county_police")],
        [_referral(w, "town", "town_police"), _referral(w, "county", "county_discipline")],
    )


def _the_city_bodys_own(w: World) -> Rows:
    # It reads the county body's referral; deciding it is the county body's.
    return Rows(
        [_referral(w, "county", "city_discipline")],
        [_referral(w, "county", "county_discipline")],
    )


CASES = [
    Case(ReferralQuerySet, Role.OFFICE_STAFF, "county_office", _in_the_county),
    Case(ReferralQuerySet, Role.LEADER, "county_leader", _in_the_county),
    Case(ReferralQuerySet, Role.DISCIPLINE, "county_discipline", _addressed_to_the_county_or_below),
    Case(ReferralQuerySet, Role.POLICE, "county_police", _addressed_to_the_police_itself),
]

ACTING = [
    Case(ReferralQuerySet, action, "city_discipline", _the_city_bodys_own, role=Role.DISCIPLINE)
    for action in RECEIVER_ACTIONS
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_condition(case: Case, world: World) -> None:
    add_receiving_bodies(world)
    check_condition(case, world)


@pytest.mark.parametrize("case", ACTING, ids=lambda case: case.id)
def test_acting(case: Case, world: World) -> None:
    add_receiving_bodies(world)
    check_acting(case, world)


def test_a_body_above_reads_its_regions_discipline_referrals(world: World) -> None:
    add_receiving_bodies(world)
    check_condition(
        Case(ReferralQuerySet, Role.DISCIPLINE, "city_discipline", _of_the_city_bodies), world
    )
