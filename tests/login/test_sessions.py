"""Idle and absolute session timeouts, with the middleware's clock moved forward."""

import pytest
from django.contrib.auth import get_user

from ducha.accounts import sessions
from ducha.accounts.actions import do_issue_token
from tests.login.conftest import PASSWORD, page_login
from tests.pages.helpers import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(sessions, "clock", lambda: now[0])
    return now


def test_an_idle_session_ends_with_a_message(client, alice, clock):
    assert page_login(client, "alice", PASSWORD).status_code == 302
    clock[0] += 29 * 60
    assert client.get("/accounts/tokens/").status_code == 200
    clock[0] += 29 * 60  # active a minute ago: still fine
    assert client.get("/accounts/tokens/").status_code == 200
    clock[0] += 31 * 60
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not get_user(client).is_authenticated
    assert "会话已过期" in text(client.get(response.url))


def test_a_busy_session_ends_after_twelve_hours(client, alice, clock):
    assert page_login(client, "alice", PASSWORD).status_code == 302
    for _ in range(12 * 4 + 1):
        clock[0] += 15 * 60
        response = client.get("/accounts/tokens/")
        if response.status_code == 302:
            break
    assert response.status_code == 302
    assert clock[0] - 1_800_000_000.0 > 12 * 3600
    assert not get_user(client).is_authenticated


def test_the_timeouts_come_from_settings(client, alice, clock, settings):
    settings.DUCHA_SESSION_IDLE_MINUTES = 5
    assert page_login(client, "alice", PASSWORD).status_code == 302
    clock[0] += 6 * 60
    assert client.get("/accounts/tokens/").status_code == 302


def test_api_tokens_are_not_affected(client, alice, clock):
    _token, raw = do_issue_token(acting_user=alice, name="脚本")
    clock[0] += 48 * 3600
    answer = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 200


def test_an_expired_session_gets_401_from_the_api(client, alice, clock):
    assert page_login(client, "alice", PASSWORD).status_code == 302
    assert client.get("/api/v1/me").status_code == 200
    clock[0] += 31 * 60
    assert client.get("/api/v1/me").status_code == 401
