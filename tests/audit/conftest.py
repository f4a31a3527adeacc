"""Audit administrators beside the world's personas, and reading the trail back."""

from __future__ import annotations

import pytest
from django.test import Client

from ducha.accounts.choices import Role
from ducha.accounts.models import Membership, SecurityEvent, User
from tests.twofactor.conftest import enrol
from tests.world import PASSWORD, World

ADDRESS = "10.20.30.40"
AGENT = "Mozilla/5.0 (Linux; Android 14) DuchaTest/1.0"


def page_login(client: Client, username: str, password: str = PASSWORD, path: str = ""):
    return client.post(path or "/accounts/login/", {"username": username, "password": password})


def browser(**extra) -> Client:
    """A client that comes from a known address with a known user agent."""
    return Client(**{"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT, **extra})


def events(kind: str, **filters) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind, **filters).order_by("pk"))


def only(kind: str, **filters) -> SecurityEvent:
    found = events(kind, **filters)
    assert len(found) == 1, found
    return found[0]


def add_admin(world: World, key: str, org: str, role: str = Role.AUDIT_ADMIN) -> User:
    user = User.objects.create_user(key, password=PASSWORD, name=key)
    Membership.objects.create(user=user, org=world.orgs[org], role=role)
    world.users[key] = user
    return user


@pytest.fixture
def auditors(world: World) -> World:
    """Audit administrators of the county, the sibling county and the province, a security
    administrator of the county, and a superuser."""
    add_admin(world, "county_auditor", "county_office")
    add_admin(world, "sibling_auditor", "sibling_office")
    add_admin(world, "province_auditor", "province_office")
    add_admin(world, "county_security", "county_office", Role.SECURITY_ADMIN)
    world.users["root"] = User.objects.create_superuser("root", password=PASSWORD)
    return world


@pytest.fixture
def as_persona(world: World):
    """A fresh client logged in through the login page as a persona."""

    def _as(key: str) -> Client:
        client = browser()
        response = page_login(client, world.users[key].username)
        assert response.status_code == 302
        if response.url.startswith("/accounts/two-factor/setup/"):
            # Administrators log in with a second factor: set it up, which signs them in.
            enrol(client)
        return client

    return _as
