"""The condition lines of the enterprise ledger's queryset, one case each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.accounts.choices import Role
from ducha.resumption.models import Enterprise
from ducha.resumption.querysets import EnterpriseQuerySet
from tests.scoping.cases import Case, Rows, check_condition
from tests.world import World

pytestmark = pytest.mark.django_db

# Rows are written straight to the table: these cases test the filters, not the actions.


def _enterprise(w: World, region: str, supervisor: str | None = None) -> Enterprise:
    row = Enterprise(
        kind="enterprise",
        name="企业",
        category="industry_other",
        region=w.orgs[region],
        supervisor=w.orgs[supervisor] if supervisor else None,
        registered_on=timezone.localdate() - timedelta(days=10),
        created_by=w.users["county_office"],
    )
    row.copy_levels_from(w.orgs[region])
    row.save()
    return row


def _located_in_the_county(w: World) -> Rows:
    # The county's own and its town's; not the neighbouring county's.
    return Rows([_enterprise(w, "county"), _enterprise(w, "town")], [_enterprise(w, "sibling")])


def _located_in_the_city(w: World) -> Rows:
    return Rows([_enterprise(w, "sibling")], [_enterprise(w, "other_province")])


def _supervised_by_the_unit(w: World) -> Rows:
    return Rows(
        [_enterprise(w, "town", "county_dept")],
        [_enterprise(w, "town", "county_market_dept"), _enterprise(w, "town")],
    )


CASES = [
    Case(EnterpriseQuerySet, Role.OFFICE_STAFF, "county_office", _located_in_the_county),
    Case(EnterpriseQuerySet, Role.LEADER, "county_leader", _located_in_the_county),
    Case(EnterpriseQuerySet, Role.COMMAND, "city_command", _located_in_the_city),
    Case(EnterpriseQuerySet, Role.TEAM_MEMBER, "county_team_member", _located_in_the_county),
    Case(EnterpriseQuerySet, Role.UNIT_HANDLER, "county_handler", _supervised_by_the_unit),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_condition(case: Case, world: World) -> None:
    check_condition(case, world)
