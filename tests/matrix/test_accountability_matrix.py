"""Every persona × action on an accountability record and a commendation about a person of
双桥区, over the API and the pages, against an oracle written from docs/accountability.md:
who sees names, who decides, who carries out, who withdraws."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ducha.accountability import actions
from ducha.accountability.models import Accountability, AccountabilityKind, Commendation
from tests.accountability.conftest import add_blind_roles
from tests.matrix.harness import Endpoint, check_each, check_matrix, listed_ids
from tests.matrix.oracle import PERSONAS

pytestmark = pytest.mark.django_db

# The world's personas, and the county's organisation department and police.
EVERYONE = {
    **PERSONAS,
    "county_organisation": ("organisation", "self"),
    "county_police": ("police", "self"),
}

# Names are read by the discipline body, the leaders and the office of the county and above.
READERS = {"discipline", "leader", "office_staff"}
DECIDERS = {"accountability": {"discipline", "leader"}, "commendation": {"leader", "office_staff"}}
CARRY_OUT = {"discipline", "office_staff"}
# Who proposed each record in the cases below (its keeper is their org).
PROPOSER = {"accountability": "county_discipline", "commendation": "county_office"}


def reads(persona: str) -> bool:
    role, relation = EVERYONE[persona]
    return role in READERS and relation in {"self", "ancestor"}


def status(record: str, persona: str, action: str) -> str:
    if not reads(persona):
        return "missing"
    role = EVERYONE[persona][0]
    if action == "view":
        return "ok"
    if action == "decide":
        return "ok" if role in DECIDERS[record] else "forbidden"
    if action == "carry_out":
        return "ok" if role in CARRY_OUT else "forbidden"
    assert action == "withdraw"
    proposer = persona == PROPOSER[record]
    return "ok" if proposer or role in DECIDERS[record] else "forbidden"


def _record(world, record: str, state: str = "proposed"):
    if record == "accountability":
        made = actions.do_propose_accountability(
            acting_user=world.users[PROPOSER[record]],
            kind=AccountabilityKind.objects.get(code="interview"),
            subject_kind="person",
            org=world.orgs["county_dept"],
            person_name="周海明",
            reason="值守脱岗",
        )
    else:
        made = actions.do_propose_commendation(
            acting_user=world.users[PROPOSER[record]],
            kind="praise",
            subject_kind="person",
            org=world.orgs["county_dept"],
            person_name="韩晓琳",
            reason="登记无遗漏",
        )
    if state == "decided":
        made = actions.do_decide(
            made, acting_user=world.users["county_leader"], decided_on=timezone.localdate()
        )
    return made


def _events(record) -> tuple:
    fresh = type(record).objects.get(pk=record.pk)
    return fresh.state, fresh.version, fresh.events.count()


CASES = [
    ("decide", "proposed", {"decided_on": "TODAY"}),
    ("carry_out", "decided", {"carried_out_on": "TODAY", "comment": "已执行"}),
    ("withdraw", "proposed", {"reason": "经核实不属实"}),
]
BASES = {
    "accountability": ("/accountability", "/accountability"),
    "commendation": (
        "/commendations",
        "/accountability/commendations",
    ),
}


def _body(body):
    today = timezone.localdate().isoformat()
    return lambda _w, _r: {key: today if value == "TODAY" else value for key, value in body.items()}


@pytest.fixture
def everyone(world):
    return add_blind_roles(world)


@pytest.mark.parametrize("record", ["accountability", "commendation"])
@pytest.mark.parametrize("surface", ["api", "page"])
@pytest.mark.parametrize(("action", "state", "body"), CASES, ids=[c[0] for c in CASES])
def test_actions(everyone, record, surface, action, state, body):
    api_base, page_base = BASES[record]
    if surface == "api":
        path = lambda r: f"{api_base}/{r.pk}/actions/{action}"  # noqa: E731
        ok = {200}
    else:
        path = lambda r: f"{page_base}/{r.pk}/{action}/"  # noqa: E731
        ok = {302}
    check_matrix(
        everyone,
        lambda w: _record(w, record, state),
        Endpoint("post", path, _body(body), surface),
        lambda persona, _r: status(record, persona, action),
        ok=ok,
        unchanged=_events,
        personas=EVERYONE,
    )


@pytest.mark.parametrize("record", ["accountability", "commendation"])
@pytest.mark.parametrize("surface", ["api", "page"])
def test_reading_a_record(everyone, record, surface):
    api_base, page_base = BASES[record]
    made = _record(everyone, record)
    base = api_base if surface == "api" else page_base
    check_matrix(
        everyone,
        lambda _w: made,
        Endpoint(
            "get", lambda r: f"{base}/{r.pk}" + ("/" if surface == "page" else ""), surface=surface
        ),
        lambda persona, _r: status(record, persona, "view"),
        ok={200},
        fresh=False,
        personas=EVERYONE,
    )


@pytest.mark.parametrize("record", ["accountability", "commendation"])
def test_lists_follow_the_oracle(everyone, record):
    made = _record(everyone, record)
    check_each(
        everyone,
        lambda client: listed_ids(client, f"{BASES[record][0]}?page_size=200"),
        lambda persona: {made.pk} if reads(persona) else set(),
        personas=EVERYONE,
    )
    assert Accountability.objects.count() + Commendation.objects.count() == 1
