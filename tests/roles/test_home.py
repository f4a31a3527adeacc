"""Where each account starts after login: the queue, a team member's tasks, or an
administrator's own console."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def _start(world, key: str) -> str:
    client = Client()
    assert client.login(username=world.users[key].username, password=PASSWORD)
    response = client.get("/")
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize(
    ("persona", "start"),
    [
        ("county_office", "/problems/queue/"),
        ("county_handler", "/problems/queue/"),
        # A team's day is its visits: it starts on today's tasks.
        ("county_team_member", "/field/tasks/"),
        ("county_security_admin", "/accounts/security/"),
        ("county_audit_admin", "/audit/"),
        # A system administrator without the admin site has nowhere better than the queue.
        ("county_admin", "/problems/queue/"),
    ],
)
def test_each_account_starts_at_its_own_work(world, persona, start):
    assert _start(world, persona) == start


def test_a_system_administrator_with_the_admin_site_starts_there(world):
    admin = world.users["county_admin"]
    admin.is_staff = True
    admin.save()
    assert _start(world, "county_admin") == "/admin/"


def test_the_login_page_sends_everyone_to_the_start_page(world):
    response = Client().post(
        "/accounts/login/",
        {"username": world.users["county_office"].username, "password": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_anonymous_caller_is_sent_to_log_in(world):
    response = Client().get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
