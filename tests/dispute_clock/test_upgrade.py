"""A database upgraded with disputed problems in it: the migration takes them out of the
deadline buckets, so its dashboards are in step with the rows and the log at once."""

from __future__ import annotations

import importlib
from dataclasses import replace

import pytest
from django.apps import apps

from ducha.problems.choices import State
from ducha.problems.models import Problem
from ducha.problems.rollups import cells, horizon, rebuild, writes
from ducha.problems.rollups.facts import facts_of
from tests.dispute_clock.helpers import (
    assert_rollups_match_rows_and_events,
    overdue,
    overdue_and_disputed,
)

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "ducha.problems.rollups.migrations.0003_due_rows_for_clocked_states"
)


def counted_as_before_the_upgrade(problem: Problem) -> None:
    """Add the buckets the earlier version kept for a disputed problem: its moments were due
    like any open problem's."""
    as_open = replace(facts_of(problem), state=State.ASSIGNED)
    _, due = cells.contributions(as_open, horizon.window())
    writes.add_rows({}, due)


def test_the_migration_takes_disputed_problems_out_of_the_buckets(world, api_as):
    disputed = overdue_and_disputed(world)
    in_town = overdue_and_disputed(world, region="town", title="镇卡口无人值守")
    overdue(world)
    for problem in (disputed, in_town):
        counted_as_before_the_upgrade(problem)
    api = api_as("county_office")
    county = world.orgs["county"].pk
    assert api.get("/dashboard", {"region": county}).json()["totals"]["red"] == 3

    migration.clocked_only(apps, None)

    assert_rollups_match_rows_and_events()
    assert api.get("/dashboard", {"region": county}).json()["totals"]["red"] == 1


def test_going_back_counts_them_again(world):
    overdue_and_disputed(world)
    overdue(world)
    migration.every_open_state(apps, None)
    assert writes.differences(rebuild.expected_from_problems(), writes.stored()) != []
    migration.clocked_only(apps, None)
    assert_rollups_match_rows_and_events()


def test_a_rebuild_counts_disputed_problems_in_no_bucket(world):
    """On PostgreSQL the rebuild is set-based SQL: it must agree with the Python definition."""
    overdue_and_disputed(world)
    overdue_and_disputed(world, region="town", title="镇卡口无人值守")
    overdue(world)
    rebuild.rebuild()
    assert rebuild.check() == []
    assert rebuild.check(from_events=True) == []
