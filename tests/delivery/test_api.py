"""The delivery settings and log over JSON, through HTTP: the same rules and refusals as the
pages (tests/delivery/test_pages.py), and never the robot's address or secret."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ducha.accounts.models import ApiToken, SecurityEvent
from ducha.notices.delivery import api as delivery_api
from ducha.notices.delivery.choices import Channel, DeliveryStatus
from ducha.notices.delivery.models import Delivery, DeliveryPreference, OrgChannel
from tests.api.conftest import Api
from tests.delivery.conftest import notify
from tests.world import PASSWORD

WEBHOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY"
ROBOT = {"kind": "wecom", "label": "双桥区督查群", "webhook_url": WEBHOOK}


@pytest.fixture
def api_as(world):
    def _api_as(key: str) -> Api:
        client = Client()
        assert client.login(username=world.users[key].username, password=PASSWORD)
        return Api(client)

    return _api_as


def _put(api: Api, path: str, data: dict):
    return api.call("put", path, data)


def _robot(world, **kwargs) -> OrgChannel:
    kwargs.setdefault("org", world.orgs["county_office"])
    kwargs.setdefault("channel", "dingtalk")
    kwargs.setdefault("label", "钉钉群")
    kwargs.setdefault("webhook_url", "https://oapi.dingtalk.com/robot/send?access_token=TOKEN")
    kwargs.setdefault("secret", "SECkept")
    return OrgChannel.objects.create(**kwargs)


# Preferences ---------------------------------------------------------------------------------


def test_preferences_read_the_defaults_then_are_replaced(world, api_as):
    api = api_as("county_handler")
    answer = api.get("/delivery/preferences")
    assert answer.status_code == 200
    assert answer.json() == {
        "email": True,
        "sms": True,
        "robots": True,
        "quiet_start": None,
        "quiet_end": None,
        "digest": False,
        "digest_hour": 8,
        "channels": ["email", "sms", "wecom", "dingtalk"],
    }
    body = {
        "email": False,
        "sms": False,
        "robots": True,
        "quiet_start": "22:00",
        "quiet_end": "07:30",
        "digest": True,
        "digest_hour": 9,
    }
    answer = _put(api, "/delivery/preferences", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["quiet_end"] == "07:30:00" and answer.json()["digest"] is True
    pref = DeliveryPreference.objects.get(user=world.users["county_handler"])
    assert (pref.email, pref.sms, pref.robots, pref.digest_hour) == (False, False, True, 9)
    assert SecurityEvent.objects.filter(detail__change="delivery_preferences").count() == 1
    assert api.get("/delivery/preferences").json()["quiet_start"] == "22:00:00"
    # Each caller sees and sets only their own.
    assert api_as("county_office").get("/delivery/preferences").json()["email"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quiet_start": "22:00"}, "quiet_end"),
        ({"quiet_end": "07:00"}, "quiet_start"),
        ({"digest_hour": 24}, "digest_hour"),
        ({"digest_hour": -1}, "digest_hour"),
        ({"digest_hour": True}, "digest_hour"),
        ({"quiet_start": "25:00", "quiet_end": "07:00"}, "quiet_start"),
        ({"quiet_start": "22:00+08:00", "quiet_end": "07:00"}, "quiet_start"),
        ({"sms": "maybe"}, "sms"),
        ({"user": 1}, "user"),
    ],
)
def test_bad_preferences_are_refused_on_their_field(world, api_as, change, field):
    body = {"email": True, "sms": True, "robots": True, **change}
    answer = _put(api_as("county_handler"), "/delivery/preferences", body)
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    fields = [detail and answer.json().get("field")] if isinstance(detail, str) else None
    fields = fields or [item["field"] for item in detail]
    assert field in fields
    assert not DeliveryPreference.objects.exists()


def test_half_quiet_hours_say_what_the_page_says(world, api_as, login):
    answer = _put(
        api_as("county_handler"),
        "/delivery/preferences",
        {"email": True, "sms": True, "robots": True, "quiet_start": "22:00"},
    )
    page = login(world, "county_handler").post(
        "/delivery/preferences/", {"quiet_start": "22:00", "digest_hour": "8"}
    )
    assert answer.json()["field"] == "quiet_end"
    assert [answer.json()["detail"]] == page.context["form"].errors["quiet_end"]


# Robots --------------------------------------------------------------------------------------


def test_the_office_adds_lists_and_opens_a_robot_without_its_address(world, api_as):
    api = api_as("county_office")
    answer = api.post("/delivery/channels", {**ROBOT, "org": world.orgs["county_office"].pk})
    assert answer.status_code == 201, answer.content
    robot = OrgChannel.objects.get()
    assert robot.webhook_url == WEBHOOK
    assert answer.json()["host"] == "qyapi.weixin.qq.com"
    assert answer.json()["org"] == {"id": robot.org_id, "name": robot.org.name}
    listed = api.get("/delivery/channels")
    opened = api.get(f"/delivery/channels/{robot.pk}")
    assert [item["id"] for item in listed.json()] == [robot.pk]
    assert opened.json()["label"] == "双桥区督查群"
    for response in (answer, listed, opened):
        assert "SECRETKEY" not in response.content.decode()
        assert "webhook_url" not in response.content.decode()
    event = SecurityEvent.objects.get(detail__change="delivery_channel")
    assert event.detail["host"] == "qyapi.weixin.qq.com"


def test_a_dingtalk_secret_is_stored_and_never_answered(world, api_as):
    api = api_as("county_admin")
    body = {**ROBOT, "kind": "dingtalk", "secret": "SECsigning", "org": world.orgs["county"].pk}
    answer = api.post("/delivery/channels", body)
    assert answer.status_code == 201, answer.content
    assert OrgChannel.objects.get().secret == "SECsigning"
    for response in (
        answer,
        api.get("/delivery/channels"),
        api.get(f"/delivery/channels/{answer.json()['id']}"),
    ):
        text = response.content.decode()
        assert "SECsigning" not in text and "secret" not in text


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.com/x", "file:///etc/passwd", "qyapi", ""]
)
def test_a_webhook_that_is_not_http_is_refused_on_its_field_as_on_the_page(
    world, api_as, login, url
):
    org = world.orgs["county_office"].pk
    answer = api_as("county_office").post(
        "/delivery/channels", {**ROBOT, "org": org, "webhook_url": url}
    )
    page = login(world, "county_office").post(
        "/delivery/channels/", {**ROBOT, "org": org, "webhook_url": url, "enabled": "on"}
    )
    assert answer.status_code == 422 and page.status_code == 422
    assert answer.json()["field"] == "webhook_url"
    assert [answer.json()["detail"]] == page.context["form"].errors["webhook_url"]
    assert not OrgChannel.objects.exists()


def test_a_too_long_webhook_is_refused_with_the_pages_words(world, api_as, login):
    org = world.orgs["county_office"].pk
    url = "https://example.com/" + "a" * 500
    answer = api_as("county_office").post(
        "/delivery/channels", {**ROBOT, "org": org, "webhook_url": url}
    )
    page = login(world, "county_office").post(
        "/delivery/channels/", {**ROBOT, "org": org, "webhook_url": url, "enabled": "on"}
    )
    assert answer.status_code == 422
    [item] = answer.json()["detail"]
    assert item["field"] == "webhook_url"
    assert [item["msg"]] == page.context["form"].errors["webhook_url"]
    assert "520" in item["msg"]
    assert not OrgChannel.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "email"}, "kind"),
        ({"label": ""}, "label"),
        ({"label": "群" * 101}, "label"),
        ({"label": "a\x00b"}, "label"),
        ({"secret": "S" * 101}, "secret"),
        ({"secret": "SEC\nx"}, "secret"),
        ({"webhook_url": "https://a.b/\u0000"}, "webhook_url"),
        ({"org": 10**6}, "org"),
        ({"enabled": "yes please"}, "enabled"),
        ({"webhook": WEBHOOK}, "webhook"),
    ],
)
def test_bad_robots_are_refused_on_their_field(world, api_as, change, field):
    body = {**ROBOT, "org": world.orgs["county_office"].pk, **change}
    answer = api_as("county_office").post("/delivery/channels", body)
    assert answer.status_code == 422, answer.content
    detail = answer.json()["detail"]
    fields = [answer.json()["field"]] if isinstance(detail, str) else [d["field"] for d in detail]
    assert field in fields
    assert not OrgChannel.objects.exists()


def test_an_org_outside_the_jurisdiction_is_refused_as_a_missing_one(world, api_as):
    api = api_as("county_office")
    outside = api.post("/delivery/channels", {**ROBOT, "org": world.orgs["sibling_office"].pk})
    missing = api.post("/delivery/channels", {**ROBOT, "org": 10**6})
    assert outside.status_code == missing.status_code == 422
    assert outside.json() == missing.json() and outside.json()["field"] == "org"
    assert not OrgChannel.objects.exists()


def test_changing_keeps_the_stored_address_and_secret_when_left_out(world, api_as):
    robot = _robot(world)
    api = api_as("county_admin")
    body = {"org": robot.org_id, "kind": "dingtalk", "label": "改名", "enabled": False}
    answer = _put(api, f"/delivery/channels/{robot.pk}", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["label"] == "改名" and answer.json()["enabled"] is False
    robot.refresh_from_db()
    assert robot.secret == "SECkept" and robot.webhook_url.endswith("access_token=TOKEN")
    answer = _put(
        api,
        f"/delivery/channels/{robot.pk}",
        {
            **body,
            "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=NEW",
            "secret": "SECnew",
        },
    )
    assert answer.status_code == 200
    robot.refresh_from_db()
    assert robot.secret == "SECnew" and robot.webhook_url.endswith("=NEW")
    assert "NEW" not in answer.content.decode()
    refused = _put(api, f"/delivery/channels/{robot.pk}", {**body, "webhook_url": "ftp://x/y"})
    assert refused.status_code == 422 and refused.json()["field"] == "webhook_url"
    robot.refresh_from_db()
    assert robot.label == "改名" and robot.webhook_url.endswith("=NEW")


def test_removing_a_robot_is_recorded(world, api_as):
    robot = _robot(world)
    api = api_as("city_office")  # the city's office reaches the county's orgs
    assert api.delete(f"/delivery/channels/{robot.pk}").status_code == 204
    assert not OrgChannel.objects.exists()
    assert SecurityEvent.objects.filter(detail__change="delivery_channel_deleted").exists()
    assert api.delete(f"/delivery/channels/{robot.pk}").status_code == 404


def test_outsiders_get_404_for_a_robot_and_roles_without_the_right_403(world, api_as):
    robot = _robot(world)
    path = f"/delivery/channels/{robot.pk}"
    body = {"org": robot.org_id, "kind": "dingtalk", "label": "夺取"}
    for who in ("sibling_office", "county_handler", "county_leader", "county_security_admin"):
        api = api_as(who)
        assert api.get(path).status_code == 404, who
        assert _put(api, path, body).status_code == 404, who
        assert api.delete(path).status_code == 404, who
    for who in ("county_handler", "county_leader", "county_audit_admin"):
        api = api_as(who)
        for answer in (
            api.get("/delivery/channels"),
            api.get("/delivery/log"),
            api.post("/delivery/channels", {**ROBOT, "org": world.orgs["county_office"].pk}),
        ):
            assert answer.status_code == 403, who
            assert answer.json()["detail"]
    robot.refresh_from_db()
    assert robot.label == "钉钉群"
    assert OrgChannel.objects.count() == 1
    sibling = api_as("sibling_office").get("/delivery/channels")
    assert sibling.status_code == 200 and sibling.json() == []


def test_a_token_reads_and_changes_like_the_session(world):
    _, raw = ApiToken.issue(world.users["county_office"], "script")
    api = Api(Client(), {"Authorization": f"Bearer {raw}"})
    body = {**ROBOT, "org": world.orgs["county_office"].pk}
    assert api.post("/delivery/channels", body).status_code == 201
    assert len(api.get("/delivery/channels").json()) == 1
    assert Api(Client()).get("/delivery/channels").status_code == 401


# The log -------------------------------------------------------------------------------------


def test_the_log_lists_sent_and_failed_with_the_reason_to_the_org_only(world, api_as, http):
    http.receiver.dingtalk_secret = "SECright"
    robot = _robot(world, label="双桥钉钉群", webhook_url=f"{http.url}/dingtalk", secret="SECwrong")
    notification = notify(world.users["county_office"], title="不应出现在日志中的标题")
    failed = Delivery.objects.get(channel="dingtalk")
    assert failed.status == "failed"
    Delivery.objects.create(notification=notification, channel="email", target="o@example.cn")
    api = api_as("county_admin")
    answer = api.get("/delivery/log", {"status": "failed"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1 and body["items"][0]["id"] == failed.pk
    item = body["items"][0]
    assert item["robot"] == {"id": robot.pk, "label": "双桥钉钉群"}
    assert item["kind"] == "assigned" and "sign not match" in item["last_error"]
    text = answer.content.decode()
    assert "不应出现在日志中的标题" not in text  # the log says how, not what
    assert "SECwrong" not in text and http.url not in text
    everything = api.get("/delivery/log").json()
    assert everything["count"] == Delivery.objects.count() == 2
    emails = api.get("/delivery/log", {"channel": "email"}).json()["items"]
    assert [(i["channel"], i["robot"], i["status"]) for i in emails] == [("email", None, "pending")]
    assert api.get("/delivery/log", {"robot": robot.pk}).json()["count"] == 1
    assert api.get("/delivery/log", {"status": "sent", "channel": "dingtalk"}).json()["count"] == 0
    assert api_as("sibling_office").get("/delivery/log").json()["count"] == 0


def test_the_log_is_paginated(world, api_as):
    notification = notify(world.users["county_office"])
    Delivery.objects.all().delete()
    for n in range(5):
        Delivery.objects.create(
            notification=notification, channel="email", target=f"u{n}@example.cn"
        )
    api = api_as("county_office")
    first = api.get("/delivery/log", {"page_size": 2}).json()
    third = api.get("/delivery/log", {"page_size": 2, "page": 3}).json()
    assert first["count"] == 5 and len(first["items"]) == 2 and len(third["items"]) == 1
    newest = list(Delivery.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))
    assert [i["id"] for i in first["items"]] == newest[:2]
    assert "example.cn" not in json.dumps(first)  # the target address is not listed


def test_the_schema_names_every_channel_and_status(world):
    schema = Api(Client()).get("/openapi.json").json()
    log = schema["paths"]["/api/v1/delivery/log"]["get"]["parameters"]
    kinds = next(p for p in log if p["name"] == "channel")["schema"]["anyOf"][0]["enum"]
    assert kinds == list(Channel.values)
    assert schema["components"]["schemas"]["DeliveryStatus"]["enum"] == list(DeliveryStatus.values)


@pytest.mark.parametrize(
    "query", [{"status": "lost"}, {"channel": "pigeon"}, {"page_size": 0}, {"robot": "x"}]
)
def test_bad_log_filters_are_refused(world, api_as, query):
    answer = api_as("county_office").get("/delivery/log", query)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == next(iter(query))


def test_a_robot_removed_while_it_is_changed_answers_404(world, api_as, monkeypatch):
    """Another request removes the robot between this one's read and its change."""
    robot = _robot(world)
    read = delivery_api.access_channel

    def read_then_removed(user, pk):
        found = read(user, pk)
        OrgChannel.objects.filter(pk=found.pk).delete()
        return found

    monkeypatch.setattr(delivery_api, "access_channel", read_then_removed)
    body = {"org": robot.org_id, "kind": "dingtalk", "label": "改名"}
    answer = _put(api_as("county_office"), f"/delivery/channels/{robot.pk}", body)
    assert answer.status_code == 404
    assert not OrgChannel.objects.exists()
