"""Every persona × a county group robot: who opens, changes and removes it, who lists the
robots and the delivery log. Stated from the rule (docs/notifications.md, "Delivery"): the
office staff and system administrators of an org or of an org above it; nobody else."""

from __future__ import annotations

import pytest

from ducha.notices.delivery.models import Delivery, OrgChannel
from ducha.notices.models import Notification
from tests.matrix.harness import Endpoint, check_each, check_matrix
from tests.matrix.oracle import PERSONAS

pytestmark = pytest.mark.django_db

# Whose grants reach 双桥区督查办 with a role that sets up robots.
ADMINISTERS_COUNTY = {"county_office", "county_admin", "city_office", "province_office"}
# Who holds such a role somewhere (the lists answer them; everyone else is refused: 403).
SETS_UP_ROBOTS = ADMINISTERS_COUNTY | {"town_office", "sibling_office", "other_office"}


def _robot(world) -> OrgChannel:
    return OrgChannel.objects.create(
        org=world.orgs["county_office"],
        channel="wecom",
        label="双桥区督查群",
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
    )


def _expect(persona: str, robot) -> str:
    return "ok" if persona in ADMINISTERS_COUNTY else "missing"


def _state(robot) -> tuple:
    row = OrgChannel.objects.filter(pk=robot.pk).values_list("label", "enabled").first()
    return (row,)


def test_opening_a_robot(world):
    check_matrix(
        world,
        _robot,
        Endpoint("get", lambda r: f"/delivery/channels/{r.pk}/", surface="page"),
        _expect,
        ok={200},
        fresh=False,
    )


def test_changing_a_robot(world):
    body = lambda w, r: {  # noqa: E731
        "org": r.org_id,
        "kind": "wecom",
        "label": "改名的群",
        "webhook_url": "",
        "enabled": "",
    }
    check_matrix(
        world,
        _robot,
        Endpoint("post", lambda r: f"/delivery/channels/{r.pk}/", body, surface="page"),
        _expect,
        ok={302},
        unchanged=_state,
    )


def test_removing_a_robot(world):
    check_matrix(
        world,
        _robot,
        Endpoint("post", lambda r: f"/delivery/channels/{r.pk}/delete/", surface="page"),
        _expect,
        ok={302},
        unchanged=_state,
    )


def test_the_robot_list_and_the_log(world):
    robot = _robot(world)

    def observe(client):
        listing = client.get("/delivery/channels/")
        log = client.get("/delivery/log/")
        listed = listing.status_code == 200 and robot.label in listing.content.decode()
        return listing.status_code, log.status_code, listed

    def expect(persona):
        if persona not in SETS_UP_ROBOTS:
            return 403, 403, False
        return 200, 200, persona in ADMINISTERS_COUNTY

    check_each(world, observe, expect)


def test_opening_a_robot_over_the_api(world):
    check_matrix(
        world,
        _robot,
        Endpoint("get", lambda r: f"/delivery/channels/{r.pk}"),
        _expect,
        ok={200},
        fresh=False,
    )


def test_changing_a_robot_over_the_api(world):
    body = lambda w, r: {"org": r.org_id, "kind": "wecom", "label": "改名的群", "enabled": False}  # noqa: E731
    check_matrix(
        world,
        _robot,
        Endpoint("put", lambda r: f"/delivery/channels/{r.pk}", body),
        _expect,
        ok={200},
        unchanged=_state,
    )


def test_removing_a_robot_over_the_api(world):
    check_matrix(
        world,
        _robot,
        Endpoint("delete", lambda r: f"/delivery/channels/{r.pk}"),
        _expect,
        ok={204},
        unchanged=_state,
    )


def test_adding_a_robot_to_the_county_office_over_the_api(world):
    """Who may add one to 双桥区督查办: its administrators; other offices are refused the org
    (422, as a missing one), roles that set up no robots 403."""
    body = lambda w, _: {  # noqa: E731
        "org": w.orgs["county_office"].pk,
        "kind": "wecom",
        "label": "新的群",
        "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=n",
    }
    endpoint = Endpoint("post", lambda _: "/delivery/channels", body)

    def observe(client):
        before = OrgChannel.objects.count()
        status = endpoint.send(client, world, None).status_code
        return status, OrgChannel.objects.count() - before

    def expect(persona):
        if persona not in SETS_UP_ROBOTS:
            return 403, 0
        return (201, 1) if persona in ADMINISTERS_COUNTY else (422, 0)

    check_each(world, observe, expect)


def test_the_robot_list_and_the_log_over_the_api(world):
    robot = _robot(world)
    notification = Notification.objects.create(
        recipient=world.users["county_handler"], kind="assigned", title="t", source_key="m"
    )
    row = Delivery.objects.create(
        notification=notification, channel="wecom", target=robot.target, robot=robot
    )

    def observe(client):
        listing = client.get("/api/v1/delivery/channels")
        log = client.get("/api/v1/delivery/log")
        robots = [i["id"] for i in listing.json()] if listing.status_code == 200 else None
        rows = [i["id"] for i in log.json()["items"]] if log.status_code == 200 else None
        return listing.status_code, log.status_code, robots, rows

    def expect(persona):
        if persona not in SETS_UP_ROBOTS:
            return 403, 403, None, None
        if persona in ADMINISTERS_COUNTY:
            return 200, 200, [robot.pk], [row.pk]
        return 200, 200, [], []

    check_each(world, observe, expect)


def test_everyone_sets_their_own_preferences(world):
    check_each(
        world,
        lambda client: (
            client.get("/delivery/preferences/").status_code,
            client.get("/api/v1/delivery/preferences").status_code,
        ),
        lambda persona: (200, 200),
        personas=PERSONAS,
    )
