"""Tests against a real streaming replica (marker `replica`): `deploy/replica.sh` makes it,
DUCHA_REPLICA_URL names it, and `.ci/run` runs them in a step of their own. Without the
setting they are deselected (tests/conftest.py)."""

import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import OperationalError, connections

from ducha.core import replica

ROOT = Path(__file__).resolve().parents[2]


def replica_sh(command: str) -> None:
    """deploy/replica.sh on the replica the settings name."""
    port = str(urlsplit(os.environ["DUCHA_REPLICA_URL"]).port or 5432)
    env = {**os.environ, "DUCHA_REPLICA_PORT": port}
    subprocess.run([ROOT / "deploy" / "replica.sh", command], check=True, env=env, cwd=ROOT)


def replica_sql(sql: str) -> object:
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def wait_for_replay() -> None:
    """Until the replica has replayed everything the primary has written so far.

    The replica may not have the test database yet either: it appears when the replica has
    replayed its creation.
    """
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    for _ in range(600):
        try:
            with connections[replica.REPLICA].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cursor.fetchone()[0]:
                    return
        except OperationalError:
            connections[replica.REPLICA].close()
        time.sleep(0.05)
    pytest.fail("the replica did not replay the primary's writes")


def wait_until_visible(table: str, pk: int) -> None:
    """Until a row written on the primary can be read on the replica."""
    wait_for_replay()
    for _ in range(100):
        if replica_sql(f'SELECT count(*) FROM "{table}" WHERE id = {int(pk)}'):
            return
        time.sleep(0.05)
    pytest.fail(f"row {pk} of {table} never reached the replica")


@pytest.fixture(autouse=True)
def _replica_caught_up(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        wait_for_replay()


@pytest.fixture(autouse=True)
def _health_checked_every_time(settings):
    # Each request checks the replica again: the tests change its state between requests.
    settings.DUCHA_REPLICA_CHECK_SECONDS = 0
    settings.DUCHA_REPLICA_RETRY_SECONDS = 0
    replica.forget()
    yield
    replica.forget()
