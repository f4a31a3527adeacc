"""Every token expires: a lifetime chosen up to a maximum, old tokens included; an expired
or revoked one answers 401 with the reason, recorded in the audit trail."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import ApiToken
from tests.pages.helpers import text
from tests.tokens.conftest import bearer, events

pytestmark = pytest.mark.django_db


def test_a_new_token_expires_after_the_lifetime_chosen_or_the_maximum(world, issue, login):
    before = timezone.now()
    week, _ = issue("county_office", lifetime_days=7)
    default, _ = issue("county_office")
    assert ApiToken.objects.get(pk=week["id"]).expires_at - before == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=30)
    )
    assert ApiToken.objects.get(pk=default["id"]).expires_at - before == pytest.approx(
        timedelta(days=90), abs=timedelta(seconds=30)
    )
    # The page issues through the same action.
    client = login(world, "county_office")
    response = client.post("/accounts/tokens/", {"name": "页面脚本", "lifetime_days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(name="页面脚本")
    assert token.expires_at - before == pytest.approx(timedelta(days=30), abs=timedelta(seconds=30))
    assert "到期" in text(client.get("/accounts/tokens/"))


def test_an_expired_token_answers_401_with_the_reason_and_is_recorded(world, issue):
    body, script = issue("county_office", lifetime_days=1)
    assert script.get("/me").status_code == 200
    ApiToken.objects.filter(pk=body["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = script.get("/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "此 API 令牌已过期，请在令牌页面签发新令牌。"
    assert response["WWW-Authenticate"].startswith("Bearer")
    [refused] = events(SecurityEventKind.TOKEN_REFUSED)
    assert refused.detail["reason"] == "expired"
    assert refused.detail["token"] == body["id"]
    assert refused.actor == world.users["county_office"]
    assert refused.address == "127.0.0.1"


def test_a_revoked_token_says_so(world, issue, api_as):
    body, script = issue("county_office")
    api_as("county_office").delete(f"/tokens/{body['id']}")
    response = script.get("/me")
    assert response.status_code == 401
    assert "已作废" in response.json()["detail"]
    assert events(SecurityEventKind.TOKEN_REFUSED)[0].detail["reason"] == "revoked"


def test_an_unknown_key_gets_the_plain_answer_and_no_row(world):
    response = bearer("dch_no-such-key").get("/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录，或提供有效的 API 令牌。"
    assert events(SecurityEventKind.TOKEN_REFUSED) == []


def test_a_token_from_before_expiry_lives_the_maximum_from_its_creation(world, settings):
    token, raw = ApiToken.issue(world.users["county_office"], "旧脚本")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=None, created_at=timezone.now() - timedelta(days=89)
    )
    script = bearer(raw)
    assert script.get("/me").status_code == 200
    [listed] = script.get("/tokens").json()
    assert listed["expires_at"] is not None
    settings.DUCHA_TOKEN_MAX_AGE_DAYS = 88
    response = script.get("/me")
    assert response.status_code == 401
    assert "已过期" in response.json()["detail"]


def test_the_maximum_comes_from_settings(world, issue, api_as, login, settings):
    settings.DUCHA_TOKEN_MAX_AGE_DAYS = 30
    response = api_as("county_office").post("/tokens", {"name": "x", "lifetime_days": 31})
    assert response.status_code == 422
    assert response.json() == {"detail": "令牌有效期应为 1 至 30 天。", "field": "lifetime_days"}
    page = login(world, "county_office").post(
        "/accounts/tokens/", {"name": "x", "lifetime_days": "31"}
    )
    assert page.status_code == 422
    assert "令牌有效期应为 1 至 30 天。" in text(page)
    assert not ApiToken.objects.exists()
    body, _ = issue("county_office")
    expires = ApiToken.objects.get(pk=body["id"]).expires_at
    assert expires - timezone.now() == pytest.approx(timedelta(days=30), abs=timedelta(seconds=30))
