"""The offline field app on a phone: a visit recorded with the network cut lands once when it
returns; one the server refuses shows why in the outbox."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.signals import request_started
from django.db import connections
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image

from ducha.fieldwork import actions
from ducha.fieldwork.choices import TaskState
from ducha.fieldwork.models import Evidence, Inspection
from ducha.problems.models import Problem
from tests.browser.conftest import ARTIFACTS, PHONE
from tests.fieldwork.domain.factory import item, plan
from tests.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

POSITION = {"latitude": 40.9713, "longitude": 117.9392, "accuracy": 15}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _phone(browser, **options):
    return browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        service_workers="allow",
        **options,
    )


def _open_app(page, base: str, task_id: int) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "county_team_member")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    # A team member lands on today's tasks, where the field app is offered.
    page.wait_for_url(f"{base}/field/tasks/")
    page.click("[data-testid=field-app]")
    page.wait_for_url(f"{base}/field/offline/")
    # The worker has taken over the page (and kept it) and the tasks are on the phone.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_selector(f"[data-task='{task_id}'] [data-testid=record-offline]")


def _cut(route) -> None:
    route.abort("internetdisconnected")


def _offline(context) -> None:
    # Chromium's offline emulation may let a request through once a service worker controls
    # the page (microsoft/playwright#2311): every request is refused besides.
    context.set_offline(True)
    context.route("**/*", _cut)


def _online(context) -> None:
    context.unroute("**/*", _cut)
    context.set_offline(False)


def _entry(page, state: str):
    page.wait_for_selector(f"[data-outbox-key][data-state={state}]")
    return page.locator("[data-outbox-key]")


def test_a_visit_recorded_offline_lands_once_when_the_signal_returns(
    live_server, browser, media, tmp_path
):
    world = build_world()
    failing = item(world, "卡口是否逐车登记")
    passing = item(world, "是否配备测温设备")
    task = plan(world, day=timezone.localdate(), notes="重点查看夜间登记台账")
    picture = tmp_path / "gate.png"
    Image.new("RGB", (800, 600), (40, 90, 160)).save(picture, "PNG")
    base = live_server.url
    context = _phone(browser, geolocation=POSITION, permissions=["geolocation"])
    page = context.new_page()
    foreign: list[str] = []
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if urlsplit(request.url).netloc != urlsplit(base).netloc
            else None
        ),
    )
    _open_app(page, base, task.pk)
    assert "重点查看夜间登记台账" in page.inner_text(f"[data-task='{task.pk}']")
    page.check("[data-testid=allow-position]")

    _offline(context)
    page.wait_for_selector("[data-online='0']")
    page.click(f"[data-task='{task.pk}'] [data-testid=record-offline]")
    failed = page.locator(f"[data-item='{failing.pk}']")
    failed.locator(".answer-fail").click()
    title = failed.locator(f"input[name=item_{failing.pk}_title]")
    assert title.is_visible()
    # The question proposes a title; the member makes it say what was found.
    assert title.input_value() == "卡口未逐车登记"
    title.fill("卡口货车未登记即放行")
    failed.locator(f"textarea[name=item_{failing.pk}_note]").fill("两辆货车未登记即放行")
    failed.locator(f"input[name=item_{failing.pk}_photos]").set_input_files(str(picture))
    failed.locator("[data-testid=photo-count]").filter(has_text="1").wait_for()
    page.locator(f"[data-item='{passing.pk}'] .answer-pass").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "field-app-form-offline.png"), full_page=True)
    page.click("[data-testid=save-visit]")
    _entry(page, "waiting")

    # The page comes back without a connection, outbox and all: from the phone, not the server.
    reached: list[tuple[str, str]] = []

    def arrived(sender, environ, **kwargs):
        reached.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))

    request_started.connect(arrived)
    try:
        shell = page.reload()
        assert shell is not None and shell.from_service_worker
        entry = _entry(page, "waiting")
        # Nothing was sent. Chromium's offline emulation, on a loaded machine, has once let
        # the page's own refresh of its data (a GET) through as the page came back.
        assert [call for call in reached if call != ("GET", "/api/v1/field/bundle")] == []
        assert entry.count() == 1
        assert page.locator(f"[data-task='{task.pk}'] [data-testid=record-offline]").count() == 0
        page.screenshot(path=str(ARTIFACTS / "field-app-outbox-offline.png"), full_page=True)
        assert Inspection.objects.count() == 0

        _online(context)
        _entry(page, "sent")
        # The same watch sees the visit arrive once the signal is back.
        assert ("POST", "/api/v1/inspections/with-photos") in reached
    finally:
        request_started.disconnect(arrived)
    inspection = Inspection.objects.get()
    problem = Problem.objects.get()
    assert inspection.task_id == task.pk and problem.inspection_id == inspection.pk
    assert problem.title == "卡口货车未登记即放行"
    photo = Evidence.objects.get(problem=problem)
    assert photo.captured_at is not None and photo.capture_clock == ""
    assert round(float(photo.latitude), 4) == POSITION["latitude"]
    assert photo.position_accuracy == 15
    task.refresh_from_db()
    assert task.state == TaskState.DONE

    # Sent again (a lost answer, a second phone's retry): the key makes it the same visit.
    again = page.evaluate(
        """async () => {
            const config = JSON.parse(document.getElementById("field-config").textContent);
            const [entry] = await FieldStore.listOutbox();
            entry.state = "waiting";
            return (await FieldStore.send(entry, config.record)).state;
        }"""
    )
    assert again == "sent"
    assert (Inspection.objects.count(), Problem.objects.count()) == (1, 1)
    href = page.locator("[data-testid=sent-visit]").get_attribute("href")
    assert href == f"/field/inspections/{inspection.pk}/"
    page.click("[data-testid=sent-visit]")
    page.wait_for_url(f"{base}{href}")
    shown = page.locator(f"[data-evidence='{photo.pk}'] [data-testid=captured-at]").inner_text()
    assert "40.97130" in shown
    page.screenshot(path=str(ARTIFACTS / "field-app-visit-landed.png"), full_page=True)

    # Logging out leaves nothing of the app on the phone.
    page.goto(f"{base}/field/offline/")
    page.click("[data-testid=logout]")
    page.wait_for_url(f"{base}/accounts/login/")
    left = page.evaluate(
        """async () => [
            (await caches.keys()).length,
            (await indexedDB.databases()).map(db => db.name),
            (await navigator.serviceWorker.getRegistrations()).length,
        ]"""
    )
    assert left == [0, [], 0]
    assert foreign == []
    context.close()
    connections.close_all()


def test_a_visit_refused_by_the_server_shows_why_in_the_outbox(live_server, browser, media):
    world = build_world()
    question = item(world, "卡口是否逐车登记")
    task = plan(world, day=timezone.localdate())
    base = live_server.url
    context = _phone(browser)
    page = context.new_page()
    _open_app(page, base, task.pk)

    _offline(context)
    page.click(f"[data-task='{task.pk}'] [data-testid=record-offline]")
    page.locator(f"[data-item='{question.pk}'] .answer-pass").click()
    page.click("[data-testid=save-visit]")
    _entry(page, "waiting")
    # Meanwhile the office calls the visit off.
    actions.do_cancel_task(task, acting_user=world.users["county_office"], reason="改期")

    _online(context)
    entry = _entry(page, "refused")
    with translation.override("zh-hans"):
        reason = gettext("This task is “%(state)s”; only a planned task can change.") % {
            "state": TaskState.CANCELLED.label
        }
    assert entry.locator("[data-testid=refusal]").inner_text() == reason
    assert entry.locator("[data-testid=edit-entry]").is_visible()
    page.screenshot(path=str(ARTIFACTS / "field-app-refused.png"), full_page=True)
    assert Inspection.objects.count() == 0

    # Refused entries stay until the member deals with them; discarding asks first.
    page.once("dialog", lambda dialog: dialog.accept())
    entry.locator("[data-testid=discard-entry]").click()
    page.wait_for_selector("[data-outbox-key]", state="detached")
    context.close()
    connections.close_all()
