"""The condition lines of the cadres' querysets (observations and the lists), one case each,
and the owner's reach: a team member's own observations, never a list."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ducha.accounts.choices import Role
from ducha.cadres.models import CadreCandidate, CadreObservation
from ducha.cadres.querysets import CandidateQuerySet, ObservationQuerySet
from tests.cadres.personas import add_organisation
from tests.scoping.cases import Case, Rows, check_condition
from tests.world import World

pytestmark = pytest.mark.django_db

# Rows are written straight to the tables: these cases test the filters, not the actions.


def _observation(w: World, org: str, by: str = "county_team_member") -> CadreObservation:
    unit = w.orgs[org]
    row = CadreObservation(
        person_name="程立新",
        person_post="科长",
        org=unit,
        region=unit.region,
        verdict="outstanding",
        facts="值守到位",
        observed_on=timezone.localdate(),
        recorded_by=w.users[by],
    )
    row.copy_levels_from(unit)
    row.save()
    return row


def _candidate(w: World, org: str) -> CadreCandidate:
    unit = w.orgs[org]
    row = CadreCandidate(
        list_kind="use",
        person_name=f"程立新{CadreCandidate.objects.count()}",
        person_post="科长",
        org=unit,
        region=unit.region,
        reasons="表现突出",
        listed_by=w.users["county_office"],
    )
    row.copy_levels_from(unit)
    row.save()
    return row


def _observations_in_the_county(w: World) -> Rows:
    add_organisation(w)
    # In the county and its town, not the neighbouring county.
    return Rows(
        [_observation(w, "county_dept"), _observation(w, "town_office")],
        [_observation(w, "sibling_dept")],
    )


def _candidates_in_the_county(w: World) -> Rows:
    add_organisation(w)
    return Rows(
        [_candidate(w, "county_dept"), _candidate(w, "town_office")],
        [_candidate(w, "sibling_dept")],
    )


CASES = [
    Case(
        ObservationQuerySet, Role.ORGANISATION, "county_organisation", _observations_in_the_county
    ),
    Case(CandidateQuerySet, Role.ORGANISATION, "county_organisation", _candidates_in_the_county),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_condition(case: Case, world: World) -> None:
    check_condition(case, world)


def test_a_recorder_reaches_their_own_observations_only(world: World) -> None:
    own = _observation(world, "sibling_dept")
    other = _observation(world, "county_dept", by="province_team_member")
    member = world.users["county_team_member"]
    assert set(CadreObservation.objects.visible_to(member)) == {own}
    assert CadreObservation.objects.roles_on(member, own.pk) == {"owner"}
    assert CadreObservation.objects.roles_on(member, other.pk) == frozenset()


def test_every_other_role_reaches_nothing(world: World) -> None:
    add_organisation(world)
    _observation(world, "county_dept")
    _candidate(world, "county_dept")
    for persona in (
        "county_office",
        "county_leader",
        "county_discipline",
        "city_command",
        "county_handler",
        "county_admin",
        "county_team_member",
    ):
        user = world.users[persona]
        assert not CadreCandidate.objects.visible_to(user).exists(), persona
        if persona != "county_team_member":
            assert not CadreObservation.objects.visible_to(user).exists(), persona
