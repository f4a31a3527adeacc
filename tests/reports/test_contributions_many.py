"""`contributions_many` (the bulk path's sum) equals adding up `contributions` one problem
at a time, for any mix of problems."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ducha.problems.choices import State
from ducha.problems.rollups.cells import accumulate, contributions, contributions_many
from ducha.problems.rollups.choices import Grain
from ducha.problems.rollups.facts import Facts

WHOLE = (0, 10**6)  # every day gets hour buckets
MOMENTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)
)
SMALL = st.integers(1, 4)
# The days whose moments get hour buckets: a few days anywhere in the moments' range.
WINDOWS = st.integers(20089, 20820).flatmap(
    lambda first: st.tuples(st.just(first), st.integers(first - 1, first + 3))
)


@st.composite
def facts(draw) -> Facts:
    found = draw(MOMENTS)
    state = draw(st.sampled_from([s.value for s in State]))
    deadline = found + timedelta(minutes=draw(st.integers(1, 60 * 24 * 10)))
    closed = found + timedelta(minutes=draw(st.integers(0, 60 * 24 * 20)))
    return Facts(
        levels=(
            draw(SMALL),
            draw(SMALL),
            draw(st.none() | SMALL),
            draw(st.none() | SMALL),
            None,
        ),
        focus_area=draw(SMALL),
        team=draw(st.none() | SMALL),
        unit=draw(st.none() | SMALL),
        site=draw(st.none() | SMALL),
        found_at=found,
        state=state,
        deadline=deadline,
        yellow_at=deadline - timedelta(hours=draw(st.integers(0, 30))),
        closed_at=closed if state == State.CLOSED else None,
        urgent=draw(st.booleans()),
        common=draw(st.booleans()),
        on_the_spot=draw(st.booleans()),
        recurring=draw(st.booleans()),
        repeat=draw(st.booleans()),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(facts(), max_size=30), WINDOWS)
def test_counting_many_problems_adds_up_to_their_contributions_one_by_one(problems, window):
    cells: dict = {}
    due: dict = {}
    for one in problems:
        add_cells, add_due = contributions(one, window)
        accumulate(cells, add_cells, 1)
        accumulate(due, add_due, 1)
    assert contributions_many(problems, window) == (cells, due)


def test_many_copies_of_one_problem_count_it_that_many_times():
    found = datetime(2026, 3, 1, 8, tzinfo=UTC)
    one = Facts(
        levels=(1, 2, 3, 4, None),
        focus_area=1,
        team=None,
        unit=5,
        site=6,
        found_at=found,
        state=State.ASSIGNED,
        deadline=found + timedelta(days=2),
        yellow_at=found + timedelta(days=1),
        closed_at=None,
        urgent=True,
        common=False,
        on_the_spot=False,
        recurring=False,
        repeat=False,
    )
    cells, due = contributions(one, WHOLE)
    many_cells, many_due = contributions_many([one] * 7, WHOLE)
    assert many_cells == {key: [7 * v for v in vector] for key, vector in cells.items()}
    assert many_due == {key: [7 * v for v in vector] for key, vector in due.items()}


@settings(max_examples=100, deadline=None)
@given(facts(), WINDOWS)
def test_hour_buckets_count_only_the_moments_of_the_window_days(one, window):
    first, last = window
    _, due = contributions(one, window)
    _, everything = contributions(one, WHOLE)
    hours = {key for key in due if key[4] == Grain.HOUR}
    assert hours == {
        key for key in everything if key[4] == Grain.HOUR and first <= key[5] // 24 <= last
    }
    # The day buckets do not depend on the window.
    assert {k: v for k, v in due.items() if k[4] == Grain.DAY} == {
        k: v for k, v in everything.items() if k[4] == Grain.DAY
    }
