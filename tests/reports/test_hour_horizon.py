"""Hour buckets are kept from today to the horizon only, and the lights stay exact whether or
not the horizon was moved on in time (decision 0023)."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ducha.celery import beat_schedule
from ducha.problems.models import FocusArea
from ducha.problems.rollups import horizon, rebuild
from ducha.problems.rollups.cells import day_of, local_day
from ducha.problems.rollups.choices import Grain
from ducha.problems.rollups.facts import facts_of
from ducha.problems.rollups.models import DueCell, HourHorizon
from ducha.problems.rollups.tasks import ADVANCE_HOUR_HORIZON
from ducha.problems.rollups.writes import differences, record_change, stored
from tests.dispute_clock.helpers import assigned_at, clock_at
from tests.reports.test_figures import three_ways
from tests.world import build_world

pytestmark = pytest.mark.django_db


def hour_days() -> set[int]:
    buckets = DueCell.objects.filter(grain=Grain.HOUR).values_list("bucket", flat=True)
    return {bucket // 24 for bucket in buckets}


def red_and_yellow(api_as, county_pk: int) -> tuple[int, int]:
    """The county's dashboard as its office reads it now (signed in now: the clock moves)."""
    api = api_as("county_office")
    totals = api.get("/dashboard", {"region": county_pk}).json()["totals"]
    return totals["red"], totals["yellow"]


def test_a_deadline_beyond_the_horizon_gets_its_hours_when_its_day_comes(world, api_as):
    now = timezone.now()
    problem = assigned_at(world, now - timedelta(minutes=5))  # 72 hours to fix
    deadline_day = local_day(problem.deadline)
    last = HourHorizon.objects.get().last_day
    assert deadline_day > last
    assert deadline_day not in hour_days()  # nothing kept for that day yet

    county = world.orgs["county"].pk
    the_day_before = problem.deadline - timedelta(days=1)
    with clock_at(the_day_before):
        assert rebuild.advance_horizon() >= 1
        assert HourHorizon.objects.get().last_day >= deadline_day
        assert deadline_day in hour_days()
        assert local_day(now) not in hour_days()  # days gone by are pruned
        assert differences(rebuild.expected_from_problems(), stored()) == []
        assert rebuild.advance_horizon() == 0  # done already: nothing to do
    with clock_at(problem.deadline + timedelta(hours=2)):
        assert red_and_yellow(api_as, county) == (1, 0)
        roots, children = [(3, county)], [world.orgs["town"]]
        rollups, problems, _ = three_ways(roots, children, timezone.now())
        assert rollups == problems


def test_without_a_horizon_no_hours_are_kept_and_the_lights_stay_exact(world, api_as):
    HourHorizon.objects.all().delete()
    DueCell.objects.filter(grain=Grain.HOUR).delete()
    now = timezone.now()
    # Due yesterday evening, and today a little after now: red, then yellow turning red.
    late = assigned_at(world, now - timedelta(hours=80))
    soon = assigned_at(world, now - timedelta(hours=71), title="隔离点消杀记录缺失")
    assert hour_days() == set()
    assert horizon.window()[1] < horizon.window()[0]  # an empty window

    county = world.orgs["county"].pk
    roots, children = [(3, county)], [world.orgs["town"]]
    for moment in (now, soon.deadline + timedelta(minutes=1), now + timedelta(hours=6)):
        with clock_at(moment):
            rollups, problems, _ = three_ways(roots, children, moment)
            assert rollups == problems, moment
    with clock_at(soon.deadline + timedelta(minutes=1)):
        assert red_and_yellow(api_as, county)[0] == 2
    assert late.deadline < now

    rebuild.advance_horizon()
    assert HourHorizon.objects.get().last_day == horizon.today() + 1
    assert local_day(soon.deadline) in hour_days()
    assert differences(rebuild.expected_from_problems(), stored()) == []
    with clock_at(soon.deadline + timedelta(minutes=1)):
        assert red_and_yellow(api_as, county)[0] == 2


def test_a_rebuild_keeps_the_hours_of_the_window_only(world):
    now = timezone.now()
    assigned_at(world, now - timedelta(hours=60))  # due today or tomorrow
    assigned_at(world, now, title="隔离点消杀记录缺失")  # due in three days
    rebuild.rebuild()
    first, last = horizon.window()
    assert hour_days() and all(first <= day <= last for day in hour_days())
    assert rebuild.check() == []
    assert rebuild.check(from_events=True) == []


def tomorrows_hours() -> int:
    """Deadlines in the country's hour buckets of tomorrow."""
    tomorrow = horizon.today() + 1
    rows = DueCell.objects.filter(
        scope_level=0,
        dim=0,
        grain=Grain.HOUR,
        bucket__gte=tomorrow * 24,
        bucket__lt=(tomorrow + 1) * 24,
    )
    return sum(rows.values_list("due", flat=True))


def test_an_actions_write_keeps_the_hours_up_to_the_horizon_in_one_round_trip(world):
    """On PostgreSQL the horizon's lock and read travel with the rollup statements, which
    keep the hour buckets up to the horizon as it stands once the lock is held."""
    today = horizon.today()
    HourHorizon.objects.update_or_create(pk=1, defaults={"last_day": today})
    area = FocusArea.objects.get(code="screening")
    tomorrow_noon = timezone.make_aware(datetime.combine(day_of(today + 1), time(12)))
    made = world.problem(found_at=tomorrow_noon - timedelta(hours=area.allowed_hours("normal")))
    assert local_day(made.deadline) == today + 1
    assert tomorrows_hours() == 0  # beyond the horizon: not kept
    assert rebuild.advance_horizon() == 1
    assert tomorrows_hours() == 1  # counted in from the problems
    facts = facts_of(made)
    for before, after, hours in ((facts, None, 0), (None, facts, 1)):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            record_change(before, after)
        if connection.vendor == "postgresql":
            assert len(queries) == 1
        assert tomorrows_hours() == hours  # within the horizon now: kept by the write
    assert differences(rebuild.expected_from_problems(), stored()) == []


def test_the_scheduler_moves_the_horizon_on_every_hour():
    entries = [entry for entry in beat_schedule().values() if entry["task"] == ADVANCE_HOUR_HORIZON]
    assert len(entries) == 1
    assert entries[0]["schedule"].minute == {7}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_under_way_is_counted_in_when_the_horizon_moves_on():
    """The horizon's lock: a problem recorded while the coming day is being counted in is
    either in that count or keeps its own hour buckets, never neither."""
    world = build_world()
    today = horizon.today()
    HourHorizon.objects.update_or_create(pk=1, defaults={"last_day": today})
    area = FocusArea.objects.get(code="screening")
    tomorrow_noon = timezone.make_aware(datetime.combine(day_of(today + 1), time(12)))
    found_at = tomorrow_noon - timedelta(hours=area.allowed_hours("normal"))
    assert found_at < timezone.now()
    window_read, advanced = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def record() -> None:
        try:
            with transaction.atomic():
                made = world.problem(title="并发中的新问题", found_at=found_at)
                assert local_day(made.deadline) == today + 1
                window_read.set()
                # The count of tomorrow waits for this transaction, whose window (today
                # only) gave the problem no hour buckets for tomorrow.
                assert not advanced.wait(timeout=1)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    def move_on() -> None:
        try:
            window_read.wait(timeout=30)
            rebuild.advance_horizon()
            advanced.set()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record), threading.Thread(target=move_on)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert HourHorizon.objects.get().last_day == today + 1
    assert today + 1 in hour_days()
    assert differences(rebuild.expected_from_problems(), stored()) == []
