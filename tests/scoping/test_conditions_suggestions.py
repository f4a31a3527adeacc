"""The condition and acting lines of the suggestions' queryset, one case each."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ducha.accounts.choices import Role
from ducha.orgs.models import Team
from ducha.suggestions.choices import SuggestionAction
from ducha.suggestions.models import Suggestion
from ducha.suggestions.querysets import SuggestionQuerySet
from tests.scoping.cases import Case, Rows, check_acting, check_condition
from tests.world import World

pytestmark = pytest.mark.django_db

# Rows are written straight to the table: these cases test the filters, not the actions.


def _suggestion(w: World, sender: str, to: str, team: Team | None = None) -> Suggestion:
    receiver = w.orgs[to]
    region = receiver.region
    assert region is not None
    row = Suggestion(
        sender=w.orgs[sender],
        team=team,
        receiver=receiver,
        region=region,
        title="建议",
        text="建议内容",
        made_by=w.users["county_office"],
        made_at=timezone.now(),
    )
    row.copy_levels_from(region)
    row.save()
    return row


def _sent_or_received_in_the_county(w: World) -> Rows:
    # Sent from the county, or to an org in it; not the city's to a neighbour.
    return Rows(
        [
            _suggestion(w, "county_office", "city_command"),
            _suggestion(w, "city_office", "county_dept"),
        ],
        [_suggestion(w, "city_office", "sibling_dept")],
    )


def _the_own_teams(w: World) -> Rows:
    # A team member sees what their team sent, not what their office sent without them.
    return Rows(
        [_suggestion(w, "county_office", "county_dept", w.teams["county_team"])],
        [_suggestion(w, "county_office", "county_dept")],
    )


def _received_by_the_unit(w: World) -> Rows:
    return Rows(
        [_suggestion(w, "county_office", "county_dept")],
        [_suggestion(w, "county_office", "county_market_dept")],
    )


def _received_by_the_command(w: World) -> Rows:
    return Rows(
        [_suggestion(w, "city_office", "city_command")],
        [_suggestion(w, "city_office", "county_dept")],
    )


def _received_by_the_own_office(w: World) -> Rows:
    # The county office sees what its towns receive and what it sent; it answers only
    # what it received itself.
    return Rows(
        [_suggestion(w, "city_office", "county_office")],
        [
            _suggestion(w, "county_office", "town_office"),
            _suggestion(w, "county_office", "county_dept"),
        ],
    )


CASES = [
    Case(SuggestionQuerySet, Role.OFFICE_STAFF, "county_office", _sent_or_received_in_the_county),
    Case(SuggestionQuerySet, Role.LEADER, "county_leader", _sent_or_received_in_the_county),
    Case(SuggestionQuerySet, Role.TEAM_MEMBER, "county_team_member", _the_own_teams),
    Case(SuggestionQuerySet, Role.UNIT_HANDLER, "county_handler", _received_by_the_unit),
    Case(SuggestionQuerySet, Role.COMMAND, "city_command", _received_by_the_command),
]

ACTING = [
    Case(
        SuggestionQuerySet, SuggestionAction.RESPOND, "county_office", _received_by_the_own_office
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_condition(case: Case, world: World) -> None:
    check_condition(case, world)


@pytest.mark.parametrize("case", ACTING, ids=lambda case: case.id)
def test_acting(case: Case, world: World) -> None:
    check_acting(case, world)
