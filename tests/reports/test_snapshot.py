"""A dashboard reads in one transaction of its own and leaves the connection as it found it.

Outside a caller's transaction the dashboard begins and ends its transaction by hand (see
`one_snapshot`); these tests run without the test-case transaction so that path is the one
taken, as in a real request.
"""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, connections

from ducha.reports.rollup_source import one_snapshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def in_transaction() -> bool:
    """Whether the connection has a transaction open on the database server."""
    if connection.vendor == "postgresql":
        from psycopg.pq import TransactionStatus

        return connection.connection.info.transaction_status != TransactionStatus.IDLE
    return connection.connection.in_transaction


def found_in_county(api) -> int:
    return api.get("/dashboard").json()["totals"]["found"]


def test_a_dashboard_leaves_no_transaction_open_and_actions_after_it_commit(world, api_as):
    office = api_as("county_office")
    before = found_in_county(office)
    assert office.client.get("/reports/").status_code == 200
    assert not connection.in_atomic_block
    assert not in_transaction()

    world.problem(title="看板之后发现的问题")

    # Read from another connection: the new problem was committed, not held in a
    # transaction the dashboard left open.
    seen: list[int] = []

    def read() -> None:
        try:
            seen.append(found_in_county(api_as("county_leader")))
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    assert seen == [before + 1]
    assert found_in_county(office) == before + 1


def test_an_error_while_reading_rolls_back_and_the_next_request_works(world, api_as, monkeypatch):
    office = api_as("county_office")
    expected = found_in_county(office)

    from ducha.reports import rollup_source

    def broken(self, spec):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")  # fails inside the snapshot

    monkeypatch.setattr(rollup_source.RollupSource, "compute", broken)
    with pytest.raises(DatabaseError, match="no_such_table"):
        office.get("/dashboard")
    assert not in_transaction()
    monkeypatch.undo()

    assert found_in_county(office) == expected


def test_every_read_of_a_dashboard_sees_one_moment(world):

    def count() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM problems_problem")
            return cursor.fetchone()[0]

    def commit_a_problem() -> None:
        try:
            world.problem(title="读数之间发现的问题")
        finally:
            connections.close_all()

    with one_snapshot():
        first = count()
        writer = threading.Thread(target=commit_a_problem)
        writer.start()
        writer.join()
        second = count()
    after = count()

    assert after == first + 1
    # PostgreSQL reads from one snapshot; SQLite reads without one (its transactions would
    # make readers wait for writers), so it sees the problem committed in between.
    assert second == (first if connection.vendor == "postgresql" else first + 1)
