"""Recording a problem in a village picked by typing part of its name, on a phone."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from ducha.fieldwork.models import Task
from ducha.orgs.models import Org, Site
from ducha.problems.models import FocusArea, Problem
from tests.browser.conftest import PHONE
from tests.browser.pick import pick
from tests.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_type_part_of_a_village_name_pick_it_and_record(live_server, browser):
    world = build_world()
    o = world.orgs
    east_town = Org.objects.create(kind="region", name="桥东街道", level=4, parent=o["county"])
    Org.objects.create(kind="region", name="东关村", level=5, parent=o["town"])
    wanted = Org.objects.create(kind="region", name="东关村", level=5, parent=east_town)
    clinic = Site.objects.create(name="东关村卫生室", kind="hospital", region=wanted)
    for n in range(30):
        Org.objects.create(kind="region", name=f"第{n}村", level=5, parent=o["town"])
    base = live_server.url
    page = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="zh-CN"
    ).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    foreign: list[str] = []
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url) if urlsplit(r.url).netloc != urlsplit(base).netloc else None
        ),
    )
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", world.users["county_office"].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{base}/problems/queue/")

    page.goto(f"{base}/problems/new/")
    form = "[data-testid=create-form]"
    page.fill(f"{form} input[name=title]", "村口卡点无人值守")
    # The select is hidden behind the box; the box shows the chosen region.
    assert not page.locator(f"{form} select[name=region]").is_visible()
    search = page.locator(f"{form} .picker:has(select[name=region]) [data-picker-input]")
    assert search.input_value() == "双桥区"
    # Two villages of one name: the names above them tell them apart.
    search.click()
    search.fill("东关")
    listed = page.locator(f"{form} .picker:has(select[name=region]) [role=option]")
    listed.first.wait_for()
    assert [listed.nth(i).inner_text().split("\n") for i in range(listed.count())] == [
        ["东关村", "双桥区 › 水泉沟镇"],
        ["东关村", "双桥区 › 桥东街道"],
    ]
    # Keyboard: down to the second match, Enter chooses it (and does not send the form).
    search.press("ArrowDown")
    search.press("ArrowDown")
    search.press("Enter")
    assert search.input_value() == "东关村 — 双桥区 › 桥东街道"
    assert page.locator(f"{form} select[name=region]").input_value() == str(wanted.pk)
    assert page.url.endswith("/problems/new/")

    # The site by tapping a match.
    pick(page, form, "site", "卫生", "东关村卫生室")
    page.select_option(
        f"{form} select[name=focus_area]", str(FocusArea.objects.get(code="screening").pk)
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click(f"{form} button[type=submit]")
    page.wait_for_url("**/problems/*/")
    problem = Problem.objects.get()
    assert problem.region == wanted and problem.site == clinic
    assert errors == [] and foreign == []


def test_plan_a_task_with_sites_picked_as_chips_and_one_removed(live_server, browser):
    world = build_world()
    town = world.orgs["town"]
    clinic = Site.objects.create(name="东关村卫生室", kind="hospital", region=town)
    Site.objects.create(name="东关村诊所", kind="hospital", region=town)
    base = live_server.url
    page = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="zh-CN"
    ).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", world.users["county_office"].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{base}/problems/queue/")

    page.goto(f"{base}/field/tasks/new/")
    form = "#task-form"
    pick(page, form, "team", "督查组", "双桥区督查组")
    page.check(
        f"{form} input[name=focus_areas][value='{FocusArea.objects.get(code='screening').pk}']"
    )
    # Two sites, one after the other: each becomes a chip and the box is free again.
    pick(page, form, "sites", "东关", "东关村卫生室")
    pick(page, form, "sites", "东关", "东关村诊所")
    box = page.locator(f"{form} .picker:has(select[name=sites])")
    chips = box.locator(".picker-chip")
    assert [chips.nth(i).inner_text().split(" — ")[0] for i in range(2)] == [
        "东关村卫生室",
        "东关村诊所",
    ]
    assert box.locator("[data-picker-input]").input_value() == ""
    chips.filter(has_text="诊所").locator("button").click()
    assert chips.count() == 1
    chosen = page.eval_on_selector(
        f"{form} select[name=sites]", "s => Array.from(s.selectedOptions, o => o.value)"
    )
    assert chosen == [str(clinic.pk)]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click(f"{form} button[type=submit]")
    page.wait_for_url("**/field/tasks/*/")
    assert list(Task.objects.get().sites.all()) == [clinic]
    assert errors == []
