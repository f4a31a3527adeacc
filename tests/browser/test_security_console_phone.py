"""A security administrator unlocks a locked-out account and revokes its token on a phone."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.db import connections
from django.test import Client

from ducha.accounts.choices import Role
from ducha.accounts.models import ApiToken, Membership, User
from tests.browser.conftest import ARTIFACTS, PHONE, enrol_second_factor
from tests.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"


def test_unlock_and_revoke_on_a_phone(live_server, browser):
    world = build_world()
    admin = User.objects.create_user("county_security", password=PASSWORD, name="区安全管理员")
    Membership.objects.create(user=admin, org=world.orgs["county_office"], role=Role.SECURITY_ADMIN)
    office = world.users["county_office"]
    token, _ = ApiToken.issue(office, "每日导出脚本")
    attacker = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(5):
        attacker.post("/accounts/login/", {"username": "county_office", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="county_office").exists()
    token.refresh_from_db()
    assert token.revoked_at is not None  # the lockout took it already
    live, _ = ApiToken.issue(office, "新脚本")
    connections.close_all()

    base = live_server.url
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "county_security")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    # A security administrator sets up the second factor, then starts at the console.
    enrol_second_factor(page)
    page.wait_for_url(f"{base}/accounts/security/")

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=security-console]")
    page.wait_for_url(f"{base}/accounts/security/")
    _fits(page)
    locked = page.locator("[data-testid=locked-account]")
    assert "county_office" in locked.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "security-console-phone.png"), full_page=True)

    locked.locator("a").first.click()
    page.wait_for_url(f"{base}/accounts/security/accounts/{office.pk}/")
    _fits(page)
    page.click("[data-testid=lockout] [data-testid=unlock]")
    page.wait_for_load_state()
    assert "已解锁" in page.inner_text("body")
    page.click("[data-testid=revoke]")
    page.wait_for_load_state()
    assert "令牌已作废" in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "security-account-phone.png"), full_page=True)
    context.close()

    assert not AccessAttempt.objects.filter(username="county_office").exists()
    live.refresh_from_db()
    assert live.revoked_at is not None
