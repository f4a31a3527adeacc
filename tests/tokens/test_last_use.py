"""The time of use is written at most once a minute per token (not on every request), the
address of use whenever it changes, and a change of address is recorded once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import ApiToken
from tests.pages.helpers import text
from tests.tokens.conftest import bearer, events

pytestmark = pytest.mark.django_db


def _token_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith("UPDATE") and "accounts_apitoken" in q["sql"]
    ]


def test_the_time_of_use_is_written_at_most_once_a_minute(world):
    token, raw = ApiToken.issue(world.users["county_office"], "脚本")
    script = bearer(raw)
    with CaptureQueriesContext(connection) as first:
        assert script.get("/me").status_code == 200
    assert len(_token_writes(first.captured_queries)) == 1
    token.refresh_from_db()
    used = token.last_used_at
    assert used is not None and token.last_used_from == "127.0.0.1"
    with CaptureQueriesContext(connection) as then:
        for _ in range(5):
            assert script.get("/me").status_code == 200
    assert _token_writes(then.captured_queries) == []
    token.refresh_from_db()
    assert token.last_used_at == used
    # A minute later the next use is written again.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=used - timedelta(seconds=61))
    assert script.get("/me").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > used - timedelta(seconds=1)


def test_a_use_from_a_new_address_is_recorded_once_per_change(world):
    token, raw = ApiToken.issue(world.users["county_office"], "脚本")
    assert bearer(raw, "10.0.0.1").get("/me").status_code == 200
    assert events(SecurityEventKind.TOKEN_NEW_ADDRESS) == []  # the first use is no change
    elsewhere = bearer(raw, "10.0.0.2")
    for _ in range(3):
        assert elsewhere.get("/me").status_code == 200
    [moved] = events(SecurityEventKind.TOKEN_NEW_ADDRESS)
    assert moved.address == "10.0.0.2"
    assert moved.detail["previous"] == "10.0.0.1"
    assert moved.detail["token"] == token.pk
    assert moved.actor == world.users["county_office"]
    token.refresh_from_db()
    assert token.last_used_from == "10.0.0.2"
    # Back to the first address: another change, another row.
    assert bearer(raw, "10.0.0.1").get("/me").status_code == 200
    assert len(events(SecurityEventKind.TOKEN_NEW_ADDRESS)) == 2


def test_the_tokens_page_shows_expiry_scope_and_last_use(world, login):
    token, raw = ApiToken.issue(world.users["county_office"], "只读脚本", scope="read")
    assert bearer(raw, "10.1.2.3").get("/me").status_code == 200
    page = text(login(world, "county_office").get("/accounts/tokens/"))
    token.refresh_from_db()
    expires = timezone.localtime(token.expires).strftime("%Y-%m-%d %H:%M")
    assert f"有效期至 {expires}" in page
    assert "10.1.2.3" in page
    assert "只读" in page
    assert "最近使用" in page
