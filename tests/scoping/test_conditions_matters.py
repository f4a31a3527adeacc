"""The condition and acting lines of the matters' querysets (batches handed down and their
handovers), one case each."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.accounts.choices import Role
from ducha.matters.choices import MatterAction
from ducha.matters.models import Matter, MatterBatch, MatterHandover
from ducha.matters.querysets import HandoverQuerySet, MatterBatchQuerySet
from tests.scoping.cases import Case, Rows, check_acting, check_condition
from tests.world import World

pytestmark = pytest.mark.django_db

# Rows are written straight to the tables: these cases test the filters, not the actions.

_numbers = itertools.count(1)


def _handover(w: World, issuer: str, to: str) -> MatterHandover:
    today = timezone.localdate()
    batch = MatterBatch.objects.create(
        issuing_office=w.orgs[issuer],
        year=today.year,
        number=next(_numbers),
        source_kind="meeting",
        issued_on=today,
        title="视频会商会议定事项",
        created_by=w.users["city_office"],
    )
    matter = Matter.objects.create(
        batch=batch, position=1, title="落实卡口值守", deadline=today + timedelta(days=7)
    )
    return MatterHandover.objects.create(matter=matter, office=w.orgs[to])


def _batches_of_the_county(w: World) -> Rows:
    # Issued in the county, or handed to an office in it; not the city's to a neighbour.
    return Rows(
        [
            _handover(w, "county_office", "town_office").matter.batch,
            _handover(w, "city_office", "town_office").matter.batch,
        ],
        [_handover(w, "city_office", "sibling_office").matter.batch],
    )


def _handovers_of_the_county(w: World) -> Rows:
    return Rows(
        [
            _handover(w, "city_office", "county_office"),
            _handover(w, "county_office", "town_office"),
        ],
        [_handover(w, "city_office", "sibling_office")],
    )


def _handovers_to_the_own_office(w: World) -> Rows:
    # The county office sees its towns' handovers; it signs and reports only its own.
    return Rows(
        [_handover(w, "city_office", "county_office")],
        [_handover(w, "city_office", "town_office")],
    )


def _handovers_issued_in_the_county(w: World) -> Rows:
    # What the county received from the city is urged and accepted by the city, not by it.
    return Rows(
        [_handover(w, "county_office", "town_office")],
        [_handover(w, "city_office", "county_office")],
    )


COUNTY_READERS = {Role.OFFICE_STAFF: "county_office", Role.LEADER: "county_leader"}

CASES = [
    *(
        Case(MatterBatchQuerySet, role, persona, _batches_of_the_county)
        for role, persona in COUNTY_READERS.items()
    ),
    *(
        Case(HandoverQuerySet, role, persona, _handovers_of_the_county)
        for role, persona in COUNTY_READERS.items()
    ),
]

OWN_WORK = (MatterAction.SIGN, MatterAction.BREAK_DOWN, MatterAction.REPORT)
ISSUERS_WORK = (MatterAction.URGE, MatterAction.ACCEPT)

ACTING = [
    *(
        Case(HandoverQuerySet, action, "county_office", _handovers_to_the_own_office)
        for action in OWN_WORK
    ),
    *(
        Case(HandoverQuerySet, action, "county_office", _handovers_issued_in_the_county)
        for action in ISSUERS_WORK
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_condition(case: Case, world: World) -> None:
    check_condition(case, world)


@pytest.mark.parametrize("case", ACTING, ids=lambda case: case.id)
def test_acting(case: Case, world: World) -> None:
    check_acting(case, world)
