"""Every persona × a county group robot: who opens, changes and removes it, who lists the
robots and the delivery log. Stated from the rule (docs/notifications.md, "Delivery"): the
office staff and system administrators of an org or of an org above it; nobody else."""

from __future__ import annotations

import pytest

from ducha.notices.delivery.models import OrgChannel
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


def test_everyone_sets_their_own_preferences(world):
    check_each(
        world,
        lambda client: client.get("/delivery/preferences/").status_code,
        lambda persona: 200,
        personas=PERSONAS,
    )
