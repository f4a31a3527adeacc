"""The security administrator's console: the accounts of the jurisdiction, lockouts and
unlocking, revoking tokens, the policies in force; 404 for any other account."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import ApiToken, SecurityEvent, TokenAction, TokenEvent, User
from tests.pages.helpers import text
from tests.security_console.conftest import fail
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_console_lists_the_accounts_of_the_jurisdiction_and_searches(admins, login):
    client = login(admins, "county_security")
    page = client.get("/accounts/security/")
    assert page.status_code == 200
    body = text(page)
    assert 'data-username="county_office"' in body
    assert 'data-username="county_handler"' in body
    assert 'data-username="sibling_office"' not in body
    assert 'data-username="county_security"' not in body  # never oneself
    found = text(client.get("/accounts/security/", {"q": "卫健局"}))
    assert 'data-username="county_handler"' in found
    assert 'data-username="county_office"' not in found
    too_long = client.get("/accounts/security/", {"q": "x" * 101})
    assert too_long.status_code == 422
    assert 'data-testid="field-error"' in text(too_long)


def test_the_list_is_bounded(admins, login, monkeypatch):
    monkeypatch.setattr("ducha.accounts.security_views.LISTED", 3)
    body = text(login(admins, "county_security").get("/accounts/security/"))
    assert body.count('data-testid="account"') == 3
    assert 'data-testid="more"' in body


def test_locked_out_accounts_are_listed_with_addresses_for_the_province_only(admins, login):
    fail("county_office", 5, "10.9.9.9")
    county = text(login(admins, "county_security").get("/accounts/security/"))
    assert 'data-testid="locked-account"' in county and "county_office" in county
    assert "10.9.9.9" not in county
    province = Client()
    province.force_login(admins.users["province_security"])
    body = text(province.get("/accounts/security/"))
    assert 'data-testid="locked-account"' in body and "10.9.9.9" in body
    # The neighbour's security administrator sees nothing of it.
    sibling = Client()
    sibling.force_login(admins.users["sibling_security"])
    assert 'data-testid="locked-account"' not in text(sibling.get("/accounts/security/"))


def test_a_security_administrator_of_the_jurisdiction_unlocks(admins, login):
    fail("county_office", 5)
    assert (
        Client()
        .post("/accounts/login/", {"username": "county_office", "password": PASSWORD})
        .status_code
        == 429
    )
    client = login(admins, "county_security")
    office = admins.users["county_office"]
    detail = text(client.get(f"/accounts/security/accounts/{office.pk}/"))
    assert "该账号已被锁定" in detail and 'data-testid="unlock"' in detail
    response = client.post(f"/accounts/security/accounts/{office.pk}/unlock/")
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="county_office").exists()
    [unlocked] = SecurityEvent.objects.filter(kind=SecurityEventKind.UNLOCKED)
    assert unlocked.actor == admins.users["county_security"] and unlocked.subject == office
    assert unlocked.detail["failures"] >= 5
    login_again = Client().post(
        "/accounts/login/", {"username": "county_office", "password": PASSWORD}
    )
    assert login_again.status_code == 302


@pytest.mark.parametrize("persona", ["sibling_security", "county_admin", "county_audit"])
def test_anyone_else_gets_404_and_changes_nothing(admins, persona):
    fail("county_office", 5)
    office = admins.users["county_office"]
    token, _ = ApiToken.issue(admins.users["county_handler"], "脚本")
    client = Client()
    client.force_login(admins.users[persona])
    assert client.get(f"/accounts/security/accounts/{office.pk}/").status_code == 404
    assert client.post(f"/accounts/security/accounts/{office.pk}/unlock/").status_code == 404
    assert client.post(f"/accounts/security/tokens/{token.pk}/revoke/").status_code == 404
    assert AccessAttempt.objects.filter(username="county_office").exists()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.UNLOCKED).exists()


@pytest.mark.parametrize("persona", ["county_admin", "county_audit", "county_office"])
def test_the_console_is_refused_to_other_roles(admins, persona):
    client = Client()
    client.force_login(admins.users[persona])
    assert client.get("/accounts/security/").status_code == 403
    assert client.get("/accounts/security/policies/").status_code == 403
    assert 'data-testid="security-console"' not in text(client.get("/accounts/tokens/"))


def test_a_superuser_and_oneself_are_nobody_s_to_administer(admins, login):
    root = User.objects.create_superuser("root", password=PASSWORD)
    client = login(admins, "county_security")
    me = admins.users["county_security"]
    assert client.get(f"/accounts/security/accounts/{root.pk}/").status_code == 404
    assert client.get(f"/accounts/security/accounts/{me.pk}/").status_code == 404
    assert client.get("/accounts/security/accounts/999999/").status_code == 404


def test_the_security_administrator_revokes_a_token(admins, login):
    handler = admins.users["county_handler"]
    token, raw = ApiToken.issue(handler, "经办人脚本")
    client = login(admins, "county_security")
    detail = text(client.get(f"/accounts/security/accounts/{handler.pk}/"))
    assert "经办人脚本" in detail and 'data-testid="revoke"' in detail
    response = client.post(f"/accounts/security/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    [event] = TokenEvent.objects.filter(token=token, action=TokenAction.REVOKE)
    assert event.actor == admins.users["county_security"]
    [revoked] = SecurityEvent.objects.filter(kind=SecurityEventKind.TOKEN_REVOKED)
    assert revoked.actor == admins.users["county_security"] and revoked.subject == handler
    script = Client(headers={"Authorization": f"Bearer {raw}"})
    assert script.get("/api/v1/me").status_code == 401


def test_the_policies_in_force_are_shown(admins, login, settings):
    settings.DUCHA_TOKEN_MAX_AGE_DAYS = 45
    settings.AXES_FAILURE_LIMIT = 7
    body = text(login(admins, "county_security").get("/accounts/security/policies/"))
    for label, value in [
        ("最长有效期（天）", "45"),
        ("锁定前允许的登录失败次数", "7"),
        ("空闲超时（分钟）", "30"),
        ("最小长度", "10"),
    ]:
        assert f'{label}</dt><dd class="col-4 col-sm-6 fw-semibold">{value}</dd>' in body


def test_the_user_menu_links_the_console_for_security_administrators(admins, login):
    body = text(login(admins, "county_security").get("/accounts/tokens/"))
    assert 'data-testid="security-console"' in body
    assert 'href="/accounts/security/"' in body


def test_the_account_page_leads_to_the_two_factor_reset(admins, login):
    office = admins.users["county_office"]
    client = login(admins, "county_security")
    page = text(client.get(f"/accounts/security/accounts/{office.pk}/"))
    reset = f"/accounts/security/users/{office.pk}/two-factor/reset/"
    assert reset in page
    assert client.get(reset).status_code == 200


def test_each_refused_login_counts_once(admins, login):
    """The lockout page does not authenticate again while it shows the reason: seven tries
    are seven failures, not ten."""
    fail("county_office", 7)
    office = admins.users["county_office"]
    page = text(login(admins, "county_security").get(f"/accounts/security/accounts/{office.pk}/"))
    assert "失败 7 次" in page
