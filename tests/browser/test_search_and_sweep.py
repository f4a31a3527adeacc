"""举一反三 on a phone: a search in traditional script finds a problem written in simplified
script, the office launches a sweep from it, and a unit answers with a new problem that is
linked to the original."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from ducha.problems.models import Problem
from ducha.sweeps.models import SelfCheck, Sweep, SweepProblem
from tests.browser.conftest import PHONE
from tests.browser.pick import pick
from tests.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _phone(browser, base: str, username: str, foreign: list[str]):
    page = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="zh-CN"
    ).new_page()
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url) if urlsplit(r.url).netloc != urlsplit(base).netloc else None
        ),
    )
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_load_state()
    return page


def test_search_in_traditional_script_then_sweep_and_a_units_answer(live_server, browser):
    world = build_world()
    origin = world.assigned(
        title="药店门口排队人员聚集未保持间距", description="购药群众排队拥挤，未落实一米线"
    )
    elsewhere = world.problem(title="卡口值守人员未逐车测温登记")
    base = live_server.url
    foreign: list[str] = []

    office = _phone(browser, base, world.users["county_office"].username, foreign)
    # The header's box, typed in traditional script.
    office.fill("[data-testid=header-search] input[name=q]", "藥店 一米線")
    office.press("[data-testid=header-search] input[name=q]", "Enter")
    office.wait_for_url("**/search/?*")
    hits = office.locator("[data-testid=search-hit][data-kind=problems]")
    assert [int(hits.nth(i).get_attribute("data-id")) for i in range(hits.count())] == [origin.pk]
    assert elsewhere.title not in office.content()
    # The matched words are marked in the original script of the record.
    assert office.locator("[data-testid=search-hit] mark", has_text="药店").count() >= 1
    assert office.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    hits.first.click()
    office.wait_for_url(f"**/problems/{origin.pk}/")
    office.click("[data-testid=launch-sweep]")
    office.wait_for_url(f"**/sweeps/new/{origin.pk}/")
    form = "[data-testid=launch-form]"
    office.fill(f"{form} textarea[name=check_text]", "逐一检查辖区药店排队秩序和一米线落实情况")
    pick(office, form, "units", "卫健", "双桥区卫健局")
    office.click(f"{form} button[type=submit]")
    sweep = Sweep.objects.get()
    office.wait_for_url(f"**/sweeps/{sweep.pk}/")
    assert office.locator("[data-figure=waiting]").inner_text() == "1"

    unit = _phone(browser, base, world.users["county_handler"].username, foreign)
    check = SelfCheck.objects.get(sweep=sweep)
    unit.goto(f"{base}/sweeps/queue/")
    unit.click(f"[data-check='{check.pk}']")
    answer = "[data-testid=answer-form]"
    unit.check(f"{answer} input[name=outcome][value=found]")
    unit.fill(f"{answer} textarea[name=problems]", "城东药店排队无人引导")
    unit.click(f"{answer} button[type=submit]")
    unit.wait_for_load_state()
    assert unit.locator("[data-testid=found]").inner_text().startswith("城东药店排队无人引导")

    found = Problem.objects.get(title="城东药店排队无人引导")
    link = SweepProblem.objects.get(problem=found)
    assert (link.sweep_id, link.origin_id, link.self_check_id) == (sweep.pk, origin.pk, check.pk)
    # The office sees the answer in the sweep's progress and the group on the new problem.
    office.goto(f"{base}/sweeps/{sweep.pk}/")
    assert office.locator("[data-figure=answered]").inner_text() == "1"
    assert office.locator("[data-figure=problems]").inner_text() == "1"
    office.goto(f"{base}/problems/{found.pk}/")
    origin_link = office.locator("[data-testid=sweep-origin] a")
    assert origin_link.get_attribute("href") == f"/problems/{origin.pk}/"
    assert foreign == []
