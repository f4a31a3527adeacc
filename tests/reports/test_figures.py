"""Every dashboard figure three ways: from the rollups, from the problems, from the event log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from ducha.orgs.models import Org
from ducha.problems.models import Problem, ProblemEvent
from ducha.problems.rollups.cells import local_day
from ducha.problems.rollups.facts import facts_of_queryset, replay
from ducha.reports.figures import Spec
from ducha.reports.memory_source import memory_figures
from ducha.reports.rollup_source import RollupSource
from tests.reports.walk import random_walk

pytestmark = pytest.mark.django_db

LEVEL_FIELDS = {1: "province_id", 2: "city_id", 3: "county_id", 4: "town_id"}


def spec_for(children: list[Org], now, top: int = 20) -> Spec:
    today = local_day(now)
    return Spec(
        first_day=today - 29,
        last_day=today,
        top=top,
        repeats_top=3,
        children=[(child.level, child.pk) for child in children],
    )


def in_roots(facts, roots) -> bool:
    return any(level == 0 or facts.levels[level - 1] == pk for level, pk in roots)


def three_ways(roots, children, now, top=20):
    spec = spec_for(children, now, top)
    depth = roots[0][0] if len(roots) == 1 else None
    condition = Q(pk__in=[])
    for level, pk in roots:
        condition |= Q(pk__isnull=False) if level == 0 else Q(**{LEVEL_FIELDS[level]: pk})
    rows = facts_of_queryset(Problem.objects.filter(condition))
    replayed = replay(ProblemEvent.objects.order_by("created_at", "pk")).values()
    from_events = [facts for facts in replayed if in_roots(facts, roots)]
    return (
        RollupSource(roots, now).compute(spec),
        memory_figures(rows, spec, now, depth),
        memory_figures(from_events, spec, now, depth),
    )


@pytest.mark.parametrize("seed", [4, 5])
def test_rollups_problems_and_event_log_agree_on_every_figure(world, seed):
    random_walk(world, seed, problems=16, steps=90)
    o = world.orgs
    scopes = {
        "country": ([(0, 0)], [o["province"], o["other_province"]]),
        "province": ([(1, o["province"].pk)], [o["city"]]),
        "city": ([(2, o["city"].pk)], [o["county"], o["sibling"]]),
        "county": ([(3, o["county"].pk)], [o["town"]]),
        "two counties": ([(3, o["county"].pk), (3, o["sibling"].pk)], [o["county"], o["sibling"]]),
    }
    # Lights change with the clock alone: look at several moments, some within an hour.
    moments = [timedelta(0), timedelta(minutes=37), timedelta(hours=29), timedelta(hours=150)]
    for name, (roots, children) in scopes.items():
        for shift in moments:
            now = timezone.now() + shift
            rollups, problems, events = three_ways(roots, children, now)
            assert rollups == problems, (name, shift)
            assert problems == events, (name, shift)
    rollups, _, _ = three_ways(*scopes["city"], timezone.now())
    assert rollups.totals.found == Problem.objects.count()
    assert rollups.totals.closed + rollups.totals.open == rollups.totals.found


def test_top_lists_cut_the_same_way(world):
    random_walk(world, 6, problems=14, steps=70)
    now = timezone.now()
    roots = [(2, world.orgs["city"].pk)]
    rollups, problems, _ = three_ways(roots, [], now, top=1)
    assert len(rollups.teams) == 1 and len(rollups.units) == 1
    assert rollups.units == problems.units
    assert rollups.teams == problems.teams


def test_an_hour_boundary_is_exact(world, api_as):
    """A deadline passed minutes ago counts red although its bucket is the current hour."""
    problem = world.problem()
    deadline = timezone.localtime(problem.deadline)
    hour = deadline.replace(minute=0, second=0, microsecond=0)
    for now in (hour - timedelta(seconds=1), deadline - timedelta(microseconds=1), deadline):
        rollups, problems, _ = three_ways([(3, world.orgs["county"].pk)], [], now)
        assert rollups.totals == problems.totals
    assert rollups.totals.red == 1
    just_before, *_ = three_ways(
        [(3, world.orgs["county"].pk)], [], deadline - timedelta(seconds=1)
    )
    assert (just_before.totals.red, just_before.totals.yellow) == (0, 1)


def test_moments_within_the_current_hour_count_on_every_line(world):
    """Just after a deadline or yellow moment, its problem is red or yellow on its child
    region, focus area, team and unit alike, although its bucket is still being filled."""
    made = random_walk(world, 7, problems=12, steps=30)
    open_ = [p for p in Problem.objects.filter(pk__in=[p.pk for p in made]) if p.is_open]
    moments = sorted({p.deadline for p in open_} | {p.yellow_at for p in open_ if p.yellow_at})
    assert len(moments) >= 4
    o = world.orgs
    scopes = [
        ([(2, o["city"].pk)], [o["county"], o["sibling"]]),
        ([(3, o["county"].pk)], [o["town"]]),
    ]
    lit_lines = 0
    for moment in moments[:6]:
        now = moment + timedelta(seconds=1)
        for roots, children in scopes:
            rollups, problems, _ = three_ways(roots, children, now)
            assert rollups == problems, (roots, now)
            lines = [
                *rollups.children.values(),
                *rollups.focus_areas.values(),
                *(counts for _, counts in rollups.teams),
                *(counts for _, counts in rollups.units),
            ]
            lit_lines += sum(1 for counts in lines if counts.red or counts.yellow)
    assert lit_lines
