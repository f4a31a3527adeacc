import json
import os
from collections import Counter

import pytest
from django.core.cache import cache

from tests.world import PASSWORD, World, build_world


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Personas log in hundreds of times; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login(client):
    """Log the test client in as one of the world's personas."""

    def _login(world: World, key: str):
        assert client.login(username=world.users[key].username, password=PASSWORD)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; ids are reused between tests on SQLite.
    cache.clear()


def pytest_collection_modifyitems(config, items):
    """The tests marked `replica` need a streaming replica: without DUCHA_REPLICA_URL they are
    deselected, and asking for them by marker is an error rather than an empty run."""
    if os.environ.get("DUCHA_REPLICA_URL"):
        return
    wanted = config.getoption("markexpr") or ""
    if "replica" in wanted and "not replica" not in wanted:
        raise pytest.UsageError(
            "-m replica needs a streaming replica: deploy/replica.sh, then "
            "DUCHA_REPLICA_URL=postgres://…:5433/<the DATABASE_URL's database>"
        )
    replica_tests = [item for item in items if item.get_closest_marker("replica")]
    if replica_tests:
        config.hook.pytest_deselected(items=replica_tests)
        items[:] = [item for item in items if not item.get_closest_marker("replica")]


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    """Schemathesis gives every operation's item the node id of its test function, and
    pytest-split (`make durations`, CI's groups in .ci/run) stores their times summed under
    that one id, then counts the sum for each of them. Once it has stored them, each shared
    id keeps the time of one item."""
    if not getattr(session.config.option, "store_durations", False):
        return
    shared = {k: n for k, n in Counter(i.nodeid for i in session.items).items() if n > 1}
    path = session.config.option.durations_path
    with open(path) as stored:
        durations = json.load(stored)
    for nodeid, count in shared.items():
        if nodeid in durations:
            durations[nodeid] /= count
    with open(path, "w") as stored:
        json.dump(durations, stored, sort_keys=True, indent=4)
