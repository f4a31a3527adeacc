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
