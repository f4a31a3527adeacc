"""`ducha.suggestions.figures`, as a dashboard calls it: what the user sees, in a region and
a period, by sender, team and receiver, and the two adoption rates."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ducha.suggestions import figures
from ducha.suggestions.actions import do_respond
from tests.suggestions.conftest import suggest


def test_counts_by_side_region_and_period(world):
    handler = world.users["county_handler"]
    adopted = suggest(world)
    do_respond(adopted, acting_user=handler, state="adopted")
    declined = suggest(world, by="county_team_member")
    do_respond(declined, acting_user=handler, state="declined", response="不具备条件")
    suggest(world, to="county_market_dept")
    suggest(world, by="city_office", to="sibling_dept")
    city = world.users["city_office"]

    rows = figures.suggestions(city, region=world.orgs["county"])
    tally = figures.tally(rows)
    assert (tally.made, tally.answered, tally.taken_up, tally.waiting) == (3, 2, 1, 1)
    assert tally.rate_of_answered == Decimal("50.00")
    assert tally.rate_of_all == Decimal("33.33")
    assert figures.tally(figures.suggestions(city)).made == 4
    # The county office sees nothing of what the city sent next door.
    assert figures.tally(figures.suggestions(world.users["county_office"])).made == 3
    assert figures.tally(figures.suggestions(world.users["other_office"])).made == 0

    receivers = {org.pk: t.made for org, t in figures.by_receiver(rows)}
    assert receivers == {world.orgs["county_dept"].pk: 2, world.orgs["county_market_dept"].pk: 1}
    senders = {org.pk: t.made for org, t in figures.by_sender(rows)}
    assert senders == {world.orgs["county_office"].pk: 3}
    teams = [(team.pk, t.declined) for team, t in figures.by_team(rows)]
    assert teams == [(world.teams["county_team"].pk, 1)]

    later = timezone.now() + timedelta(minutes=1)
    assert figures.tally(figures.suggestions(city, since=later)).made == 0
    assert figures.tally(figures.suggestions(city, until=later)).made == 4
    empty = figures.tally(figures.suggestions(city, since=later))
    assert empty.rate_of_answered is None and empty.rate_of_all is None
