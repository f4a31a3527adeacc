"""Every persona × action on an enterprise of the ledger, over the API and the pages,
against an oracle written from docs/resumption.md: an enterprise in the county's town,
supervised by the county's 卫健局."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from ducha.resumption.models import Enterprise, ResumptionEvent
from tests.matrix.harness import Endpoint, check_each, check_matrix, listed_ids
from tests.matrix.oracle import PERSONAS
from tests.resumption.conftest import register

pytestmark = pytest.mark.django_db

OFFICES = {"county_office", "city_office", "province_office", "town_office"}
# Who sees it: the offices, leaders, command HQs and teams of the regions it lies in, and the
# unit that supervises it.
SEES = OFFICES | {
    "county_leader",
    "city_leader",
    "province_leader",
    "city_command",
    "county_team_member",
    "province_team_member",
    "county_handler",
}
# Statuses and the ledger: the offices and the supervising unit.
RECORDS = OFFICES | {"county_handler"}
# A need: those, and the teams at the gate.
HEARS_NEEDS = RECORDS | {"county_team_member", "province_team_member"}
ACTS = {
    "edit": OFFICES,
    "exclude": OFFICES,
    "file": RECORDS,
    "record_ledger": RECORDS,
    "report_need": HEARS_NEEDS,
}


def status(action: str):
    def _status(persona: str, _obj) -> str:
        if persona not in SEES:
            return "missing"
        if action == "view":
            return "ok"
        return "ok" if persona in ACTS[action] else "forbidden"

    return _status


def _events(enterprise: Enterprise) -> int:
    return ResumptionEvent.objects.filter(enterprise=enterprise).count()


def test_the_oracle_names_only_known_personas():
    assert set(PERSONAS) >= SEES
    assert all(acting <= SEES for acting in ACTS.values())


LEDGER = {"staff_total": 10, "staff_screened": 10, "responsible_person": "张三"}
NEED = {"kind": "labour", "text": "缺少一线操作工"}
CASES = {
    # action: (API path and body, page path and body)
    "file": ("file", {}, "status", {"action": "file"}),
    "record_ledger": ("record-ledger", LEDGER, "ledger", LEDGER),
    "report_need": ("report-need", NEED, "need", NEED),
    "exclude": ("exclude", {"reason": "省级监管"}, "exclude", {"reason": "省级监管"}),
}


@pytest.mark.parametrize("action", list(CASES))
@pytest.mark.parametrize("surface", ["api", "page"])
def test_acting(world, action, surface):
    api_step, api_body, page_step, page_body = CASES[action]
    if surface == "api":
        endpoint = Endpoint(
            "post", lambda e: f"/enterprises/{e.pk}/actions/{api_step}", api_body, surface
        )
        ok = {200}
    else:
        endpoint = Endpoint(
            "post", lambda e: f"/resumption/{e.pk}/{page_step}/", page_body, surface
        )
        ok = {302}
    check_matrix(world, register, endpoint, status(action), ok=ok, unchanged=_events)


@pytest.mark.parametrize("surface", ["api", "page"])
def test_editing(world, surface):
    if surface == "api":
        endpoint = Endpoint("post", lambda e: f"/enterprises/{e.pk}/actions/edit", {"name": "新名"})
        ok = {200}
    else:

        def form(world, enterprise):
            return {
                "kind": "enterprise",
                "name": "新名",
                "category": "industry_above_scale",
                "region": world.orgs["town"].pk,
                "registered_on": enterprise.registered_on.isoformat(),
            }

        endpoint = Endpoint("post", lambda e: f"/resumption/{e.pk}/edit/", form, "page")
        ok = {302}
    check_matrix(world, register, endpoint, status("edit"), ok=ok, unchanged=_events)


@pytest.mark.parametrize("surface", ["api", "page"])
def test_reading(world, surface):
    path = (
        (lambda e: f"/enterprises/{e.pk}")
        if surface == "api"
        else (lambda e: f"/resumption/{e.pk}/")
    )
    check_matrix(
        world,
        register,
        Endpoint("get", path, surface=surface),
        status("view"),
        ok={200},
        fresh=False,
    )


def test_lists_follow_the_oracle(world):
    made = register(world).pk
    check_each(
        world,
        lambda client: listed_ids(client, "/enterprises?page_size=200"),
        lambda persona: {made} if persona in SEES else set(),
    )


def test_registering(world):
    """The offices whose jurisdiction holds the town register there; another office is
    refused the region (422), any other role the action (403)."""
    body = {
        "kind": "enterprise",
        "name": "新登记企业",
        "category": "services",
        "region": world.orgs["town"].pk,
        "registered_on": timezone.localdate().isoformat(),
    }

    def answer(client) -> int:
        sent = client.post("/api/v1/enterprises", json.dumps(body), content_type="application/json")
        return sent.status_code

    offices = {persona for persona, (role, _) in PERSONAS.items() if role == "office_staff"}
    check_each(
        world,
        answer,
        lambda persona: 201 if persona in OFFICES else 422 if persona in offices else 403,
    )
    assert Enterprise.objects.count() == len(OFFICES)
