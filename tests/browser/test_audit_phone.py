"""An audit administrator reads and filters the security audit trail on a phone."""

from __future__ import annotations

import pytest

from ducha.accounts.audit import record
from ducha.accounts.choices import Role
from ducha.accounts.choices import SecurityEventKind as Kind
from ducha.accounts.models import Membership, User
from tests.browser.conftest import ARTIFACTS, PHONE, enrol_second_factor
from tests.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_audit_administrator_filters_the_trail_on_a_phone(live_server, browser):
    world = build_world()
    auditor = User.objects.create_user("county_auditor", password=PASSWORD, name="区审计管理员")
    Membership.objects.create(user=auditor, org=world.orgs["county_office"], role=Role.AUDIT_ADMIN)
    handler = world.users["county_handler"]
    record(Kind.LOGIN, actor=handler, username=handler.username)
    record(Kind.LOGIN_FAILED, subject=handler, username=handler.username)

    base = live_server.url
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "county_auditor")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    # An audit administrator sets up the second factor before anything else.
    enrol_second_factor(page)
    # The loop is closed to an audit administrator: the start page is the trail.
    page.wait_for_url(f"{base}/audit/")

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=audit-trail]")
    page.wait_for_url(f"{base}/audit/")
    assert page.locator("[data-testid=audit-event]").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.click("details.filters summary")
    page.select_option("select[name=kind]", "login_failed")
    page.click("[data-testid=filter-form] button[type=submit]")
    page.wait_for_url("**/audit/?*kind=login_failed*")
    rows = page.locator("[data-testid=audit-event]")
    assert rows.count() == 1
    assert "登录失败" in rows.first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit-trail-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    rows.first.click()
    page.wait_for_url("**/audit/events/*/")
    assert "county_handler" in page.locator("[data-testid=subject]").inner_text()
    context.close()
