"""Parity of accountability records and commendations: a proposal, a decision and a
withdrawal refused (or taken) alike by the pages and the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ducha.accountability.models import AccountabilityKind
from tests.accountability.conftest import proposed
from tests.parity.harness import Call, Case, check_refusal, check_success, post, run
from tests.world import World

pytestmark = pytest.mark.django_db


def _proposal(**overrides: Any) -> Any:
    def data(world: World, _: Any) -> dict[str, Any]:
        values = {
            "kind": AccountabilityKind.objects.get(code="interview").pk,
            "subject_kind": "person",
            "org": world.orgs["county_dept"].pk,
            "person_name": "周海明",
            "person_post": "副局长",
            "reason": "卡口值守脱岗",
            "problems": [],
            "referrals": [],
        }
        values.update(overrides)
        if callable(values["problems"]):
            values["problems"] = values["problems"](world)
        if values["org"] in world.orgs:
            values["org"] = world.orgs[values["org"]].pk
        return values

    return data


def _as_form(values: dict[str, Any]) -> dict[str, Any]:
    # The form takes the linked rows' numbers as one line of text.
    return {
        **values,
        "problems": ", ".join(str(pk) for pk in values["problems"]),
        "referrals": ", ".join(str(pk) for pk in values["referrals"]),
    }


def propose(name: str, data: Any, **options: Any) -> Case:
    return Case(
        name,
        "county_discipline",
        lambda _w: None,
        lambda w, c: post("/accountability/new/", _as_form(data(w, c))),
        lambda w, c: post("/accountability", data(w, c)),
        **options,
    )


def act(name: str, persona: str, action: str, body: dict[str, Any], **options: Any) -> Case:
    def page(world: World, record: Any) -> Call:
        return post(f"/accountability/{record.pk}/{action}/", _resolved(body))

    def api(world: World, record: Any) -> Call:
        return post(f"/accountability/{record.pk}/actions/{action}", _resolved(body))

    return Case(name, persona, proposed, page, api, **options)


def _hidden_problem(world: World) -> list[int]:
    return [world.problem(by="sibling_office", region="sibling").pk]


def _resolved(body: dict[str, Any]) -> dict[str, Any]:
    # Dates are computed when the test runs, not when it is collected (a run may cross midnight).
    return {name: value() if callable(value) else value for name, value in body.items()}


def day(offset: int = 0) -> Any:
    return lambda: (timezone.localdate() + timedelta(days=offset)).isoformat()


CASES = [
    propose("propose", _proposal(), good=True),
    propose("about a person outside the jurisdiction", _proposal(org="sibling_dept"), field="org"),
    propose("about a person without a name", _proposal(person_name=" "), field="person_name"),
    propose("with a problem out of sight", _proposal(problems=_hidden_problem), field="problems"),
    propose("with a missing problem", _proposal(problems=[987654]), field="problems"),
    propose("with a missing referral", _proposal(referrals=[987654]), field="referrals"),
    act("decide", "county_leader", "decide", {"decided_on": day()}, good=True),
    act(
        "decide in the future",
        "county_leader",
        "decide",
        {"decided_on": day(1)},
        field="decided_on",
    ),
    act(
        "decide before the proposal",
        "county_leader",
        "decide",
        {"decided_on": day(-1)},
        field="decided_on",
    ),
    act(
        "decide as the office",
        "county_office",
        "decide",
        {"decided_on": day()},
        field=None,
        status=403,
    ),
    act(
        "withdraw without a reason", "county_discipline", "withdraw", {"reason": ""}, field="reason"
    ),
    act("withdraw", "county_discipline", "withdraw", {"reason": "重复提出"}, good=True),
]


@pytest.mark.parametrize("case", [c for c in CASES if c.good], ids=str)
def test_the_same_good_input_gives_the_same_events(world, case):
    check_success(case, *run(world, case))


@pytest.mark.parametrize("case", [c for c in CASES if not c.good], ids=str)
def test_the_same_bad_input_is_refused_alike(world, case):
    check_refusal(case, *run(world, case))
