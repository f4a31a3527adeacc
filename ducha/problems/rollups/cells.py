"""What one problem adds to the rollup tables: the single definition of every number.

`contributions(facts)` lists the rollup rows a problem counts in and what it adds to each.
The tables hold the sum over all problems; an action adds `after − before` for the problem
it changed. Time buckets are local days and hours (settings.TIME_ZONE) numbered from
1970-01-01, so "today" and "this hour" are ranges of integers. Hour buckets count only the
moments of the days in a `Window`, from today to the horizon (`horizon.py`): the only hours
ever read are today's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.utils import timezone

from ducha.problems.choices import State
from ducha.problems.rollups.choices import DETAIL_LEVELS, DUE_DIMS, Dim, Grain
from ducha.problems.rollups.facts import Facts

EPOCH = date(1970, 1, 1)
_EPOCH_ORDINAL = EPOCH.toordinal()
ONE_HOUR_US = 3_600_000_000

# Measures of a RollupCell row, in this order in every vector.
MEASURES = (
    "found",
    "closed",
    "closed_late",
    "close_seconds",
    "open",
    "new",
    "assigned",
    "disputed",
    "rectified",
    "urgent",
    "common",
    "on_the_spot",
    "recurrences",
)
DUE_MEASURES = ("due", "yellow")

CellKey = tuple[int, int, int, int]  # scope_level, scope_id, dim, key
DueKey = tuple[int, int, int, int, int, int]  # … grain, bucket
Vector = list[int]
# (first, last) local day whose moments get hour buckets: today and the horizon.
Window = tuple[int, int]

_OPEN_STATE_INDEX = {
    State.NEW: MEASURES.index("new"),
    State.ASSIGNED: MEASURES.index("assigned"),
    State.DISPUTED: MEASURES.index("disputed"),
    State.RECTIFIED: MEASURES.index("rectified"),
}


def local_day(moment: datetime) -> int:
    # The offices' time zone (settings.TIME_ZONE), whatever zone a request has activated.
    return (moment.astimezone(timezone.get_default_timezone()).date() - EPOCH).days


def local_hour(moment: datetime) -> int:
    local = moment.astimezone(timezone.get_default_timezone())
    return (local.date() - EPOCH).days * 24 + local.hour


def day_of(number: int) -> date:
    return date.fromordinal(_EPOCH_ORDINAL + number)


def close_micros(facts: Facts) -> int:
    assert facts.closed_at is not None
    return (facts.closed_at - facts.found_at) // timedelta(microseconds=1)


def hours_to_close(facts: Facts) -> int:
    """Time to close in whole hours, rounded up: "closed within N hours"."""
    return -(-close_micros(facts) // ONE_HOUR_US)


def scopes_of(facts: Facts) -> list[tuple[int, int]]:
    """(level, id) of every scope the problem lies in: the country, then each region level."""
    return [(0, 0)] + [(i + 1, pk) for i, pk in enumerate(facts.levels) if pk is not None]


def base_vector(facts: Facts) -> Vector:
    vector = [0] * len(MEASURES)
    vector[0] = 1
    if facts.state == State.CLOSED:
        vector[1] = 1
        vector[2] = int(facts.closed_late)
        vector[3] = close_micros(facts) // 1_000_000
    else:
        vector[4] = 1
        vector[_OPEN_STATE_INDEX[State(facts.state)]] = 1
    vector[9] = int(facts.urgent)
    vector[10] = int(facts.common)
    vector[11] = int(facts.on_the_spot)
    vector[12] = int(facts.recurrence)
    return vector


def _only(vector: Vector, *names: str) -> Vector:
    kept = [0] * len(MEASURES)
    for name in names:
        index = MEASURES.index(name)
        kept[index] = vector[index]
    return kept


def dim_keys(facts: Facts) -> list[tuple[int, int]]:
    """(dim, key) of the breakdowns the problem counts in, besides the scope as a whole."""
    keys: list[tuple[int, int]] = [
        (Dim.FOCUS_AREA, facts.focus_area),
        (Dim.TEAM, facts.team or 0),
        (Dim.UNIT, facts.unit or 0),
    ]
    if facts.site is not None:
        keys.append((Dim.SITE, facts.site))
    return keys


Parts = tuple[list[tuple[CellKey, tuple[int, ...]]], list[tuple[DueKey, int]]]


# Plain ints in the keys (equal to the enum members, cheaper to build and hash).
_ALL = int(Dim.ALL)
_DAY, _HOUR = int(Grain.DAY), int(Grain.HOUR)
_DUE_DIMS = frozenset(int(d) for d in DUE_DIMS)
_DETAILED = frozenset(DETAIL_LEVELS)


def _parts(facts: Facts, window: Window) -> Parts:
    """The rows one problem counts in: each rollup row with what it adds, and each due row
    with the index of the measure it adds one to. `contributions` and
    `contributions_many` are two ways of summing these, never two definitions."""
    base = base_vector(facts)
    vector = tuple(base)
    breakdowns = [(int(dim), key) for dim, key in dim_keys(facts)]
    # (dim, key, what it adds) of the rows kept at detailed levels only.
    detail = [(dim, key, vector) for dim, key in breakdowns]
    detail.append((int(Dim.FOUND_DAY), local_day(facts.found_at), tuple(_only(base, "found"))))
    if facts.closed_at is not None and facts.state == State.CLOSED:
        closing = tuple(_only(base, "closed", "closed_late", "close_seconds"))
        detail.append((int(Dim.CLOSED_DAY), local_day(facts.closed_at), closing))
        detail.append((int(Dim.CLOSE_HOURS), hours_to_close(facts), tuple(_only(base, "closed"))))
    # (index of the measure, grain, bucket) of the deadline and the yellow moment; a dispute
    # awaiting the office stops the clock, so it is due nowhere until decided.
    moments = []
    if facts.is_clocked:
        first, last = window
        for index, moment in ((0, facts.deadline), (1, facts.yellow_at)):
            hour = local_hour(moment)
            day = hour // 24
            moments.append((index, _DAY, day))
            if first <= day <= last:
                moments.append((index, _HOUR, hour))
    due_keys = [(_ALL, 0)] + [(d, k) for d, k in breakdowns if d in _DUE_DIMS]
    due_detailed = [(d, k, g, b, i) for d, k in due_keys for i, g, b in moments]
    due_plain = [(_ALL, 0, g, b, i) for i, g, b in moments]
    cells: list[tuple[CellKey, tuple[int, ...]]] = []
    due: list[tuple[DueKey, int]] = []
    for level, scope in scopes_of(facts):
        cells.append(((level, scope, _ALL, 0), vector))
        if level in _DETAILED:
            cells += [((level, scope, d, k), part) for d, k, part in detail]
            due += [((level, scope, d, k, g, b), i) for d, k, g, b, i in due_detailed]
        else:
            due += [((level, scope, d, k, g, b), i) for d, k, g, b, i in due_plain]
    return cells, due


def contributions(
    facts: Facts, window: Window
) -> tuple[dict[CellKey, Vector], dict[DueKey, Vector]]:
    """The rows one problem counts in, and what it adds to each."""
    parts, due_parts = _parts(facts, window)
    cells: dict[CellKey, Vector] = {}
    for key, vector in parts:
        cells[key] = list(vector)
    due: dict[DueKey, Vector] = defaultdict(lambda: [0, 0])
    for due_key, index in due_parts:
        due[due_key][index] += 1
    return cells, dict(due)


def contributions_many(
    all_facts: Iterable[Facts], window: Window
) -> tuple[dict[CellKey, Vector], dict[DueKey, Vector]]:
    """The sum of `contributions` over many problems, counted rather than added up.

    New problems mostly add the same vector to the same rows (one county, the same state),
    so each (row, vector) is counted with one integer addition and multiplied out once at
    the end, instead of adding 13 measures to every row for every problem.
    """
    # Counter.update counts in C.
    counted: Counter[tuple[CellKey, tuple[int, ...]]] = Counter()
    due_counted: Counter[tuple[DueKey, int]] = Counter()
    for facts in all_facts:
        parts, due_parts = _parts(facts, window)
        counted.update(parts)
        due_counted.update(due_parts)
    cells: dict[CellKey, Vector] = {}
    for (key, vector), times in counted.items():
        current = cells.get(key)
        if current is None:
            cells[key] = [times * value for value in vector]
        else:
            cells[key] = [a + times * b for a, b in zip(current, vector, strict=True)]
    due: dict[DueKey, Vector] = defaultdict(lambda: [0, 0])
    for (due_key, index), times in due_counted.items():
        due[due_key][index] += times
    return cells, dict(due)


def accumulate(target: dict, source: dict, sign: int) -> None:
    """Add `sign` × each vector of `source` to `target` (a sum of many problems: kept lean)."""
    for key, vector in source.items():
        current = target.get(key)
        if current is None:
            target[key] = list(vector) if sign == 1 else [-value for value in vector]
        elif sign == 1:
            target[key] = [a + b for a, b in zip(current, vector, strict=True)]
        else:
            target[key] = [a - b for a, b in zip(current, vector, strict=True)]


def difference(
    before: Facts | None, after: Facts | None, window: Window
) -> tuple[dict[CellKey, Vector], dict[DueKey, Vector]]:
    """What changes in the tables when a problem goes from `before` to `after`: the sum of
    `contributions`, `after`'s added and `before`'s taken away (summed from the parts at
    once: this runs in every action)."""
    cells: dict[CellKey, Vector] = {}
    due: dict[DueKey, Vector] = {}
    for facts, sign in ((after, 1), (before, -1)):
        if facts is None:
            continue
        parts, due_parts = _parts(facts, window)
        for key, vector in parts:
            current = cells.get(key)
            if current is None:
                cells[key] = list(vector) if sign == 1 else [-value for value in vector]
            else:
                cells[key] = [a + sign * b for a, b in zip(current, vector, strict=True)]
        for due_key, index in due_parts:
            row = due.get(due_key)
            if row is None:
                row = due[due_key] = [0, 0]
            row[index] += sign
    return nonzero(cells), nonzero(due)


def totals(
    all_facts: Iterable[Facts], window: Window
) -> tuple[dict[CellKey, Vector], dict[DueKey, Vector]]:
    """The whole tables for a set of problems (a rebuild, or a replay of the event log)."""
    cells: dict[CellKey, Vector] = {}
    due: dict[DueKey, Vector] = {}
    for facts in all_facts:
        add_cells, add_due = contributions(facts, window)
        accumulate(cells, add_cells, 1)
        accumulate(due, add_due, 1)
    return nonzero(cells), nonzero(due)


def nonzero(table: dict) -> dict:
    return {key: vector for key, vector in table.items() if any(vector)}
