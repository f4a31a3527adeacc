"""At a phone's size in real Chromium: the dashboard's table links and the agenda's links and
ticks are at least 44 px tall, the lights legend lies inside the screen, a table wider than
the screen says so under it; the agenda's tick survives a reload and the printed agenda has
no navigation and no buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.problems import actions
from tests.browser.conftest import ARTIFACTS, PHONE
from tests.browser.test_loop import _log_in
from tests.world import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TAP = 44


def _boxes(page, selector: str) -> list[dict]:
    return [
        box
        for box in (element.bounding_box() for element in page.locator(selector).all())
        if box is not None
    ]


def _scene():
    world = build_world()
    office, leader = world.users["county_office"], world.users["county_leader"]
    late = timezone.now() - timedelta(days=4)
    for number, region in enumerate(["county", "town", "county", "town"], start=1):
        problem = world.problem(title=f"第{number}号卡口登记不全", region=region, found_at=late)
        actions.do_assign(problem, acting_user=office, responsible_org=world.orgs["county_dept"])
    actions.do_instruct(problem, acting_user=leader, text="三日内整改到位")
    return world


def test_tap_targets_legend_and_wide_tables_on_a_phone(live_server, browser):
    _scene()
    base = live_server.url
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    _log_in(page, base, "county_office")

    page.goto(f"{base}/reports/")
    links = _boxes(page, ".figures-table a")
    assert links, "the dashboard's tables have links"
    assert min(box["height"] for box in links) >= TAP
    legend = _boxes(page, "[data-testid=lights] a.light")
    assert len(legend) == 3
    for box in legend:
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        assert box["height"] >= TAP
    # The chart above the links draws no legend of its own that could be cut off.
    assert page.locator("[data-chart=lights] svg").count() == 1
    assert (
        page.evaluate(
            "echarts.getInstanceByDom(document.querySelector('[data-chart=lights]'))"
            ".getOption().legend[0].show"
        )
        is False
    )
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('.table-responsive'))"
        ".filter(b => b.offsetParent && b.scrollWidth > b.clientWidth + 1).length"
    )
    hints = page.locator("[data-testid=scroll-hint]")
    assert wide >= 1 and hints.count() >= wide
    assert hints.first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)

    page.goto(f"{base}/daily/agenda/")
    for selector in (".agenda-link", "[data-testid=agenda-check]"):
        boxes = _boxes(page, selector)
        assert boxes, selector
        assert min(box["height"] for box in boxes) >= TAP, selector
    first = page.locator("[data-testid=agenda-check]").first
    first.click()
    page.wait_for_selector("[data-testid=agenda-check][data-ticked='1']")
    page.reload()
    assert page.locator("[data-testid=agenda-check][data-ticked='1']").count() == 1

    page.emulate_media(media="print")
    for hidden in (".topbar", ".mainnav", "[data-testid=agenda-check]", "[data-print]"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".agenda-box").first.is_visible()
    assert page.locator("[data-section] li").first.is_visible()
    context.close()
