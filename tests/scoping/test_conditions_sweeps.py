"""The condition lines of the sweeps' querysets, one case each."""

from __future__ import annotations

import pytest

from ducha.accounts.choices import Role
from ducha.sweeps.models import SelfCheck, Sweep
from ducha.sweeps.querysets import SelfCheckQuerySet, SweepQuerySet
from tests.scoping.cases import Case, Rows, check_condition
from tests.world import World

pytestmark = pytest.mark.django_db

# Rows are written straight to the tables: these cases test the filters, not the actions.


def _sweep(w: World, office: str, units: tuple[str, ...] = ()) -> Sweep:
    office_org = w.orgs[office]
    region = office_org.region
    assert region is not None
    problem = w.problem(by=office, region=region_key(w, region))
    sweep = Sweep(
        origin=problem,
        office=office_org,
        region=region,
        focus_area=problem.focus_area,
        title="举一反三",
        check_text="自查",
        launched_by=w.users[office],
    )
    sweep.copy_levels_from(region)
    sweep.save()
    for unit in units:
        SelfCheck.objects.create(sweep=sweep, unit=w.orgs[unit])
    return sweep


def region_key(w: World, region: object) -> str:
    return next(key for key, org in w.orgs.items() if org == region)


def _check(w: World, office: str, unit: str) -> SelfCheck:
    return _sweep(w, office, (unit,)).checks.get()


def _launched_in_the_county(w: World) -> Rows:
    return Rows(
        [_sweep(w, "county_office"), _sweep(w, "town_office")],
        [_sweep(w, "sibling_office"), _sweep(w, "city_office")],
    )


def _asking_the_unit(w: World) -> Rows:
    return Rows(
        [_sweep(w, "county_office", ("county_dept",))],
        [_sweep(w, "county_office", ("county_market_dept",)), _sweep(w, "county_office")],
    )


def _checks_in_the_county(w: World) -> Rows:
    return Rows(
        [_check(w, "county_office", "county_dept"), _check(w, "town_office", "county_dept")],
        [_check(w, "sibling_office", "sibling_dept")],
    )


def _own_unit_checks(w: World) -> Rows:
    return Rows(
        [_check(w, "county_office", "county_dept")],
        [_check(w, "county_office", "county_market_dept")],
    )


CASES = [
    Case(SweepQuerySet, Role.OFFICE_STAFF, "county_office", _launched_in_the_county),
    Case(SweepQuerySet, Role.LEADER, "county_leader", _launched_in_the_county),
    Case(SweepQuerySet, Role.UNIT_HANDLER, "county_handler", _asking_the_unit),
    Case(SelfCheckQuerySet, Role.OFFICE_STAFF, "county_office", _checks_in_the_county),
    Case(SelfCheckQuerySet, Role.LEADER, "county_leader", _checks_in_the_county),
    Case(SelfCheckQuerySet, Role.UNIT_HANDLER, "county_handler", _own_unit_checks),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_condition(case: Case, world: World) -> None:
    check_condition(case, world)
