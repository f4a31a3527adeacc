"""Reads on the streaming replica, when that is safe (docs/decisions/0022-read-replica.md).

A unit of work (a request, or a block of background work) carries a `Route` in a context
variable. Reads go to the replica only when the route allows it, the work has not written,
no transaction is open on the primary, and the replica was last seen healthy. Without a
route (management commands, Celery tasks, the shell) everything stays on the primary.

The replica's health is checked at most every DUCHA_REPLICA_CHECK_SECONDS per process;
after a failed connection it counts as down for DUCHA_REPLICA_RETRY_SECONDS.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, connections

REPLICA = "replica"

OK = "ok"
LAGGING = "lagging"
DOWN = "down"
OFF = "off"

# Read and written on the primary only, and their writes do not pin a request there: the
# session is read before anything else (a user just signed in must find it) and written
# after the page, once a minute for the idle clock (ducha/accounts/sessions.py).
PRIMARY_ONLY_APPS = frozenset({"sessions"})


@dataclass
class Route:
    """Where one unit of work may read; `wrote` and `used` are filled in as it runs."""

    replica: bool
    wrote: bool = False
    used: bool = False


_route: ContextVar[Route | None] = ContextVar("ducha_replica_route", default=None)


def current_route() -> Route | None:
    return _route.get()


@contextmanager
def routed(route: Route | None) -> Iterator[Route | None]:
    token = _route.set(route)
    try:
        yield route
    finally:
        _route.reset(token)


@contextmanager
def reading_from_replica() -> Iterator[Route | None]:
    """Background work that only reads (a large export) reads on the replica when it is healthy.

    Any write inside still goes to the primary, and reads after it follow it there.
    """
    with routed(Route(replica=replica_health().reads)) as route:
        yield route


def configured() -> bool:
    return REPLICA in settings.DATABASES


def read_database(model: Any) -> str:
    """The router's answer for a read: the replica only when every condition holds."""
    route = _route.get()
    if route is None or not route.replica or route.wrote:
        return DEFAULT_DB_ALIAS
    if model._meta.app_label in PRIMARY_ONLY_APPS:
        return DEFAULT_DB_ALIAS
    # Inside transaction.atomic (every do_* action) the reads that decide a write must see
    # the primary's rows, and the transaction's own.
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    route.used = True
    return REPLICA


def note_write(model: Any) -> None:
    """A write pins the rest of its unit of work to the primary (read-your-writes)."""
    route = _route.get()
    if route is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
        route.wrote = True


@dataclass(frozen=True)
class ReplicaHealth:
    state: str
    lag_seconds: float | None = None
    lag_bytes: int | None = None
    checked_at: float = 0.0

    @property
    def reads(self) -> bool:
        """Whether reads go to the replica now."""
        return self.state == OK


_lock = threading.Lock()
_last: ReplicaHealth | None = None


def replica_health(*, fresh: bool = False) -> ReplicaHealth:
    """The replica's last known health, checked again when it is older than allowed."""
    global _last
    if not configured():
        return ReplicaHealth(OFF)
    last = _last
    if not fresh and last is not None and _still_valid(last):
        return last
    # One thread of a process checks; the others keep the last answer meanwhile.
    if last is not None and not fresh:
        if not _lock.acquire(blocking=False):
            return last
    else:
        _lock.acquire()
    try:
        _last = _probe()
        return _last
    finally:
        _lock.release()


def mark_down() -> ReplicaHealth:
    """A query on the replica failed: check it now, and drop the connection if it is down."""
    return replica_health(fresh=True)


def forget() -> None:
    """Drop the cached health and the positions seen (tests)."""
    global _last
    _last = None
    _positions.clear()


def _still_valid(health: ReplicaHealth) -> bool:
    age = time.monotonic() - health.checked_at
    if health.state == DOWN:
        return age < settings.DUCHA_REPLICA_RETRY_SECONDS
    return age < settings.DUCHA_REPLICA_CHECK_SECONDS


# WAL positions as byte counts. The replica's received position stands in for the primary's
# when the primary does not answer.
PRIMARY_SQL = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"
REPLICA_SQL = """
SELECT pg_is_in_recovery(),
       pg_wal_lsn_diff(coalesce(pg_last_wal_replay_lsn(), '0/0'), '0/0')::bigint,
       pg_wal_lsn_diff(coalesce(pg_last_wal_receive_lsn(), '0/0'), '0/0')::bigint
"""
# The primary's position at each check of this process: (time, bytes), oldest first.
_positions: deque[tuple[float, int]] = deque(maxlen=256)


def _probe() -> ReplicaHealth:
    now = time.monotonic()
    primary = None
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(PRIMARY_SQL)
            primary = cursor.fetchone()[0]
    except Error:
        pass
    replica = connections[REPLICA]
    # A kept connection may have broken while the replica restarted: then one more, new one.
    # A new connection that failed is not tried again (each try may wait connect_timeout).
    attempts = 2 if replica.connection is not None else 1
    for attempt in range(1, attempts + 1):
        try:
            with replica.cursor() as cursor:
                cursor.execute(REPLICA_SQL)
                in_recovery, replayed, received = cursor.fetchone()
            break
        except Error:
            _close(replica)
            if attempt == attempts:
                return ReplicaHealth(DOWN, checked_at=now)
    if not in_recovery:
        # Promoted, or not a standby at all: it no longer follows the primary.
        return ReplicaHealth(DOWN, checked_at=now)
    position = received if primary is None else primary
    _positions.append((now, position))
    lag_bytes = max(0, position - replayed)
    lag_seconds = _lag_seconds(replayed, now) if lag_bytes else 0.0
    lagging = lag_seconds > settings.DUCHA_REPLICA_MAX_LAG_SECONDS
    return ReplicaHealth(LAGGING if lagging else OK, round(lag_seconds, 3), lag_bytes, now)


def _lag_seconds(replayed: int, now: float) -> float:
    """How long the replica has been missing WAL the primary had: since the first check that
    saw the primary past the replica's position now.

    Not the age of the last replayed commit: a primary busy with a bulk load or a vacuum writes
    WAL without commits, and the replica, in step, would look seconds behind. This is a lower
    bound, exact to one check interval; the first check that sees a gap counts it as 0.
    """
    for checked_at, position in _positions:
        if position > replayed:
            return now - checked_at
    return 0.0


def _close(connection: Any) -> None:
    with suppress(Error):
        connection.close()
