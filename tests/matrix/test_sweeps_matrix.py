"""Every persona × action on a sweep (举一反三) the county office launched from a problem
assigned to the county's 卫健局, asking 卫健局 and 市场监管局 to check themselves, over the API
and the pages, against an oracle written from docs/sweeps.md."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ducha.sweeps import actions
from ducha.sweeps.models import SelfCheck, Sweep, SweepEvent
from ducha.sweeps.selection import Choice
from tests.matrix.harness import Endpoint, check_each, check_matrix, listed_ids
from tests.matrix.oracle import PERSONAS
from tests.sweeps.conftest import origin
from tests.world import World

pytestmark = pytest.mark.django_db

# Sweeps are read by region: the offices and leaders of the county and above.
READ_BY_REGION = {
    "county_office",
    "county_leader",
    "city_office",
    "city_leader",
    "province_office",
    "province_leader",
}
# The handlers of the units asked, each of its own unit.
HANDLERS = {"county_handler": "county_dept", "market_handler": "county_market_dept"}
# Launching: office staff whose jurisdiction holds the problem.
LAUNCHERS = {"county_office", "city_office", "province_office"}
# Those who see the original problem (assigned to 卫健局) without being its office.
SEE_THE_PROBLEM = {
    "county_leader",
    "county_discipline",
    "county_team_member",
    "county_handler",
    "city_leader",
    "province_leader",
    "province_team_member",
}
CHECK_TEXT = "检查药店排队秩序与一米线落实情况"
NOTE = "已逐一检查辖区药店，未发现类似问题"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Prompt letters are issued with their files.
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_oracle_names_only_known_personas():
    assert set(PERSONAS) >= READ_BY_REGION | set(HANDLERS) | LAUNCHERS | SEE_THE_PROBLEM


def launched(world: World) -> Sweep:
    return actions.do_launch_sweep(
        acting_user=world.users["county_office"],
        origin=origin(world),
        check_text=CHECK_TEXT,
        choice=Choice(unit_ids=[world.orgs["county_dept"].pk, world.orgs["county_market_dept"].pk]),
    )


def dept_check(world: World) -> SelfCheck:
    return SelfCheck.objects.get(sweep=launched(world), unit=world.orgs["county_dept"])


def sweep_status(persona: str, _sweep: Any) -> str:
    return "ok" if persona in READ_BY_REGION or persona in HANDLERS else "missing"


def check_status(action: str):
    def _status(persona: str, check: SelfCheck) -> str:
        own = HANDLERS.get(persona) == "county_dept"
        if not (own or persona in READ_BY_REGION):
            return "missing"
        return "ok" if action == "view" or own else "forbidden"

    return _status


def launch_status(persona: str, _problem: Any) -> str:
    if persona in LAUNCHERS:
        return "ok"
    return "forbidden" if persona in SEE_THE_PROBLEM else "missing"


@pytest.mark.parametrize("surface", ["api", "page"])
def test_reading_a_sweep(world, surface):
    path = (lambda s: f"/sweeps/{s.pk}") if surface == "api" else (lambda s: f"/sweeps/{s.pk}/")
    check_matrix(
        world, launched, Endpoint("get", path, surface=surface), sweep_status, ok={200}, fresh=False
    )


def test_reading_a_self_check(world):
    check_matrix(
        world,
        dept_check,
        Endpoint("get", lambda c: f"/sweeps/checks/{c.pk}/", surface="page"),
        check_status("view"),
        ok={200},
        fresh=False,
    )


def _answers(check: SelfCheck) -> tuple[int, str]:
    check.refresh_from_db()
    return SweepEvent.objects.filter(self_check=check).count(), check.state


@pytest.mark.parametrize("surface", ["api", "page"])
def test_answering(world, surface):
    if surface == "api":
        endpoint = Endpoint(
            "post",
            lambda c: f"/sweeps/checks/{c.pk}/answer",
            {"outcome": "none_found", "note": NOTE},
        )
        ok = {200}
    else:
        endpoint = Endpoint(
            "post",
            lambda c: f"/sweeps/checks/{c.pk}/answer/",
            {"outcome": "none_found", "note": NOTE, "version": 0},
            "page",
        )
        ok = {302}
    check_matrix(world, dept_check, endpoint, check_status("answer"), ok=ok, unchanged=_answers)


LAUNCHED = {"api": 201, "page": 302}


@pytest.mark.parametrize("surface", ["api", "page"])
def test_launching(world, surface):
    """An office whose jurisdiction holds the problem launches; whoever else sees the problem
    is refused the action (403); to anyone else the problem is missing: 404 on the page, 422
    naming the field `problem` over the API, where its id is part of the body."""
    units = [world.orgs["county_dept"].pk, world.orgs["county_market_dept"].pk]

    def answer(client) -> int:
        problem = origin(world)
        body: dict[str, Any] = {"check_text": CHECK_TEXT, "units": units}
        if surface == "page":
            return client.post(f"/sweeps/new/{problem.pk}/", body).status_code
        sent = client.post(
            "/api/v1/sweeps", json.dumps({"problem": problem.pk, **body}), "application/json"
        )
        return sent.status_code

    def expect(persona: str) -> int:
        want = launch_status(persona, None)
        if want == "ok":
            return LAUNCHED[surface]
        if want == "forbidden":
            return 403
        return 404 if surface == "page" else 422

    check_each(world, answer, expect)
    assert Sweep.objects.count() == len(LAUNCHERS)


def test_lists_follow_the_oracle(world):
    made = launched(world)
    check_each(
        world,
        lambda client: listed_ids(client, "/sweeps?page_size=200"),
        lambda persona: {made.pk} if sweep_status(persona, made) == "ok" else set(),
    )
    own = {
        unit: SelfCheck.objects.get(sweep=made, unit=world.orgs[unit]).pk
        for unit in HANDLERS.values()
    }
    # A unit's queue holds its own self-checks only; offices read them on the sweep's page.
    check_each(
        world,
        lambda client: listed_ids(client, "/sweeps/checks?page_size=200"),
        lambda persona: {own[HANDLERS[persona]]} if persona in HANDLERS else set(),
    )
