"""The condition and acting lines of the policies' queryset, one case each."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ducha.accounts.choices import Role
from ducha.policies.choices import PolicyAction
from ducha.policies.models import Policy, PolicyProblem
from ducha.policies.querysets import PolicyQuerySet
from ducha.problems.models import Problem
from tests.scoping.cases import Case, Rows, check_acting, check_condition
from tests.world import World

pytestmark = pytest.mark.django_db

# Rows are written straight to the tables: these cases test the filters, not the actions.


def _policy(w: World, body: str, *problems: Problem) -> Policy:
    policy = Policy.objects.create(
        title="政策措施",
        text="措施",
        issuing_body=w.orgs[body],
        issued_on=timezone.localdate(),
        focus_area_id=problems[0].focus_area_id if problems else 1,
        adopted_by=w.users["city_command"],
    )
    for problem in problems:
        PolicyProblem.objects.create(policy=policy, problem=problem, linked_by=policy.adopted_by)
    return policy


def _county(w: World) -> Problem:
    return w.problem(nature="common")


def _sibling(w: World) -> Problem:
    return w.problem(by="sibling_office", region="sibling", nature="common")


def _issued_in_the_county_or_answering_its_problem(w: World) -> Rows:
    # The county's own office issued one; the city HQ's answers a county problem; the city's
    # other policy and the sibling's answer nothing the county sees.
    return Rows(
        [_policy(w, "county_office", _sibling(w)), _policy(w, "city_command", _county(w))],
        [_policy(w, "city_command", _sibling(w)), _policy(w, "sibling_office", _sibling(w))],
    )


def _issued_in_the_city(w: World) -> Rows:
    outside = w.problem(by="other_office", region="other_province", nature="common")
    return Rows(
        [_policy(w, "city_command", _county(w)), _policy(w, "sibling_office", _sibling(w))],
        [_policy(w, "other_office", outside)],
    )


def _answering_the_units_problem(w: World) -> Rows:
    def other() -> Problem:
        return w.assigned(unit="county_market_dept", nature="common")

    return Rows(
        [_policy(w, "city_command", w.assigned(nature="common"))],
        [_policy(w, "city_command", other()), _policy(w, "county_office", other())],
    )


def _answering_what_the_team_sees(w: World) -> Rows:
    return Rows([_policy(w, "city_command", _county(w))], [_policy(w, "city_command", _sibling(w))])


def _issued_by_the_hqs_jurisdiction(w: World) -> Rows:
    # The HQ sees a policy issued elsewhere that answers a problem of its city; it links
    # problems only to those issued in its own jurisdiction.
    return Rows(
        [_policy(w, "city_command", _county(w))],
        [_policy(w, "province_office", _county(w))],
    )


CASES = [
    Case(
        PolicyQuerySet,
        Role.OFFICE_STAFF,
        "county_office",
        _issued_in_the_county_or_answering_its_problem,
    ),
    Case(
        PolicyQuerySet, Role.LEADER, "county_leader", _issued_in_the_county_or_answering_its_problem
    ),
    Case(
        PolicyQuerySet,
        Role.DISCIPLINE,
        "county_discipline",
        _issued_in_the_county_or_answering_its_problem,
    ),
    Case(PolicyQuerySet, Role.COMMAND, "city_command", _issued_in_the_city),
    Case(PolicyQuerySet, Role.UNIT_HANDLER, "county_handler", _answering_the_units_problem),
    Case(PolicyQuerySet, Role.TEAM_MEMBER, "county_team_member", _answering_what_the_team_sees),
]

ACTING = [
    Case(
        PolicyQuerySet,
        PolicyAction.LINK,
        "city_command",
        _issued_by_the_hqs_jurisdiction,
        role=Role.COMMAND,
    ),
    # The document, likewise: only to a policy issued in its own jurisdiction.
    Case(
        PolicyQuerySet,
        PolicyAction.ATTACH,
        "city_command",
        _issued_by_the_hqs_jurisdiction,
        role=Role.COMMAND,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_condition(case: Case, world: World) -> None:
    check_condition(case, world)


@pytest.mark.parametrize("case", ACTING, ids=lambda case: case.id)
def test_acting(case: Case, world: World) -> None:
    check_acting(case, world)
