"""A team member records a visit on a phone: one failed item, one photo, the problem created."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.db import connections
from django.utils import timezone
from PIL import Image

from ducha.fieldwork.models import Evidence, Inspection, Task
from ducha.orgs.models import Team
from ducha.problems.models import Problem
from tests.browser.conftest import ARTIFACTS, PHONE
from tests.browser.pick import pick
from tests.fieldwork.domain.factory import item, plan, screening, tomorrow
from tests.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_record_a_visit_with_a_failed_item_and_a_photo(
    live_server, browser, media, tmp_path, settings
):
    world = build_world()
    failing = item(world, "卡口是否逐车登记")
    passing = item(world, "是否配备测温设备")
    task = plan(world, day=timezone.localdate(), notes="重点查看夜间登记台账")
    picture = tmp_path / "gate.png"
    image = Image.new("RGB", (640, 480), (40, 90, 160))
    image.paste((240, 200, 40), (200, 150, 440, 330))
    image.save(picture, "PNG")
    # Straight from a camera: more bytes than the server takes, until the page shrinks it.
    camera = tmp_path / "camera.png"
    Image.frombytes("RGB", (2200, 1700), os.urandom(2200 * 1700 * 3)).save(camera, "PNG")
    assert camera.stat().st_size > settings.DUCHA_EVIDENCE_MAX_BYTES

    base = live_server.url
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
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

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "county_team_member")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    # A team member starts on today's tasks.
    page.wait_for_url(f"{base}/field/tasks/")
    card = page.locator(f"[data-task='{task.pk}']")
    assert "重点查看夜间登记台账" in card.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "field-tasks-phone.png"), full_page=True)
    card.locator("[data-testid=record-inspection]").click()
    page.wait_for_url(f"**/field/inspections/new/?task={task.pk}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # One failed item with a note; what only failures need appears once "fail" is chosen.
    failed = page.locator(f"[data-item='{failing.pk}']")
    assert not failed.locator(".if-failed").is_visible()
    failed.locator(".answer-fail").click()
    assert failed.locator(".if-failed").is_visible()
    # The question proposes the problem's title; the member says what was actually found.
    title = failed.locator(f"input[name=item_{failing.pk}_title]")
    assert title.input_value() == "卡口未逐车登记"
    title.fill("卡口货车未登记即放行")
    failed.locator("textarea[name$=_note]").fill("两辆货车未登记即放行")
    page.locator(f"[data-item='{passing.pk}'] .answer-pass").click()
    page.set_input_files("input[name=photos]", str(picture))
    item_photos = f"input[name=item_{failing.pk}_photos]"
    page.set_input_files(item_photos, str(camera))
    page.wait_for_function(
        """selector => {
            const input = document.querySelector(selector);
            return !input.hasAttribute("data-shrinking") && input.files[0].type === "image/jpeg";
        }""",
        arg=item_photos,
    )
    shrunk = page.evaluate(f"document.querySelector('{item_photos}').files[0].size")
    assert shrunk < settings.DUCHA_EVIDENCE_MAX_BYTES / 2
    page.screenshot(path=str(ARTIFACTS / "inspection-form-phone.png"), full_page=True)
    page.click("[data-testid=submit-inspection]")
    page.wait_for_url("**/field/inspections/*/")

    inspection = Inspection.objects.get()
    problem = Problem.objects.get()
    evidence = Evidence.objects.get(inspection=inspection)
    problem_photo = Evidence.objects.get(problem=problem)
    assert problem_photo.kind == "image"
    assert page.url == f"{base}/field/inspections/{inspection.pk}/"
    assert problem.inspection_id == inspection.pk and problem.title == "卡口货车未登记即放行"
    link = page.locator("[data-testid=created-problem]")
    assert link.get_attribute("href") == f"/problems/{problem.pk}/"
    assert "卡口货车未登记即放行" in link.inner_text()
    thumbnail = page.locator(f"[data-evidence='{evidence.pk}'] img[data-testid=thumbnail]")
    thumbnail.wait_for()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    page.locator(f"[data-evidence='{problem_photo.pk}'] img").wait_for()
    assert page.locator("[data-answer] [data-result=fail]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "inspection-phone.png"), full_page=True)

    # The problem itself opens from the visit.
    link.click()
    page.wait_for_url(f"**/problems/{problem.pk}/")
    assert page.locator("[data-testid=problem] h1").inner_text() == "卡口货车未登记即放行"

    assert foreign == []
    assert console_errors == []
    context.close()
    # The ORM calls above ran while Playwright's event loop was current, which gives them a
    # connection of their own; close it, or it outlives the test database on PostgreSQL.
    connections.close_all()


def _watch(page, base: str) -> tuple[list[str], list[str]]:
    console_errors: list[str] = []
    foreign: list[str] = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if urlsplit(request.url).netloc != urlsplit(base).netloc
            else None
        ),
    )
    return console_errors, foreign


def test_evening_meeting_to_tomorrows_sheet_on_a_phone(live_server, browser, tmp_path):
    world = build_world()
    item(world, "卡口是否逐车登记")
    other_team = Team.objects.create(
        name="水泉沟镇专项督查组", kind="special", dispatched_by=world.orgs["county_office"]
    )
    other_team.regions.add(world.orgs["town"])
    world.teams["town_team"] = other_team
    other = plan(world, team="town_team")
    base = live_server.url
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    console_errors, foreign = _watch(page, base)
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "county_office")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{base}/problems/queue/")

    # 会商: the evening meeting is recorded …
    page.click("[data-nav='fieldwork:meetings']")
    page.click("[data-testid=new-meeting]")
    page.fill("input[name=title]", "晚间会商")
    page.fill("textarea[name=decisions]", "明日由区督查组检查高速卡口登记")
    page.click("[data-testid=meeting-form] button[type=submit]")
    page.wait_for_url("**/field/meetings/*/")
    # … and its decision becomes tomorrow's task; the other team's visit is flagged (1+N).
    form = page.locator("#task-form")
    pick(page, "#task-form", "team", "双桥区", "双桥区督查组")
    form.locator(f"input[name=focus_areas][value='{screening().pk}']").check()
    pick(page, "#task-form", "sites", "卡口", "双桥区高速卡口")
    # Warned while filling in the form (htmx), before anything is sent.
    page.wait_for_selector(f"#overlap-hint [data-overlap='task-{other.pk}']")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"[data-overlap='task-{other.pk}']")
    assert "水泉沟镇专项督查组" in page.inner_text("[data-testid=overlaps]")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "plan-overlap-phone.png"), full_page=True)
    # The warning page answers 409 Conflict, which the browser logs; nothing else may be there.
    assert [error for error in console_errors if "409" not in error] == []
    console_errors.clear()
    page.click("[data-testid=plan-anyway]")
    page.wait_for_url("**/field/meetings/*/")
    planned = Task.objects.exclude(pk=other.pk).get()
    assert planned.meeting is not None and planned.day == tomorrow()
    assert page.locator(f"[data-task='{planned.pk}']").count() == 1

    # Tomorrow's sheet, and its Excel download.
    page.goto(f"{base}/field/day/{tomorrow():%Y-%m-%d}/")
    assert page.locator("[data-task]").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "day-sheet-phone.png"), full_page=True)
    with page.expect_download() as download:
        page.click("[data-testid=export]")
    saved = tmp_path / "tasks.xlsx"
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    assert sheet.max_row == 3
    assert {sheet.cell(row=n, column=1).value for n in (2, 3)} == {
        "双桥区督查组",
        "水泉沟镇专项督查组",
    }

    for name, path in [
        ("checklists", "/field/checklists/"),
        ("revisits", "/field/revisits/"),
        ("burden", "/field/burden/"),
        ("task", f"/field/tasks/{planned.pk}/"),
    ]:
        page.goto(f"{base}{path}")
        for summary in page.locator("details.action > summary").all()[:2]:
            summary.click()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        page.screenshot(path=str(ARTIFACTS / f"field-{name}-phone.png"), full_page=True)

    assert foreign == []
    assert console_errors == []
    context.close()
    connections.close_all()
