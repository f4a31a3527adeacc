"""Rebuilding the rollup tables from the problems, or checking them against the event log.

Python computes the rows from each problem's facts (`cells.contributions`, the definition);
on PostgreSQL a set-based rebuild computes the same rows in SQL, which is what a national
database of millions of problems needs. A test on PostgreSQL shows both give the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ducha.problems.choices import CLOCKED_STATES, State
from ducha.problems.models import Problem, ProblemEvent
from ducha.problems.rollups import horizon, writes
from ducha.problems.rollups.cells import DUE_MEASURES, MEASURES, Window, day_of, totals
from ducha.problems.rollups.choices import DETAIL_LEVELS, Dim, Grain
from ducha.problems.rollups.facts import facts_of_queryset, replay
from ducha.problems.rollups.models import DueCell, HourHorizon, RollupCell

LEVEL_COLUMNS = {1: "province_id", 2: "city_id", 3: "county_id", 4: "town_id", 5: "village_id"}


def expected_from_problems(window: Window | None = None) -> tuple[dict, dict]:
    return totals(facts_of_queryset(Problem.objects.all()), window or horizon.window())


def expected_from_events(window: Window | None = None) -> tuple[dict, dict]:
    log = ProblemEvent.objects.order_by("created_at", "pk").iterator(chunk_size=10000)
    return totals(replay(log).values(), window or horizon.window())


# Both take the horizon's lock before the tables': the order every writer and
# `advance_horizon` keep, so that none of them waits for another in a circle.


@transaction.atomic
def rebuild() -> None:
    """Recompute both tables while actions wait (their rollup writes queue on the lock)."""
    window = horizon.window()
    writes.lock_tables()
    if connection.vendor == "postgresql":
        RollupCell.objects.all().delete()
        DueCell.objects.all().delete()
        rebuild_in_sql(window)
    else:
        writes.replace_all(*expected_from_problems(window))


@transaction.atomic
def check(from_events: bool = False) -> list[str]:
    """Rows on which the stored tables differ from a fresh count (empty: all true)."""
    window = horizon.window()
    writes.lock_tables()
    expected = expected_from_events(window) if from_events else expected_from_problems(window)
    return writes.differences(expected, writes.stored())


def advance_horizon() -> int:
    """Count in the hours of the days up to today + DUCHA_DUE_HOUR_DAYS not counted yet,
    then, when a day was counted in, prune the hour buckets of days gone by. Returns the days
    counted in.

    Safe to run at any time and on several workers: the exclusive lock makes one of them
    do the work and the others find it done. Writers wait for the count (seconds, once a
    day); dashboards never do, and stay exact even when this does not run (they count
    today's hours from the problems then, more slowly)."""
    counted = _count_in_days()
    if counted:
        # Once a day, when a new day came within the horizon: the delete reads the whole
        # bucket table (its key does not lead with the bucket), and rows left behind are
        # never read anyway.
        DueCell.objects.filter(grain=Grain.HOUR, bucket__lt=horizon.today() * 24).delete()
    return counted


@transaction.atomic
def _count_in_days() -> int:
    first = horizon.today()
    target = first + max(settings.DUCHA_DUE_HOUR_DAYS, 0)
    last = horizon.stored_last_day()
    if last is not None and last >= target:
        return 0
    horizon.lock_exclusively()
    last = horizon.stored_last_day()  # again: another run may have done it meanwhile
    start = first if last is None else max(last + 1, first)
    if start > target:
        return 0
    # No writer keeps hour buckets beyond the stored horizon: these days have none yet.
    DueCell.objects.filter(
        grain=Grain.HOUR, bucket__gte=start * 24, bucket__lt=(target + 1) * 24
    ).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement, params in _due_statements((start, target), days=False):
                cursor.execute(statement, params)
    else:
        _count_in_hours_in_python((start, target))
    HourHorizon.objects.update_or_create(pk=1, defaults={"last_day": target})
    return target - start + 1


def _count_in_hours_in_python(days: Window) -> None:
    begin, end = _day_start(days[0]), _day_start(days[1] + 1)
    clocked = Problem.objects.filter(state__in=CLOCKED_STATES)
    moments = clocked.filter(deadline__gte=begin, deadline__lt=end) | clocked.filter(
        yellow_at__gte=begin, yellow_at__lt=end
    )
    _, due = totals(facts_of_queryset(moments), days)
    writes.add_rows({}, {key: vector for key, vector in due.items() if key[4] == Grain.HOUR})


def _day_start(day: int) -> datetime:
    return timezone.make_aware(datetime.combine(day_of(day), time()))


# --- PostgreSQL, set-based -------------------------------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _case(condition: str, value: str = "1") -> str:
    return f"SUM(CASE WHEN {condition} THEN {value} ELSE 0 END)"


def _measure_sql() -> dict[str, str]:
    closed = f"state = '{State.CLOSED}'"
    seconds = "FLOOR(EXTRACT(EPOCH FROM (closed_at - found_at)))::bigint"
    return {
        "found": "COUNT(*)",
        "closed": _case(closed),
        "closed_late": _case(f"{closed} AND closed_at > deadline"),
        "close_seconds": _case(closed, seconds),
        "open": _case(f"state <> '{State.CLOSED}'"),
        "new": _case(f"state = '{State.NEW}'"),
        "assigned": _case(f"state = '{State.ASSIGNED}'"),
        "disputed": _case(f"state = '{State.DISPUTED}'"),
        "rectified": _case(f"state = '{State.RECTIFIED}'"),
        "urgent": _case("urgency = 'urgent'"),
        "common": _case("nature = 'common'"),
        "on_the_spot": _case("on_the_spot"),
        "recurrences": _case("recurring OR repeat_of_id IS NOT NULL"),
    }


def _local(column: str) -> str:
    return f"({column} AT TIME ZONE %(tz)s)"


def _day(column: str) -> str:
    return f"(({_local(column)})::date - DATE '1970-01-01')"


def _hour(column: str) -> str:
    return f"FLOOR(EXTRACT(EPOCH FROM {_local(column)}) / 3600)::bigint"


def _scopes(levels: Iterable[int]) -> Iterable[tuple[int, str, str]]:
    """(level, scope id expression, condition) of each scope level."""
    for level in levels:
        if level == 0:
            yield 0, "0", "TRUE"
        else:
            column = LEVEL_COLUMNS[level]
            yield level, column, f"{column} IS NOT NULL"


def _cell_statements() -> list[str]:
    measures = _measure_sql()
    closed = f"state = '{State.CLOSED}'"
    only = {
        Dim.FOUND_DAY: {"found"},
        Dim.CLOSED_DAY: {"closed", "closed_late", "close_seconds"},
        Dim.CLOSE_HOURS: {"closed"},
    }
    dims = [
        (Dim.ALL, "0", "TRUE"),
        (Dim.FOCUS_AREA, "focus_area_id", "TRUE"),
        (Dim.TEAM, "COALESCE(team_id, 0)", "TRUE"),
        (Dim.UNIT, "COALESCE(responsible_org_id, 0)", "TRUE"),
        (Dim.SITE, "site_id", "site_id IS NOT NULL"),
        (Dim.FOUND_DAY, _day("found_at"), "TRUE"),
        (Dim.CLOSED_DAY, _day("closed_at"), closed),
        (
            Dim.CLOSE_HOURS,
            "CEIL(EXTRACT(EPOCH FROM (closed_at - found_at)) / 3600)::bigint",
            closed,
        ),
    ]
    table = _q(RollupCell._meta.db_table)
    columns = ", ".join(_q(c) for c in (*writes.CELL_KEYS, *MEASURES))
    statements = []
    for level, scope_id, in_scope in _scopes(range(6)):
        for dim, key, condition in dims:
            if dim != Dim.ALL and level not in DETAIL_LEVELS:
                continue
            wanted = only.get(dim, set(MEASURES))
            values = ", ".join(measures[m] if m in wanted else "0" for m in MEASURES)
            # Constants are not grouped by (PostgreSQL would read a number as a position).
            group = [expression for expression in (scope_id, key) if expression != "0"]
            statements.append(
                f"INSERT INTO {table} ({columns}) "
                f"SELECT {level}, {scope_id}, {int(dim)}, {key}, {values} "
                f"FROM {_q(Problem._meta.db_table)} WHERE {in_scope} AND {condition}"
                + (f" GROUP BY {', '.join(group)}" if group else " HAVING COUNT(*) > 0")
            )
    return statements


def _due_statements(window: Window, days: bool = True) -> list[tuple[str, dict[str, Any]]]:
    """The due rows in SQL: the day buckets (unless `days` is false) and the hour buckets of
    the moments within the window's days."""
    params: dict[str, Any] = {
        "tz": settings.TIME_ZONE,
        "hours_from": _day_start(window[0]),
        "hours_to": _day_start(window[1] + 1),
    }
    grains = ((Grain.DAY, _day), (Grain.HOUR, _hour)) if days else ((Grain.HOUR, _hour),)
    table = _q(DueCell._meta.db_table)
    columns = ", ".join(_q(c) for c in (*writes.DUE_KEYS, *DUE_MEASURES))
    clocked = "', '".join(CLOCKED_STATES)
    statements = []
    for level, scope_id, in_scope in _scopes(range(6)):
        keys = [(Dim.ALL, "0")]
        if level in DETAIL_LEVELS:
            keys += [
                (Dim.FOCUS_AREA, "focus_area_id"),
                (Dim.TEAM, "COALESCE(team_id, 0)"),
                (Dim.UNIT, "COALESCE(responsible_org_id, 0)"),
            ]
        for dim, key in keys:
            for grain, bucket in grains:
                parts = [
                    f"SELECT {scope_id} AS sid, {key} AS k, {bucket(column)} AS b, "
                    f"{due} AS due, {yellow} AS yellow FROM {_q(Problem._meta.db_table)} "
                    f"WHERE state IN ('{clocked}') AND {in_scope}"
                    + (
                        f" AND {column} >= %(hours_from)s AND {column} < %(hours_to)s"
                        if grain == Grain.HOUR
                        else ""
                    )
                    for column, due, yellow in (("deadline", 1, 0), ("yellow_at", 0, 1))
                ]
                statements.append(
                    (
                        f"INSERT INTO {table} ({columns}) "
                        f"SELECT {level}, sid, {int(dim)}, k, {int(grain)}, b, SUM(due), "
                        f"SUM(yellow) FROM ({' UNION ALL '.join(parts)}) AS moments "
                        "GROUP BY sid, k, b",
                        params,
                    )
                )
    return statements


def rebuild_in_sql(window: Window) -> None:
    """Fill the (empty) tables from the problem table in a few dozen set-based statements."""
    with connection.cursor() as cursor:
        for statement in _cell_statements():
            cursor.execute(statement, {"tz": settings.TIME_ZONE})
        for statement, params in _due_statements(window):
            cursor.execute(statement, params)
