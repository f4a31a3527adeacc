"""The delivery pages through HTTP: one's own preferences, an org's robots, the log."""

from __future__ import annotations

from ducha.accounts.models import SecurityEvent
from ducha.notices.delivery.models import Delivery, DeliveryPreference, OrgChannel
from tests.delivery.conftest import notify

ROBOT = {
    "kind": "wecom",
    "label": "双桥区督查群",
    "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
    "secret": "",
    "enabled": "on",
}


def test_preferences_are_saved_for_oneself(world, login):
    client = login(world, "county_handler")
    page = client.get("/delivery/preferences/")
    assert page.status_code == 200
    answer = client.post(
        "/delivery/preferences/",
        {"robots": "on", "quiet_start": "22:00", "quiet_end": "07:30", "digest_hour": "9"},
    )
    assert answer.status_code == 302
    pref = DeliveryPreference.objects.get(user=world.users["county_handler"])
    assert (pref.email, pref.sms, pref.robots, pref.digest) == (False, False, True, False)
    assert pref.quiet_start.strftime("%H:%M") == "22:00" and pref.digest_hour == 9
    assert SecurityEvent.objects.filter(detail__change="delivery_preferences").count() == 1


def test_half_quiet_hours_are_refused_on_the_field(world, login):
    client = login(world, "county_handler")
    answer = client.post("/delivery/preferences/", {"quiet_start": "22:00", "digest_hour": "9"})
    assert answer.status_code == 422
    assert "quiet_end" in answer.context["form"].errors
    assert not DeliveryPreference.objects.exists()


def test_the_digest_hour_is_bounded(world, login):
    client = login(world, "county_handler")
    answer = client.post("/delivery/preferences/", {"digest_hour": "24"})
    assert answer.status_code == 422 and "digest_hour" in answer.context["form"].errors


def test_the_office_adds_a_robot_for_its_org(world, login):
    client = login(world, "county_office")
    data = {**ROBOT, "org": world.orgs["county_office"].pk}
    assert client.post("/delivery/channels/", data).status_code == 302
    robot = OrgChannel.objects.get()
    assert robot.webhook_url == ROBOT["webhook_url"]
    page = client.get("/delivery/channels/").content.decode()
    assert "双桥区督查群" in page and "qyapi.weixin.qq.com" in page
    assert "key=k" not in page  # the access key is not shown back


def test_a_webhook_that_is_not_http_is_refused_on_its_field(world, login):
    client = login(world, "county_office")
    for url in ("javascript:alert(1)", "ftp://example.com/x", "file:///etc/passwd", "qyapi"):
        data = {**ROBOT, "org": world.orgs["county_office"].pk, "webhook_url": url}
        answer = client.post("/delivery/channels/", data)
        assert answer.status_code == 422, url
        assert "webhook_url" in answer.context["form"].errors, url
    too_long = "https://example.com/" + "a" * 500
    answer = client.post(
        "/delivery/channels/",
        {**ROBOT, "org": world.orgs["county_office"].pk, "webhook_url": too_long},
    )
    assert answer.status_code == 422 and "webhook_url" in answer.context["form"].errors
    assert not OrgChannel.objects.exists()


def test_an_org_outside_the_jurisdiction_cannot_be_chosen(world, login):
    client = login(world, "county_office")
    answer = client.post("/delivery/channels/", {**ROBOT, "org": world.orgs["sibling_office"].pk})
    assert answer.status_code == 422 and "org" in answer.context["form"].errors
    assert not OrgChannel.objects.exists()


def test_editing_keeps_the_stored_address_and_secret_when_left_empty(world, login):
    robot = OrgChannel.objects.create(
        org=world.orgs["county_office"],
        channel="dingtalk",
        label="钉钉群",
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=t",
        secret="SECkept",
    )
    client = login(world, "county_admin")
    page = client.get(f"/delivery/channels/{robot.pk}/").content.decode()
    assert "SECkept" not in page and "access_token=t" not in page
    data = {**ROBOT, "kind": "dingtalk", "org": robot.org_id, "webhook_url": "", "label": "改名"}
    assert client.post(f"/delivery/channels/{robot.pk}/", data).status_code == 302
    robot.refresh_from_db()
    assert robot.label == "改名" and robot.secret == "SECkept"
    assert robot.webhook_url.endswith("access_token=t")


def test_outsiders_get_404_for_a_robot_and_roles_without_the_right_403(world, login, client):
    robot = OrgChannel.objects.create(
        org=world.orgs["county_office"], channel="wecom", label="群", webhook_url="https://a.b/c"
    )
    for who in ("sibling_office", "county_handler", "county_leader", "county_security_admin"):
        login(world, who)
        assert client.get(f"/delivery/channels/{robot.pk}/").status_code == 404, who
        assert client.post(f"/delivery/channels/{robot.pk}/delete/").status_code == 404, who
    for who in ("county_handler", "county_leader", "county_audit_admin"):
        login(world, who)
        assert client.get("/delivery/channels/").status_code == 403, who
        assert client.get("/delivery/log/").status_code == 403, who
    login(world, "city_office")  # the city's office reaches the county's orgs
    assert client.post(f"/delivery/channels/{robot.pk}/delete/").status_code == 302
    assert not OrgChannel.objects.exists()


def test_the_log_shows_sent_and_failed_with_the_reason_to_the_org_only(world, login, http):
    http.receiver.dingtalk_secret = "SECright"
    OrgChannel.objects.create(
        org=world.orgs["county_office"],
        channel="dingtalk",
        label="双桥钉钉群",
        webhook_url=f"{http.url}/dingtalk",
        secret="SECwrong",
    )
    notify(world.users["county_office"], title="不应出现在日志中的标题")
    assert Delivery.objects.get(channel="dingtalk").status == "failed"
    client = login(world, "county_admin")
    page = client.get("/delivery/log/?status=failed").content.decode()
    assert "sign not match" in page and "双桥钉钉群" in page
    assert "不应出现在日志中的标题" not in page  # the log says how, not what
    login(world, "sibling_office")
    assert "双桥钉钉群" not in client.get("/delivery/log/").content.decode()


def test_the_account_menu_links_the_pages(world, login):
    page = login(world, "county_office").get("/delivery/preferences/").content.decode()
    assert 'href="/delivery/preferences/"' in page and 'href="/delivery/channels/"' in page
    page = login(world, "county_handler").get("/delivery/preferences/").content.decode()
    assert 'href="/delivery/channels/"' not in page
