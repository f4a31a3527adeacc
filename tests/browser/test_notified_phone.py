"""A unit learns of its work without anyone calling: in real Chromium at a phone's size, the
handler finds the assignment in the inbox, signs for it, asks for more time, and hears of the
office's answer — and the same news reaches a real SMTP server and a WeCom robot on 127.0.0.1.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.celery import app
from ducha.notices.delivery.models import OrgChannel
from ducha.problems.models import Extension, Problem
from tests.browser.conftest import ARTIFACTS, PHONE
from tests.browser.pick import pick
from tests.browser.test_loop import _act, _log_in, _log_out, _open_from_queue
from tests.delivery.servers import HttpServer, SmtpServer
from tests.world import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "高速卡口夜间未逐车测温"


@pytest.fixture
def receivers(settings):
    with SmtpServer() as smtp, HttpServer() as http:
        settings.DUCHA_DELIVERY_CHANNELS = ["email", "wecom"]
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp.port, 5
        settings.DUCHA_DELIVERY_TIMEOUT = 5
        settings.DUCHA_SITE_URL = "https://ducha.example.gov.cn"
        # The worker's tasks run where they are queued: the live server's thread.
        previous, app.conf.task_always_eager = app.conf.task_always_eager, True
        try:
            yield smtp, http
        finally:
            app.conf.task_always_eager = previous


def _inbox(page, base: str) -> list[str]:
    page.goto(f"{base}/notifications/")
    return page.locator("[data-testid=notification]").all_inner_texts()


def _mail_to(smtp, address: str) -> list:
    return [message for message in smtp.messages if address in str(message["To"])]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_unit_is_told_signs_and_gets_more_time_on_a_phone(live_server, browser, receivers):
    smtp, http = receivers
    world = build_world()
    handler = world.users["county_handler"]
    handler.email = "weijian@shuangqiao.example.gov.cn"
    handler.save(update_fields=["email"])
    OrgChannel.objects.create(
        org=world.orgs["county_dept"],
        channel="wecom",
        label="卫健局工作群",
        webhook_url=f"{http.url}/wecom?key=robot-key",
    )
    problem = world.problem(team=world.teams["county_team"], title=TITLE)
    base = live_server.url
    office = browser.new_context(locale="zh-CN").new_page()
    phone = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="zh-CN"
    ).new_page()

    # 交: the office assigns; the handler is not in Ducha at that moment.
    _log_in(office, base, "county_office")
    _open_from_queue(office, "assign", problem.pk)
    _act(office, "assign")
    pick(office, "details[data-action=assign]", "responsible_org", "卫健", "双桥区卫健局")
    office.click("details[data-action=assign] button[type=submit]")
    office.wait_for_selector("[data-testid=responsible-org]")

    # The news has left Ducha already: an e-mail to the handler and a post in the unit's group.
    (mail,) = _mail_to(smtp, handler.email)
    assert TITLE in str(mail["Subject"])
    (post,) = [got for got in http.requests if got.path == "/wecom"]
    assert post.query == {"key": "robot-key"}
    assert TITLE in post.json()["markdown"]["content"]

    # The handler opens Ducha on the phone: the badge counts it, the inbox names it.
    _log_in(phone, base, "county_handler")
    assert phone.locator("[data-testid=unread-count]").inner_text() == "1"
    (item,) = _inbox(phone, base)
    assert TITLE in item and "区督查办干部" in item and "请签收" in item
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "inbox-handler-phone.png"), full_page=True)
    phone.click("[data-testid=notification-open]")
    phone.wait_for_url(f"**/problems/{problem.pk}/")
    assert phone.locator("[data-testid=unread-count]").count() == 0

    # 签收, then 延期: two more days, with the reason.
    _act(phone, "sign")
    phone.click("details[data-action=sign] button[type=submit]")
    phone.wait_for_selector("details[data-action=sign]", state="detached")
    assert Problem.objects.get(pk=problem.pk).signed_at is not None
    asked_for = Problem.objects.get(pk=problem.pk).deadline + timedelta(days=2)
    _act(phone, "request_extension")
    phone.fill("details[data-action=request_extension] input[name=deadline]", _local(asked_for))
    phone.fill(
        "details[data-action=request_extension] textarea[name=reason]",
        "夜间测温需增派人手，人员下周一到岗",
    )
    phone.click("details[data-action=request_extension] button[type=submit]")
    phone.wait_for_selector("details[data-action=request_extension]", state="detached")
    assert Extension.objects.get(problem=problem).state == "requested"

    # The office was told of the signing and of the request, and grants the date asked for.
    office.goto(f"{base}/notifications/")
    told = " ".join(office.locator("[data-testid=notification]").all_inner_texts())
    assert TITLE in told and "签收" in told and "延期" in told
    office.goto(f"{base}/problems/{problem.pk}/")
    _act(office, "decide_extension")
    office.check("details[data-action=decide_extension] input[value=approve]")
    office.click("details[data-action=decide_extension] button[type=submit]")
    office.wait_for_selector("details[data-action=decide_extension]", state="detached")
    granted = Problem.objects.get(pk=problem.pk)
    assert _local(granted.deadline) == _local(asked_for)

    # The handler hears of it in the app, by e-mail and in the group.
    newest, *_older = _inbox(phone, base)
    assert TITLE in newest and "延期" in newest
    phone.screenshot(path=str(ARTIFACTS / "inbox-extension-phone.png"), full_page=True)
    subjects = [str(message["Subject"]) for message in _mail_to(smtp, handler.email)]
    assert len(subjects) == 2 and all(TITLE in subject for subject in subjects)
    posts = [got.json()["markdown"]["content"] for got in http.requests if got.path == "/wecom"]
    assert len(posts) == 2 and "延期" in posts[-1]
    _log_out(phone)
