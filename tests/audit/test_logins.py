"""Logins, failed logins, logouts and expired sessions are written to the audit trail, once
each, with who, when and from where, whichever login page was used."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ducha.accounts import sessions
from ducha.accounts.choices import SecurityEventKind as Kind
from ducha.accounts.models import SecurityEvent
from tests.audit.conftest import ADDRESS, AGENT, browser, events, only, page_login

pytestmark = pytest.mark.django_db


def test_a_login_is_recorded_with_who_when_and_where(world):
    before = timezone.now()
    assert page_login(browser(), "county_office").status_code == 302

    event = only(Kind.LOGIN)
    assert event.actor == world.users["county_office"]
    assert event.username == "county_office"
    assert event.address == ADDRESS
    assert event.user_agent == AGENT
    assert event.path == "/accounts/login/"
    assert before <= event.created_at <= timezone.now()


def test_a_login_on_the_admin_site_is_recorded_too(world):
    # Office staff, who log in with a password alone (administrators add a second factor).
    user = world.users["county_office"]
    user.is_staff = True
    user.save()
    assert page_login(browser(), "county_office", path="/admin/login/").status_code == 302

    event = only(Kind.LOGIN)
    assert event.actor == user
    assert event.path == "/admin/login/"


def test_a_failed_login_names_the_account_it_tried(world):
    response = page_login(browser(), "county_office", "wrong-password")
    assert response.status_code == 200

    event = only(Kind.LOGIN_FAILED)
    assert event.actor is None
    assert event.subject == world.users["county_office"]
    assert event.username == "county_office"
    assert event.address == ADDRESS
    assert event.user_agent == AGENT
    assert not events(Kind.LOGIN)


def test_a_failed_login_of_an_unknown_name_keeps_the_name_as_typed(world):
    page_login(browser(), "不存在的用户", "whatever")

    event = only(Kind.LOGIN_FAILED)
    assert event.subject is None and event.actor is None
    assert event.username == "不存在的用户"


def test_a_typed_name_of_the_longest_allowed_length_is_kept_whole(world):
    page_login(browser(), "x" * 150, "whatever")
    assert only(Kind.LOGIN_FAILED).username == "x" * 150


def test_a_longer_typed_name_is_refused_by_the_form_before_any_login(world):
    response = page_login(browser(), "x" * 250, "whatever")
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not events(Kind.LOGIN_FAILED)


def test_failed_logins_from_one_address_are_bounded_per_minute(world, settings):
    settings.DUCHA_AUDIT_BURST_PER_MINUTE = 3
    client = browser()
    for attempt in range(8):
        page_login(client, f"sprayed-{attempt}", "whatever")
    assert len(events(Kind.LOGIN_FAILED)) == 3
    # Another address has its own budget.
    page_login(browser(REMOTE_ADDR="10.9.9.9"), "sprayed-x", "whatever")
    assert len(events(Kind.LOGIN_FAILED)) == 4


def test_a_locked_out_attempt_is_a_failed_login_too(world):
    client = browser()
    for _ in range(5):
        page_login(client, "county_office", "wrong-password")
    response = page_login(client, "county_office")
    assert response.status_code == 429
    failed = events(Kind.LOGIN_FAILED)
    assert len(failed) == 6
    assert failed[-1].detail["locked_out"] is True
    assert not events(Kind.LOGIN)


def test_a_logout_is_recorded(world):
    client = browser()
    page_login(client, "county_office")
    assert client.post("/accounts/logout/").status_code == 302

    event = only(Kind.LOGOUT)
    assert event.actor == world.users["county_office"]
    assert event.address == ADDRESS
    assert event.path == "/accounts/logout/"


def test_an_expired_session_is_recorded_as_such_not_as_a_logout(world, monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(sessions, "clock", lambda: now[0])
    client = browser()
    page_login(client, "county_office")
    now[0] += 31 * 60
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302

    event = only(Kind.SESSION_EXPIRED)
    assert event.actor == world.users["county_office"]
    assert event.detail == {"clock": "idle"}
    assert event.path == "/accounts/tokens/"
    assert not events(Kind.LOGOUT)


def test_the_trail_holds_nothing_else_for_a_login_and_a_logout(world):
    client = browser()
    page_login(client, "county_office")
    client.post("/accounts/logout/")
    assert sorted(SecurityEvent.objects.values_list("kind", flat=True)) == [
        Kind.LOGIN,
        Kind.LOGOUT,
    ]
