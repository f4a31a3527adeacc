"""A list of reports, summaries or agenda items costs the same number of queries however
long it is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ducha.daily import actions
from ducha.orgs.models import Team
from ducha.problems import actions as loop
from tests.daily.test_pages import login_as

pytestmark = pytest.mark.django_db


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured)


def _team(world, n: int) -> Team:
    team = Team.objects.create(
        name=f"第{n}督查组", kind="joint", dispatched_by=world.orgs["county_office"]
    )
    team.regions.add(world.orgs["county"])
    return team


def _grow(world, n: int) -> None:
    """One more team with a report, one more day's summary, one more item of each agenda kind."""
    day = timezone.localdate() - timedelta(days=n)
    actions.do_draft_report(_team(world, n), timezone.localdate())
    actions.do_draft_report(world.teams["county_team"], day)
    actions.do_draft_summary(world.orgs["county_office"], day)
    office, leader = world.users["county_office"], world.users["county_leader"]
    overdue = world.problem(title=f"超期{n}", found_at=timezone.now() - timedelta(days=4))
    loop.do_instruct(overdue, acting_user=leader, text="抓紧整改")
    world.problem(title=f"共性{n}", nature="common")
    disputed = world.assigned(title=f"异议{n}")
    loop.do_dispute(disputed, acting_user=world.users["county_handler"], reason="职责不符")
    urged = world.assigned(title=f"督办{n}")
    loop.do_urge(urged, acting_user=office)
    loop.do_urge(urged, acting_user=office)


PAGES = [
    "/daily/",
    "/daily/reports/",
    "/daily/summaries/",
    "/daily/agenda/",
    "/api/v1/daily/reports?page_size=200",
    "/api/v1/daily/summaries?page_size=200",
    "/api/v1/daily/agenda",
]


@pytest.mark.parametrize("path", PAGES)
def test_list_queries_do_not_grow_with_the_rows(world, client, path):
    client = login_as(client, world, "county_office")
    _grow(world, 1)
    one = _queries(client, path)
    for n in range(2, 6):
        _grow(world, n)
    assert _queries(client, path) == one


def test_a_team_members_list_does_not_grow_either(world, client):
    client = login_as(client, world, "county_team_member")
    _grow(world, 1)
    one = _queries(client, "/daily/reports/")
    for n in range(2, 6):
        _grow(world, n)
    assert _queries(client, "/daily/reports/") == one
    # Its own team's five days, none of the other teams' reports.
    assert client.get("/daily/reports/").content.decode().count("data-report=") == 5
