"""The condition and acting lines of accountability records and commendations, one case
each: a grant reaches the records located in its region, and withdraws what its own org
proposed unless its role decides."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ducha.accountability.choices import RecordAction
from ducha.accountability.models import Accountability, AccountabilityKind, Commendation
from ducha.accountability.querysets import AccountabilityQuerySet, CommendationQuerySet
from ducha.accounts.choices import Role
from tests.scoping.cases import Case, Rows, check_acting, check_condition
from tests.world import World

pytestmark = pytest.mark.django_db

# Rows are written straight to the tables: these cases test the filters, not the actions.


def _row(model, w: World, org: str, keeper: str = "county_office"):
    fields = {
        "subject_kind": "person",
        "person_name": "周海明",
        "org": w.orgs[org],
        "region": w.orgs[org].region,
        "keeper": w.orgs[keeper],
        "reason": "值守脱岗",
        "proposed_by": w.users["county_office"],
        "proposed_at": timezone.now(),
    }
    if model is Accountability:
        fields["kind"] = AccountabilityKind.objects.get(code="interview")
    else:
        fields["kind"] = "praise"
    row = model(**fields)
    row.copy_levels_from(fields["region"])
    row.save()
    return row


def _located(model):
    def rows(w: World) -> Rows:
        # In the county (or a town of it); not the neighbour's.
        return Rows(
            [_row(model, w, "county_dept"), _row(model, w, "town_office")],
            [_row(model, w, "sibling_dept")],
        )

    return rows


def _proposed_by_the_office(model):
    def rows(w: World) -> Rows:
        # Office staff do not decide accountability: they withdraw only what their office
        # proposed, not what the discipline body did.
        return Rows(
            [_row(model, w, "county_dept", keeper="county_office")],
            [_row(model, w, "county_dept", keeper="county_discipline")],
        )

    return rows


def _proposed_by_the_discipline_body(model):
    def rows(w: World) -> Rows:
        return Rows(
            [_row(model, w, "county_dept", keeper="county_discipline")],
            [_row(model, w, "county_dept", keeper="county_office")],
        )

    return rows


READERS = {
    Role.DISCIPLINE: "county_discipline",
    Role.LEADER: "county_leader",
    Role.OFFICE_STAFF: "county_office",
}

CASES = [
    *(
        Case(queryset, role, persona, _located(model))
        for queryset, model in (
            (AccountabilityQuerySet, Accountability),
            (CommendationQuerySet, Commendation),
        )
        for role, persona in READERS.items()
    ),
]

ACTING = [
    Case(
        AccountabilityQuerySet,
        RecordAction.WITHDRAW,
        "county_office",
        _proposed_by_the_office(Accountability),
    ),
    # The discipline body decides accountability but not commendations.
    Case(
        CommendationQuerySet,
        RecordAction.WITHDRAW,
        "county_discipline",
        _proposed_by_the_discipline_body(Commendation),
        role=Role.DISCIPLINE,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_condition(case: Case, world: World) -> None:
    check_condition(case, world)


@pytest.mark.parametrize("case", ACTING, ids=lambda case: case.id)
def test_acting(case: Case, world: World) -> None:
    check_acting(case, world)
