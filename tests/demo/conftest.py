"""The demo, loaded once for this whole package inside a transaction rolled back after it.

Loading the demo is the slowest setup of the suite, so every test that reads the demo lives in
this package and shares one load; each test runs in its own savepoint (the `db` fixture), so
none sees another's changes. A test that needs a database without the demo lives elsewhere.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation

from ducha.demo.cast import PASSWORD
from ducha.orgs.models import Org
from ducha.problems.rollups import writes
from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401

# Tests log in dozens of times; the demo stores its one hash with the fast test hasher.
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class LoadedDemo:
    output: str
    # The rows of each write of rollup changes during the load (tests/demo/test_rollups.py).
    rollup_writes: list[int]

    @staticmethod
    def region(code: str) -> Org:
        return Org.objects.get(kind="region", code=code)


def analyze() -> None:
    """The uncommitted demo load made ready for the tests that read it, on PostgreSQL.

    It stays uncommitted (rolled back after the package), so autovacuum never analyses it:
    ANALYZE gives the planner the tables' statistics, else it plans for empty tables. And its
    deferred foreign-key checks are run once here: otherwise every test's teardown, which checks
    the pending constraints inside its savepoint and then rolls them back, checks the whole
    demo again (5 s a test)."""
    if connection.vendor == "postgresql":
        connection.check_constraints()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    out = io.StringIO()
    with (
        django_db_blocker.unblock(),
        # The files the demo writes while it loads stay in one directory for the package.
        override_settings(
            PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")
        ),
        transaction.atomic(),
    ):
        with _counting_rollup_writes() as written:
            call_command("load_demo", stdout=out)
        analyze()
        yield LoadedDemo(out.getvalue(), written)
        transaction.set_rollback(True)


@contextmanager
def _counting_rollup_writes() -> Iterator[list[int]]:
    """While the demo loads, the size of each write of summed rollup changes."""
    written: list[int] = []
    add_rows = writes.add_rows

    def counted(cells, due):
        written.append(len(cells) + len(due))
        return add_rows(cells, due)

    writes.add_rows = counted
    try:
        yield written
    finally:
        writes.add_rows = add_rows


@pytest.fixture(autouse=True)
def _default_language():
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def signed_in(demo, db):
    """`signed_in("chengdu.office")`: a client with a session of that demo account."""

    def _signed_in(username: str) -> Client:
        client = Client()
        assert client.login(username=username, password=PASSWORD), username
        return client

    return _signed_in
