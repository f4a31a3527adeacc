"""Pages read on the streaming replica, users see their own writes, and reads fall back to
the primary when the replica lags or stops (docs/decisions/0022-read-replica.md)."""

import time
from contextlib import contextmanager

import pytest
from django.db import connections
from django.test import Client

from ducha.core import replica
from ducha.problems.models import Problem
from ducha.problems.rollups.models import RollupCell
from tests.pages.test_create import form_data
from tests.replica.conftest import replica_sh, replica_sql, wait_for_replay, wait_until_visible
from tests.world import PASSWORD

pytestmark = [
    pytest.mark.replica,
    # Rows a test writes must be committed to reach the replica; the catalogues the
    # migrations load come back after each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases="__all__"),
]


def _client(world, key):
    client = Client()
    assert client.login(username=world.users[key].username, password=PASSWORD)
    return client


@contextmanager
def _recording():
    """The SQL sent to each database meanwhile. Execute wrappers, not
    CaptureQueriesContext: that one connects, and the replica may be down."""
    sent = {"default": [], "replica": []}

    def recorder(alias):
        def record(execute, sql, params, many, context):
            sent[alias].append(sql)
            return execute(sql, params, many, context)

        return record

    with (
        connections["default"].execute_wrapper(recorder("default")),
        connections["replica"].execute_wrapper(recorder("replica")),
    ):
        yield sent


def _list(client, *, retried=False):
    """The problem list, and its reads of problems on each database."""
    with _recording() as sent:
        response = client.get("/problems/")
    assert response.status_code == 200
    # A page answered again from the primary still logged its first error; the test client
    # would raise it.
    assert bool(response.exc_info) == retried
    return response, _problem_reads(sent["replica"]), _problem_reads(sent["default"])


def _problem_reads(queries):
    # The rows, or the rollup row a whole region's stats line is read from (decision 0025).
    tables = ('"problems_problem"', f'"{RollupCell._meta.db_table}"')
    return [sql for sql in queries if any(table in sql for table in tables)]


def test_the_replica_is_a_standby_of_the_primary(db):
    assert replica_sql("SELECT pg_is_in_recovery()") is True
    names = {connections[alias].settings_dict["NAME"] for alias in ("default", "replica")}
    assert len(names) == 1  # the primary's test database, replicated


def test_a_list_reads_on_the_replica(world):
    problem = world.problem(title="复工企业未落实测温")
    wait_for_replay()
    response, on_replica, on_primary = _list(_client(world, "county_office"))
    assert problem.title in response.content.decode()
    assert on_replica and not on_primary


def test_a_user_sees_their_write_at_once_while_others_read_the_replica(world):
    wait_for_replay()
    writer = _client(world, "county_office")
    other = _client(world, "city_office")
    # The replica stops replaying: what the writer writes now is on the primary only.
    replica_sql("SELECT pg_wal_replay_pause()")
    try:
        response = writer.post("/problems/new/", form_data(world, title="集中隔离点未设缓冲区"))
        assert response.status_code == 302
        problem = Problem.objects.get(title="集中隔离点未设缓冲区")

        response, on_replica, on_primary = _list(writer)
        assert problem.title in response.content.decode()
        assert on_primary and not on_replica
        assert writer.get(f"/problems/{problem.pk}/").status_code == 200

        response, on_replica, on_primary = _list(other)
        assert problem.title not in response.content.decode()
        assert on_replica and not on_primary
    finally:
        replica_sql("SELECT pg_wal_replay_resume()")
    wait_until_visible("problems_problem", problem.pk)
    response, on_replica, _ = _list(other)
    assert problem.title in response.content.decode() and on_replica


def test_lag_shows_in_health_and_sends_reads_to_the_primary(world, settings):
    reader = _client(world, "county_office")
    wait_for_replay()
    health = reader.get("/health").json()
    # Other databases of the same cluster may be writing: a little lag is normal.
    assert health["primary"] == "ok" and health["replica"] == "ok" and health["reads_on_replica"]
    assert health["replica_lag_seconds"] >= 0 and health["replica_lag_bytes"] >= 0
    settings.DUCHA_REPLICA_MAX_LAG_SECONDS = 0.001
    replica_sql("SELECT pg_wal_replay_pause()")
    try:
        world.problem(title="农贸市场未扫码登记")
        # The first check sees the gap open; the next one counts the time since.
        assert reader.get("/health").json()["replica_lag_bytes"] > 0
        time.sleep(0.05)
        health = reader.get("/health").json()
        assert health["replica"] == "lagging" and not health["reads_on_replica"]
        assert health["replica_lag_bytes"] > 0 and health["replica_lag_seconds"] > 0
        response, on_replica, on_primary = _list(reader)
        assert "农贸市场未扫码登记" in response.content.decode()
        assert on_primary and not on_replica
    finally:
        replica_sql("SELECT pg_wal_replay_resume()")
    wait_for_replay()
    # Other databases of the cluster write on: a thousandth of a second would be lag again.
    settings.DUCHA_REPLICA_MAX_LAG_SECONDS = 5
    assert reader.get("/health").json()["replica"] == "ok"


def test_the_replica_stops_and_starts_again(world, settings):
    problem = world.problem(title="客运站未查验健康码")
    reader = _client(world, "county_office")
    wait_for_replay()
    assert _list(reader)[1]
    # The health last seen stays "ok" for an hour: the next page reads on the replica, finds
    # it gone, and is answered again from the primary.
    settings.DUCHA_REPLICA_CHECK_SECONDS = 3600
    settings.DUCHA_REPLICA_RETRY_SECONDS = 3600
    replica.replica_health(fresh=True)
    replica_sh("stop")
    try:
        reader.raise_request_exception = False
        # (The first query to fail is the signed-in user's, before any problem is read.)
        response, on_replica, on_primary = _list(reader, retried=True)
        assert problem.title in response.content.decode()
        assert on_primary and not on_replica
        reader.raise_request_exception = True
        health = reader.get("/health")
        assert health.status_code == 200
        assert health.json() | {"replica_lag_seconds": None} == {
            "primary": "ok",
            "replica": "down",
            "replica_lag_seconds": None,
            "replica_lag_bytes": None,
            "reads_on_replica": False,
        }
        # Down stays down until the retry time has passed: no page waits on it meanwhile.
        response, on_replica, on_primary = _list(reader)
        assert on_primary and not on_replica
    finally:
        replica_sh("start")
    settings.DUCHA_REPLICA_RETRY_SECONDS = 0
    wait_for_replay()
    assert reader.get("/health").json()["replica"] == "ok"
    response, on_replica, on_primary = _list(reader)
    assert problem.title in response.content.decode()
    assert on_replica and not on_primary


def test_a_dashboard_reads_its_rollups_on_the_replica(world):
    """The dashboards write their SQL out (ducha.reports.sql): it goes where the ORM's go."""
    problem = world.problem(title="复工企业未落实测温")
    wait_until_visible("problems_problem", problem.pk)
    client = _client(world, "county_office")
    with _recording() as sent:
        response = client.get("/api/v1/dashboard", {"region": world.orgs["county"].pk})
    assert response.status_code == 200
    assert response.json()["totals"]["found"] >= 1
    rollups = '"reports_rollupcell"'
    assert any(rollups in sql for sql in sent["replica"])
    assert not any(rollups in sql for sql in sent["default"])
