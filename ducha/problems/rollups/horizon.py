"""How far ahead the hour buckets of deadlines reach: the window every writer counts them in.

Dashboards read hour buckets for today's hours only (`ducha.reports.lights`), so a problem's
deadline and yellow moment get hour buckets only when they fall between today and the
horizon (`HourHorizon.last_day`). `rebuild.advance_horizon` moves the horizon on, a day at
a time, before the day comes: it counts that day's hours in from the problems. Buckets of
days before today are never read again and are pruned. Decision 0023.

A writer reads the horizon under a shared lock held to its commit, and `advance_horizon`
takes the same lock exclusively: no write can fall between the day counted in and the
horizon that says so. (SQLite lets one writer in at a time, which is the same guarantee.)
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from ducha.problems.rollups.cells import Window, local_day
from ducha.problems.rollups.models import HourHorizon

# The advisory lock of the horizon (PostgreSQL): any number of writers share it.
LOCK_KEY = 0x6475_6368_6F75  # "duchou"
TABLE = '"' + HourHorizon._meta.db_table + '"'  # quoted the same way on both databases
LAST_DAY_SQL = "SELECT last_day FROM " + TABLE  # noqa: S608 (a table name)
# For a writer's own statements (PostgreSQL, `writes.add_change`): the shared lock, and the
# first hour after the horizon (NULL when none is stored), read by a later statement of the
# same round trip, whose snapshot comes after the lock.
LOCK_SHARED_SQL = f"SELECT pg_advisory_xact_lock_shared({LOCK_KEY})"
END_HOUR_SQL = f"(SELECT (last_day + 1) * 24 FROM {TABLE})"  # noqa: S608 (a table name)
# The last day of a window left open at its end: every day from today on.
OPEN_END = 2**31 - 1


def today() -> int:
    return local_day(timezone.now())


def stored_last_day() -> int | None:
    """The horizon as stored; None before it was first set (no hour buckets are kept)."""
    return HourHorizon.objects.values_list("last_day", flat=True).first()


def window() -> Window:
    """The days a writer keeps hour buckets for, read under the shared lock (the caller's
    transaction holds it to its end). An empty window when no horizon is stored."""
    first = today()
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            # Two statements in one round trip: the read's snapshot is taken after the lock,
            # so it sees any advance the lock waited for.
            cursor.execute(f"SELECT pg_advisory_xact_lock_shared({LOCK_KEY}); {LAST_DAY_SQL}")
            cursor.nextset()
            row = cursor.fetchone()
        last = None if row is None else row[0]
    else:
        last = stored_last_day()
    return first, first - 1 if last is None else last


def reads_in_statements() -> bool:
    """Whether a writer can leave the horizon to its rollup statements (`writes.add_change`):
    on PostgreSQL, in the transaction that holds the shared lock to its end."""
    return connection.vendor == "postgresql" and connection.in_atomic_block


def open_window() -> Window:
    """Today and every day after: the hour buckets a change could touch before the horizon
    is applied (by the statements that write them, `writes.add_change`)."""
    return today(), OPEN_END


def lock_exclusively() -> None:
    """Wait for every writer holding the shared lock, and keep new ones out until commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def hours_kept(last_day: int | None, day: int) -> bool:
    """Whether the hour buckets of `day` count every problem (readers): a day from today
    to the horizon. (An earlier day's were left behind; a figure as of a past moment is
    counted from the problems instead.)"""
    return last_day is not None and last_day >= day >= today()
