"""What supervision's results are used for, in real Chromium: the county office refers a
problem to the county's discipline body, which takes it up on a phone and holds the cadre to
account with an admonishing talk (约谈); the office's next bulletin counts that talk in its
criticism section — and names nobody."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from ducha.accountability.models import Accountability, AccountabilityKind
from ducha.documents.models import Document
from ducha.referrals.models import Referral
from tests.browser.conftest import ARTIFACTS, PHONE
from tests.browser.pick import pick
from tests.browser.test_loop import _log_in, _log_out
from tests.world import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "隔离点夜间值守人员脱岗"
CADRE = "周立新"


def test_a_referral_becomes_a_talk_that_the_next_bulletin_counts(live_server, browser):
    world = build_world()
    problem = world.assigned(title=TITLE)
    base = live_server.url
    office = browser.new_context(locale="zh-CN").new_page()
    phone = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="zh-CN"
    ).new_page()

    # 移交: the office refers the problem from its page to the county's discipline body.
    _log_in(office, base, "county_office")
    office.goto(f"{base}/problems/{problem.pk}/")
    office.click("[data-testid=refer]")
    office.select_option("select[name=receiver]", str(world.orgs["county_discipline"].pk))
    office.fill("textarea[name=facts]", "夜间值守人员连续两晚不在岗，登记簿系事后补写。")
    office.click("main form button[type=submit]")
    office.wait_for_url(re.compile(r"/referrals/\d+/$"))
    referral = Referral.objects.get()
    assert referral.receiver == world.orgs["county_discipline"]

    # 受理 on a phone: the discipline body's tab leads to its queue, the referral waits there.
    _log_in(phone, base, "county_discipline")
    phone.goto(f"{base}/")
    phone.click("[data-nav=referrals]")
    phone.wait_for_url(re.compile(r"/referrals/queue/$"))
    phone.click(f"[data-referral='{referral.pk}']")
    phone.click("details[data-action=accept] summary")
    phone.click("details[data-action=accept] button[type=submit]")
    phone.wait_for_selector("[data-testid=referral][data-state=accepted]")

    # 问责: the discipline body proposes a talk with the cadre, linked to the referral, and
    # decides it.
    phone.goto(f"{base}/accountability/new/")
    interview = AccountabilityKind.objects.get(code="interview")
    phone.select_option("select[name=kind]", str(interview.pk))
    phone.fill("input[name=person_name]", CADRE)
    phone.fill("input[name=person_post]", "隔离点负责人")
    pick(phone, "[data-testid=propose-form]", "org", "卫健", "双桥区卫健局")
    phone.fill("textarea[name=reason]", "对值守脱岗负有管理责任。")
    phone.fill("input[name=referrals]", str(referral.pk))
    phone.click("[data-testid=propose-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=person-name]")
    phone.click("[data-action=decide]")
    phone.fill("input[name=decided_on]", timezone.localdate().isoformat())
    phone.click("[data-testid=act-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=state]")
    record = Accountability.objects.get()
    assert record.state == "decided" and list(record.referrals.all()) == [referral]
    phone.screenshot(path=str(ARTIFACTS / "accountability-decided-phone.png"), full_page=True)
    _log_out(phone)

    # 通报: the office's next bulletin counts the talk in its criticism, without the name.
    office.goto(f"{base}/documents/new/?kind=bulletin")
    pick(office, "[data-testid=draft-form]", "issuer", "双桥区", "双桥区督查办")
    office.click("[data-testid=draft-form] button[type=submit]")
    office.wait_for_selector("[data-testid=preview]")
    preview = office.inner_text("[data-testid=preview]")
    assert "1名党员干部进行约谈" in preview
    assert CADRE not in preview
    assert Document.objects.get().kind == "bulletin"
    office.screenshot(path=str(ARTIFACTS / "bulletin-counts-the-talk.png"), full_page=True)
