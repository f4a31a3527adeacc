"""A team member writes and submits today's report on a 390 px phone, in real Chromium."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import connections

from ducha.daily.models import DailyReport
from tests.browser.conftest import ARTIFACTS, PHONE
from tests.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_todays_report_from_the_phone(live_server, browser):
    build_world()
    base = live_server.url
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "request",
        lambda r: (
            problems.append(r.url) if urlsplit(r.url).netloc != urlsplit(base).netloc else None
        ),
    )
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "county_team_member")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{base}/field/tasks/")  # a team member starts on today's tasks

    page.click("[data-nav='daily:home']")
    page.wait_for_url(f"{base}/daily/")
    page.click("[data-testid=draft-report]")
    page.wait_for_url(f"{base}/daily/reports/*/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill("textarea[name=work]", "上午到高速卡口明查，下午回访农贸市场")
    page.fill("textarea[name=difficulties]", "夜间值守人员不足")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=report-text]")
    assert "已报送" in page.inner_text("[data-report-state]")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "daily-report-phone.png"), full_page=True)
    context.close()

    report = DailyReport.objects.get()
    assert report.state == "submitted" and report.difficulties == "夜间值守人员不足"
    assert report.work == "上午到高速卡口明查，下午回访农贸市场"
    assert problems == []
    # ORM calls made while Playwright's event loop is current get a connection of their own;
    # close it, or it outlives the test database on PostgreSQL.
    connections.close_all()
