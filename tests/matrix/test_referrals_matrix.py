"""Every persona × action on a referral the county office made of a county problem to the
county's discipline body, over the API and the pages, against an oracle written from
docs/referrals.md."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ducha.referrals import actions
from ducha.referrals.models import Referral, ReferralEvent
from tests.matrix.harness import Endpoint, check_each, check_matrix, client_for, listed_ids
from tests.matrix.oracle import PERSONAS
from tests.referrals.conftest import add_receiving_bodies

pytestmark = pytest.mark.django_db

# The shared personas, the county's police and the city's discipline body.
EVERYONE = [*PERSONAS, "county_police", "city_discipline"]
# Read by region: the offices and leaders of the county and above.
READ_BY_REGION = {
    "county_office",
    "county_leader",
    "city_office",
    "city_leader",
    "province_office",
    "province_leader",
}


def referral_sees(persona: str, receiver: str) -> bool:
    if persona in READ_BY_REGION or persona == receiver:
        return True
    # A discipline body above reads what its region's discipline bodies received.
    return persona == "city_discipline" and receiver.endswith("_discipline")


def referral_status(persona: str, action: str, receiver: str) -> str:
    if not referral_sees(persona, receiver):
        return "missing"
    if action == "view":
        return "ok"
    return "ok" if persona == receiver else "forbidden"


def county_referral(world, *, to: str = "county_discipline", accepted: bool = False) -> Referral:
    referral = actions.do_refer(
        acting_user=world.users["county_office"],
        problem=world.problem(),
        receiver=world.orgs[to],
        facts="值守人员脱岗，登记本系事后补填。",
    )
    if accepted:
        referral = actions.do_accept(referral, acting_user=world.users[to])
    return referral


def _events(referral: Referral) -> int:
    return ReferralEvent.objects.filter(referral=referral).count()


CASES = [
    ("accept", {}, {}),
    ("decline", {}, {"reasons": "不属于受理范围"}),
    (
        "conclude",
        {"accepted": True},
        lambda _w, _r: {"outcome": "立案审查", "outcome_on": str(timezone.localdate())},
    ),
]


@pytest.fixture
def bodies(world):
    return add_receiving_bodies(world)


@pytest.mark.parametrize("to", ["county_discipline", "county_police"])
@pytest.mark.parametrize("surface", ["api", "page"])
@pytest.mark.parametrize(("action", "before", "body"), CASES, ids=[c[0] for c in CASES])
def test_actions_on_a_county_referral(world, bodies, surface, action, before, body, to):
    if surface == "api":
        path = lambda r: f"/referrals/{r.pk}/actions/{action}"  # noqa: E731
        ok = {200}
    else:
        path = lambda r: f"/referrals/{r.pk}/{action}/"  # noqa: E731
        ok = {302}
    check_matrix(
        world,
        lambda w: county_referral(w, to=to, **before),
        Endpoint("post", path, body, surface),
        lambda persona, _r: referral_status(persona, action, to),
        ok=ok,
        unchanged=_events,
        personas=EVERYONE,
    )


@pytest.mark.parametrize("to", ["county_discipline", "county_police"])
def test_reading_a_referral(world, bodies, to):
    referral = county_referral(world, to=to)
    for surface, path in (
        ("page", f"/referrals/{referral.pk}/"),
        ("api", f"/referrals/{referral.pk}"),
    ):
        check_matrix(
            world,
            lambda _w: referral,
            Endpoint("get", lambda _r, p=path: p, surface=surface),
            lambda persona, _r: referral_status(persona, "view", to),
            ok={200},
            fresh=False,
            personas=EVERYONE,
        )


def test_referral_lists_follow_the_oracle(world, bodies):
    made = {to: county_referral(world, to=to).pk for to in ("county_discipline", "county_police")}
    check_each(
        world,
        lambda client: listed_ids(client, "/referrals?page_size=200"),
        lambda persona: {pk for to, pk in made.items() if referral_sees(persona, to)},
        personas=EVERYONE,
    )


# Refer (POST /referrals) a county problem to the city's discipline body: the county's and
# the city's offices may (it is of their region or above); the province office may not name
# a body below it; who does not see the problem hears it is not in their jurisdiction; who
# sees it without being an office's staff is refused.
REFER_OK = {"county_office", "city_office"}
REFER_WRONG_RECEIVER = {"province_office"}
SEES_THE_PROBLEM = {
    "county_leader",
    "county_discipline",
    "county_team_member",
    "city_leader",
    "province_leader",
    "province_team_member",
    "city_discipline",
}


def refer_expected(persona: str) -> tuple[int, str | None]:
    if persona in REFER_OK:
        return 201, None
    if persona in REFER_WRONG_RECEIVER:
        return 422, "receiver"
    if persona in SEES_THE_PROBLEM:
        return 403, None
    return 422, "problem"


def test_referring_a_county_problem(world, bodies):
    mismatches = []
    for persona in EVERYONE:
        problem = world.problem()
        before = Referral.objects.count()
        response = client_for(world, persona).post(
            "/api/v1/referrals",
            {
                "problem": problem.pk,
                "receiver": world.orgs["city_discipline"].pk,
                "facts": "线索",
            },
            content_type="application/json",
        )
        status, field = refer_expected(persona)
        got_field = response.json().get("field") if response.status_code == 422 else None
        if (response.status_code, got_field) != (status, field):
            mismatches.append(
                f"{persona}: expected {status} {field}, got {response.status_code} {got_field}"
            )
        if status != 201:
            assert Referral.objects.count() == before, persona
    assert not mismatches, "\n".join(mismatches)
