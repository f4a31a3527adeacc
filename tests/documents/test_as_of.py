"""Figures as of an earlier day are replayed from the event log, and replaying up to now gives
exactly today's figures counted from the rows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from ducha.demo.clock import replay_clock
from ducha.documents.figures import end_of, figures_from_events, figures_now
from ducha.documents.kinds.common import problems_in
from ducha.problems import actions
from tests.documents.helpers import county, issue, list_stats

pytestmark = pytest.mark.django_db


def _at(days: int, hour: int) -> datetime:
    moment = timezone.localtime() - timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_replaying_to_now_gives_the_figures_of_the_rows(world):
    found = county(world)
    office = world.users["county_office"]
    # A disputed problem moved to another unit, and a closed one that came back.
    disputed = actions.do_dispute(
        found.open, acting_user=world.users["county_handler"], reason="不属本单位职责"
    )
    actions.do_decide_dispute(
        disputed,
        acting_user=office,
        decision="reassign",
        comment="改由市场监管局整改",
        responsible_org=world.orgs["county_market_dept"],
    )
    actions.do_reopen(found.on_time, acting_user=office, reason="回头看发现反弹")
    problems = problems_in(world.orgs["county"])
    now = timezone.now()
    assert figures_from_events(problems, now) == figures_now(problems, now)
    assert figures_now(problems, now).total("found") == 7


def test_a_bulletin_for_yesterday_states_the_end_of_yesterday(world, api_as):
    office = world.users["county_office"]
    dept = world.orgs["county_dept"]
    handler = world.users["county_handler"]
    # Moments are taken before the clock moves (under it, "now" is the replayed moment).
    found_at, recorded, closed = _at(4, 8), _at(3, 9), _at(2, 10)
    with replay_clock() as clock:
        clock.moment = recorded
        # Found four days ago: the 72 hours ran out yesterday morning.
        closed_before = world.problem(title="前天销号", found_at=found_at)
        closed_today = world.problem(title="今天才销号", found_at=found_at)
        came_back = world.problem(title="前天销号、今天反弹", found_at=found_at)
        for problem in (closed_before, closed_today, came_back):
            actions.do_assign(problem, acting_user=office, responsible_org=dept)
        clock.moment = closed
        for problem in (closed_before, came_back):
            actions.do_submit_rectification(problem, acting_user=handler, text="已整改")
            actions.do_verify(problem, acting_user=office, accept=True)
        clock.moment = None
        actions.do_submit_rectification(closed_today, acting_user=handler, text="已整改")
        actions.do_verify(closed_today, acting_user=office, accept=True)
        actions.do_reopen(came_back, acting_user=office, reason="回头看发现反弹")
        world.problem(title="今天才发现")
    api = api_as("county_office")
    yesterday = timezone.localdate() - timedelta(days=1)
    then = issue(api, "bulletin", as_of=yesterday.isoformat())["data"]
    # At the end of yesterday: three known, two closed, the third open and past its 72 hours.
    assert (then["found"], then["rectified"], then["open"], then["overdue"]) == (3, 2, 1, 1)
    assert [row["title"] for row in then["overdue_rows"]] == ["今天才销号"]
    assert then["moment"] == end_of(yesterday).isoformat()
    today = issue(api, "bulletin")["data"]
    shown = list_stats(api, region=world.orgs["county"].pk)
    assert (today["found"], today["rectified"]) == (shown["found"], shown["rectified"]) == (4, 2)


def test_a_future_day_is_refused_on_its_field(world, api_as):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = api_as("county_office").post(
        "/documents", {"kind": "bulletin", "as_of": tomorrow.isoformat()}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "as_of"
