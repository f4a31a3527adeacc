"""A lockout of an account revokes every live token of it (each through do_revoke_token, so
each leaves its TokenEvent) and is recorded once, however many failures follow."""

import pytest
from django.test import Client

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import ApiToken, TokenAction, TokenEvent, User
from tests.security_console.conftest import fail
from tests.tokens.conftest import bearer, events
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_lockout_revokes_every_live_token_and_is_recorded_once(world):
    owner = world.users["county_office"]
    live, raw = ApiToken.issue(owner, "脚本")
    other, _ = ApiToken.issue(owner, "另一个脚本")
    _theirs, their_raw = ApiToken.issue(world.users["city_office"], "他人的脚本")
    fail("county_office", 4)
    assert bearer(raw).get("/me").status_code == 200  # below the limit nothing happens
    assert events(SecurityEventKind.LOCKED_OUT) == []
    fail("county_office", 1)
    assert bearer(raw).get("/me").status_code == 401
    for token in (live, other):
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert TokenEvent.objects.filter(token=token, action=TokenAction.REVOKE).count() == 1
    assert bearer(their_raw).get("/me").status_code == 200
    [locked] = events(SecurityEventKind.LOCKED_OUT)
    assert locked.subject == owner and locked.username == "county_office"
    assert locked.address == "10.9.9.9"
    revoked = events(SecurityEventKind.TOKEN_REVOKED)
    assert {r.detail["reason"] for r in revoked} == {"locked_out"} and len(revoked) == 2
    # More failures, and the right password, during the lockout: still one row.
    fail("county_office", 3)
    fail("county_office", 2, address="10.8.8.8")
    refused = Client().post("/accounts/login/", {"username": "county_office", "password": PASSWORD})
    assert refused.status_code == 429
    assert len(events(SecurityEventKind.LOCKED_OUT)) == 1


def test_failures_spread_over_addresses_lock_the_account_too(world):
    _, raw = ApiToken.issue(world.users["county_office"], "脚本")
    fail("county_office", 3, "10.0.0.1")
    fail("county_office", 2, "10.0.0.2")
    assert bearer(raw).get("/me").status_code == 401
    assert len(events(SecurityEventKind.LOCKED_OUT)) == 1


def test_an_address_lockout_alone_revokes_nothing(world):
    """Five failures for an unknown name lock the address; the accounts that then try from
    it are refused but not locked out themselves: their tokens live on."""
    _, raw = ApiToken.issue(world.users["county_office"], "脚本")
    fail("nobody", 5)
    fail("county_office", 1)
    assert bearer(raw).get("/me").status_code == 200
    assert events(SecurityEventKind.LOCKED_OUT) == []


def test_a_token_issued_during_the_lockout_dies_at_the_next_failure(world):
    owner = world.users["county_office"]
    fail("county_office", 5)
    # A session signed in before the lockout may still issue one.
    _, raw = ApiToken.issue(owner, "锁定期间的脚本")
    fail("county_office", 1)
    assert bearer(raw).get("/me").status_code == 401
    assert len(events(SecurityEventKind.LOCKED_OUT)) == 1


def test_after_an_unlock_the_next_lockout_is_recorded_again(world):
    from axes.models import AccessAttempt

    fail("county_office", 5)
    AccessAttempt.objects.filter(username="county_office").delete()
    fail("county_office", 5)
    assert len(events(SecurityEventKind.LOCKED_OUT)) == 2
    assert User.objects.get(username="county_office").is_active
