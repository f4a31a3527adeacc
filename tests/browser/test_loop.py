"""The whole loop in real Chromium at a phone's size: assign → rectify → verify (销号)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import connections

from tests.browser.conftest import ARTIFACTS, PHONE
from tests.browser.pick import pick
from tests.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _log_in(page, base: str, username: str, lands_on: str = "/problems/queue/") -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{base}{lands_on}")


def _log_out(page) -> None:
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")


def _open_from_queue(page, section: str, problem_id: int) -> None:
    row = page.locator(f"[data-section={section}] [data-problem='{problem_id}']")
    row.click()
    page.wait_for_url(f"**/problems/{problem_id}/")


def _act(page, action: str) -> None:
    details = page.locator(f"details[data-action={action}]")
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def test_assign_rectify_verify_on_a_phone(live_server, browser):
    world = build_world()
    problem = world.problem(team=world.teams["county_team"], title="农贸市场入口未设测温点")
    base = live_server.url
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="zh-CN"
    )
    page = context.new_page()
    # Any script or style the Content-Security-Policy blocks shows up as a console error.
    console_errors = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    foreign = []
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if urlsplit(request.url).netloc != urlsplit(base).netloc
            else None
        ),
    )

    # 交: the county office assigns the new problem to the health bureau.
    _log_in(page, base, "county_office")
    assert page.locator("[data-section=assign] [data-testid=section-count]").inner_text() == "1"
    _open_from_queue(page, "assign", problem.pk)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "detail-office-phone.png"), full_page=True)
    _act(page, "assign")
    pick(page, "details[data-action=assign]", "responsible_org", "卫健", "双桥区卫健局")
    page.fill("details[data-action=assign] textarea[name=comment]", "请于三日内完成整改并反馈")
    page.click("details[data-action=assign] button[type=submit]")
    page.wait_for_url(f"**/problems/{problem.pk}/")
    assert page.locator("[data-testid=responsible-org]").inner_text() == "双桥区卫健局"
    assert page.locator("[data-testid=problem] [data-state]").get_attribute("data-state") == (
        "assigned"
    )
    _log_out(page)

    # 改: the bureau's handler reports the fix.
    _log_in(page, base, "county_handler")
    _open_from_queue(page, "rectify", problem.pk)
    _act(page, "submit_rectification")
    page.fill(
        "details[data-action=submit_rectification] textarea[name=text]",
        "已在入口设置测温点并安排专人值守，附照片",
    )
    page.click("details[data-action=submit_rectification] button[type=submit]")
    page.wait_for_url(f"**/problems/{problem.pk}/")
    assert page.locator("[data-testid=problem] [data-state]").get_attribute("data-state") == (
        "rectified"
    )
    _log_out(page)

    # 核: the team member checks on site and accepts: the problem is closed (销号).
    # A team member starts on today's tasks; the queue is in the menu.
    _log_in(page, base, "county_team_member", lands_on="/field/tasks/")
    page.goto(f"{base}/problems/queue/")
    _open_from_queue(page, "verify", problem.pk)
    _act(page, "verify_accept")
    page.click("details[data-action=verify_accept] button[type=submit]")
    page.wait_for_url(f"**/problems/{problem.pk}/")
    state = page.locator("[data-testid=problem] [data-state]")
    assert state.get_attribute("data-state") == "closed"
    assert state.inner_text() == "已销号"
    timeline = page.locator("[data-testid=timeline] li")
    assert [timeline.nth(i).get_attribute("data-event") for i in range(timeline.count())] == [
        "create",
        "assign",
        "submit_rectification",
        "verify_accept",
    ]

    # Phone layout: nothing wider than the screen, and nothing loaded from another host.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert foreign == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "loop-phone.png"), full_page=True)
    # The list's filters (htmx swaps the results in place; without JS it is a plain GET).
    page.goto(f"{base}/problems/")
    partial = []
    page.on("request", lambda request: partial.append(request.headers.get("hx-request")))
    page.click("details.filters > summary")
    page.select_option("select[name=state]", value="closed")
    page.click("[data-testid=filter-form] button[type=submit]")
    page.wait_for_url("**/problems/?*state=closed*")
    page.wait_for_selector(f"#list-page [data-problem='{problem.pk}']")
    assert "发现问题 1 个，已完成整改 1 个，整改率 100.00%" in page.inner_text("#list-page")
    assert "true" in partial, "the filter form should reload the list through htmx"

    for name, path, opener in [
        ("queue", "/problems/queue/", "[data-testid=user-menu]"),
        ("list", "/problems/", "details.filters > summary"),
        ("create", "/problems/new/", None),
    ]:
        page.goto(f"{base}{path}")
        if opener:
            page.click(opener)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    assert foreign == []
    assert console_errors == []
    context.close()
    # The ORM calls above ran while Playwright's event loop was current, which gives them a
    # connection of their own; close it, or it outlives the test database on PostgreSQL.
    connections.close_all()
