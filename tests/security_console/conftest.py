"""Security administrators (安全管理员) of the world's county, its neighbour and the province,
and an audit administrator (审计管理员) of the county, beside the world's system
administrator (`county_admin`)."""

from __future__ import annotations

import pytest
from django.test import Client

from ducha.accounts.choices import Role
from ducha.accounts.models import Membership, User
from tests.world import PASSWORD, World

ADMINS = {
    "county_security": ("区安全管理员", "county_office", Role.SECURITY_ADMIN),
    "sibling_security": ("双滦区安全管理员", "sibling_office", Role.SECURITY_ADMIN),
    "province_security": ("省安全管理员", "province_office", Role.SECURITY_ADMIN),
    "county_audit": ("区审计管理员", "county_office", Role.AUDIT_ADMIN),
}


@pytest.fixture
def admins(world: World) -> World:
    for key, (name, org, role) in ADMINS.items():
        user = User.objects.create_user(key, password=PASSWORD, name=name)
        Membership.objects.create(user=user, org=world.orgs[org], role=role)
        world.users[key] = user
    return world


def fail(username: str, times: int, address: str = "10.9.9.9") -> None:
    client = Client(REMOTE_ADDR=address)
    for _ in range(times):
        client.post("/accounts/login/", {"username": username, "password": "wrong-password"})
