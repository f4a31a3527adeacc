"""When the office decides, the time the dispute waited is added to the deadline (and to the
moment the light turns yellow), unless the office sets a deadline itself; the log replays it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from ducha.problems.models import Problem, ProblemEvent
from tests.dispute_clock.helpers import (
    assert_rollups_match_rows_and_events,
    assigned_at,
    disputed_at,
    upheld_at,
)

pytestmark = pytest.mark.django_db


def decide(api, problem: Problem, **body):
    response = api.act(problem, "decide_dispute", comment="经核查仍由本单位办理", **body)
    assert response.status_code == 200, response.content
    return response.json()


def last_decision(problem: Problem) -> ProblemEvent:
    return ProblemEvent.objects.filter(problem=problem, action="decide_dispute").latest("pk")


def test_upholding_adds_the_wait_to_the_deadline_and_the_yellow_moment(world, api_as):
    now = timezone.now()
    problem = assigned_at(world, now - timedelta(hours=30))
    deadline, yellow_at = problem.deadline, problem.yellow_at
    problem = disputed_at(world, problem, now - timedelta(hours=5))
    decide(api_as("county_office"), problem, decision="uphold")
    problem.refresh_from_db()
    event = last_decision(problem)
    waited = event.created_at - (now - timedelta(hours=5))
    paused = event.payload["paused_seconds"]
    assert paused == int(waited.total_seconds()) >= 5 * 3600
    assert problem.deadline == deadline + timedelta(seconds=paused)
    assert problem.yellow_at == yellow_at + timedelta(seconds=paused)
    assert datetime.fromisoformat(event.payload["deadline"]) == problem.deadline
    assert datetime.fromisoformat(event.payload["yellow_at"]) == problem.yellow_at
    assert_rollups_match_rows_and_events()


def test_reassigning_adds_the_wait_too(world, api_as):
    now = timezone.now()
    problem = assigned_at(world, now - timedelta(hours=80))  # due about 8 hours ago
    deadline = problem.deadline
    problem = disputed_at(world, problem, now - timedelta(hours=5))  # already 3 hours late
    body = decide(
        api_as("county_office"),
        problem,
        decision="reassign",
        responsible_org=world.orgs["county_market_dept"].pk,
    )
    problem.refresh_from_db()
    paused = last_decision(problem).payload["paused_seconds"]
    assert problem.deadline == deadline + timedelta(seconds=paused)
    # Red before the dispute, red again after it: the unit's 3 hours late stay late.
    assert body["light"] == "red"
    assert_rollups_match_rows_and_events()


def test_a_deadline_set_by_the_office_is_taken_as_it_is(world, api_as):
    now = timezone.now()
    problem = assigned_at(world, now - timedelta(hours=30))
    problem = disputed_at(world, problem, now - timedelta(hours=5))
    chosen = (now + timedelta(days=2)).replace(microsecond=0)
    decide(api_as("county_office"), problem, decision="uphold", deadline=chosen.isoformat())
    problem.refresh_from_db()
    assert problem.deadline == chosen
    event = last_decision(problem)
    assert datetime.fromisoformat(event.payload["deadline"]) == chosen
    assert event.payload["paused_seconds"] >= 5 * 3600  # recorded, not added
    assert_rollups_match_rows_and_events()


def test_a_problem_disputed_twice_adds_each_wait(world, api_as):
    now = timezone.now()
    problem = assigned_at(world, now - timedelta(hours=40))
    deadline = problem.deadline
    problem = disputed_at(world, problem, now - timedelta(hours=20))
    problem = upheld_at(world, problem, now - timedelta(hours=18))
    first = last_decision(problem).payload["paused_seconds"]
    assert first == 2 * 3600
    problem = disputed_at(world, problem, now - timedelta(hours=6))
    decide(api_as("county_office"), problem, decision="uphold")
    problem.refresh_from_db()
    second = last_decision(problem).payload["paused_seconds"]
    assert second >= 6 * 3600
    assert problem.deadline == deadline + timedelta(seconds=first + second)
    assert_rollups_match_rows_and_events()


def test_the_event_log_page_says_how_long_the_clock_stood_still(world, login, api_as):
    now = timezone.now()
    problem = assigned_at(world, now - timedelta(hours=30))
    problem = disputed_at(world, problem, now - timedelta(hours=5))
    decide(api_as("county_office"), problem, decision="uphold")
    page = login(world, "county_office").get(f"/problems/{problem.pk}/").content.decode()
    assert "异议期间计时暂停" in page
