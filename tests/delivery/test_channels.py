"""Each channel to a real local receiver: what arrives, and what a refusal leaves behind."""

from __future__ import annotations

import json

from ducha.notices.delivery.models import Delivery, OrgChannel
from ducha.notices.models import Notification
from tests.delivery.conftest import notify
from tests.delivery.servers import SilentServer


def _user(world, key="county_office", email="office@example.gov.cn", phone=""):
    user = world.users[key]
    user.email, user.phone = email, phone
    user.save()
    return user


def _robot(world, http, kind, secret="", org="county_office", **kwargs):
    return OrgChannel.objects.create(
        org=world.orgs[org],
        channel=kind,
        label=f"{kind} 群",
        webhook_url=f"{http.url}/{kind}?access_token=abc",
        secret=secret,
        **kwargs,
    )


def test_email_arrives_at_the_smtp_server_as_text_and_html(world, smtp):
    user = _user(world)
    notification = notify(user)
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail["To"] == "office@example.gov.cn"
    assert mail["Subject"] == "问题已交办"
    delivery = Delivery.objects.get(notification=notification, channel="email")
    assert mail["Message-ID"] == f"<ducha-d{delivery.pk}@example.gov.cn>"
    plain = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "请签收并整改" in plain and "https://ducha.example.gov.cn/problems/1/" in plain
    assert "<h3>问题已交办</h3>" in html
    assert delivery.status == "sent" and delivery.attempts == 1 and delivery.sent_at


def test_a_user_without_an_address_gets_no_email_row(world, smtp):
    user = _user(world, email="")
    notification = notify(user)
    assert not smtp.messages
    assert not Delivery.objects.filter(notification=notification, channel="email").exists()


def test_wecom_robot_gets_a_markdown_message(world, http, smtp):
    _robot(world, http, "wecom")
    user = _user(world, email="")
    notify(user, title="问题已交办 [链接](http://evil)")
    (got,) = http.requests
    assert got.path == "/wecom" and got.query == {"access_token": "abc"}
    payload = got.json()
    assert payload["msgtype"] == "markdown"
    content = payload["markdown"]["content"]
    assert "### 问题已交办 ［链接］(http://evil)" in content  # no link of its own
    assert "@区督查办干部" in content
    assert Delivery.objects.get(channel="wecom").status == "sent"


def test_dingtalk_robot_checks_the_signature(world, http):
    http.receiver.dingtalk_secret = "SECright"
    _robot(world, http, "dingtalk", secret="SECright")
    notify(_user(world, email=""))
    (got,) = http.requests
    assert got.query["access_token"] == "abc" and got.query["timestamp"] and got.query["sign"]
    assert got.json()["msgtype"] == "markdown"
    assert Delivery.objects.get(channel="dingtalk").status == "sent"


def test_a_wrong_dingtalk_secret_is_refused_and_the_delivery_fails_with_the_reason(world, http):
    http.receiver.dingtalk_secret = "SECright"
    _robot(world, http, "dingtalk", secret="SECwrong")
    notification = notify(_user(world, email=""))
    delivery = Delivery.objects.get(channel="dingtalk")
    assert delivery.status == "failed"
    assert "310000" in delivery.last_error and "sign not match" in delivery.last_error
    # A refusal of the signature is final: not tried again.
    assert delivery.attempts == 1 and len(http.requests) == 1
    assert Notification.objects.filter(pk=notification.pk, read_at__isnull=True).exists()


def test_robots_of_the_org_above_reach_its_subtree_only_when_asked(world, http):
    _robot(world, http, "wecom", org="county")
    wide = _robot(world, http, "wecom", org="county", include_subtree=True)
    notify(_user(world, email=""))
    assert [d.robot_id for d in Delivery.objects.filter(channel="wecom")] == [wide.pk]


def test_sms_gateway_gets_the_template_filled_in(world, http, settings):
    settings.DUCHA_SMS_TEMPLATE = json.dumps(
        {"to": "{phone}", "content": "【督查】{text}", "id": "{key}", "sign": "ducha"}
    )
    settings.DUCHA_SMS_AUTHORIZATION = "Bearer gateway-key"
    notify(_user(world, email="", phone="13800138000"), title='含"引号"&符号')
    (got,) = http.requests
    assert got.path == "/sms" and got.headers["Authorization"] == "Bearer gateway-key"
    delivery = Delivery.objects.get(channel="sms")
    assert got.json() == {
        "to": "13800138000",
        "content": '【督查】含"引号"&符号',
        "id": f"d{delivery.pk}",
        "sign": "ducha",
    }
    assert delivery.target == f"user:{delivery.notification.recipient_id}"


def test_sms_gateway_as_a_form(world, http, settings):
    settings.DUCHA_SMS_FORMAT = "form"
    settings.DUCHA_SMS_TEMPLATE = "mobile={phone}&msg={text}&user=ducha"
    notify(_user(world, email="", phone="13800138000"), title="a&b=c")
    (got,) = http.requests
    assert got.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert got.body == b"mobile=13800138000&msg=a%26b%3Dc&user=ducha"


def test_smtp_refusing_fails_after_the_retries_with_the_reason(world, smtp):
    smtp.mailbox.refuse_with = "451 4.3.0 mailbox busy"
    notification = notify(_user(world))
    delivery = Delivery.objects.get(channel="email")
    assert delivery.status == "failed" and delivery.attempts == 3
    assert "451" in delivery.last_error and "mailbox busy" in delivery.last_error
    assert not smtp.messages
    assert Notification.objects.filter(pk=notification.pk).exists()


def test_smtp_refusing_for_good_fails_at_once(world, smtp):
    smtp.mailbox.refuse_with = "554 5.7.1 rejected"
    notify(_user(world))
    delivery = Delivery.objects.get(channel="email")
    assert delivery.status == "failed" and delivery.attempts == 1
    assert "554" in delivery.last_error


def test_smtp_timing_out_fails_after_the_retries(world, settings):
    with SilentServer() as silent:
        settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = silent.port, 0.2
        settings.DUCHA_DELIVERY_ATTEMPTS = 2
        notification = notify(_user(world))
    delivery = Delivery.objects.get(channel="email")
    assert delivery.status == "failed" and delivery.attempts == 2
    assert "timed out" in delivery.last_error.lower()
    assert Notification.objects.filter(pk=notification.pk).exists()


def test_a_gateway_answering_5xx_is_tried_again_then_fails(world, http):
    http.receiver.status = 503
    notify(_user(world, email="", phone="13800138000"))
    delivery = Delivery.objects.get(channel="sms")
    assert delivery.status == "failed" and delivery.attempts == 3 and len(http.requests) == 3
    assert "HTTP 503" in delivery.last_error


def test_a_broken_sms_template_fails_at_once_with_the_reason(world, http, settings):
    settings.DUCHA_SMS_TEMPLATE = '["not", "an object"]'
    notify(_user(world, email="", phone="13800138000"))
    delivery = Delivery.objects.get(channel="sms")
    assert delivery.status == "failed" and delivery.attempts == 1
    assert "DUCHA_SMS_TEMPLATE" in delivery.last_error and not http.requests


def test_a_deactivated_account_gets_nothing_outside_the_app(world, smtp):
    user = _user(world)
    user.is_active = False
    user.save()
    notify(user)
    assert not Delivery.objects.exists() and not smtp.messages
