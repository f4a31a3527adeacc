"""Every persona × action on a policy (政策措施), over the API and the pages, against an oracle
written from docs/policies.md: the city command HQ's measure answering a common problem of
the county, assigned to the county's 卫健局."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from ducha.policies import actions
from ducha.policies.models import Policy, PolicyDocument, PolicyEvent
from ducha.problems.models import Problem
from tests.matrix.harness import Endpoint, check_each, check_matrix, listed_ids
from tests.matrix.oracle import PERSONAS, expected_status, sees
from tests.policies.conftest import adopt_body, adopted
from tests.policies.files import PDF, upload, word
from tests.world import World

pytestmark = pytest.mark.django_db

UNIT = "county_dept"
# Who reads it: the issuing body's jurisdiction (the city and the province above it) and
# everyone who sees the problem it answers; the oracle of problems says who sees that.
SEES = {persona for persona in PERSONAS if sees(persona, assigned_to=UNIT)}
ISSUERS_REGION = {
    "city_office",
    "city_leader",
    "city_command",
    "province_office",
    "province_leader",
}
# Adopting, linking and attaching the document: the command HQ whose jurisdiction holds the
# issuing body.
ACTS = {"city_command"}


def test_the_oracle_names_only_known_personas():
    assert ISSUERS_REGION <= SEES and ACTS <= SEES


def _waiting(world: World, title: str = "卡口未登记过往车辆") -> Problem:
    return world.assigned(unit=UNIT, title=title, nature="common")


@dataclass(frozen=True)
class Answered:
    policy: Policy
    spare: Problem  # a common problem of the same kind still waiting


def answered(world: World) -> Answered:
    policy = adopted(world, [_waiting(world)])
    return Answered(policy, _waiting(world, "卡口测温登记缺失"))


def status(action: str):
    def _status(persona: str, _obj) -> str:
        if persona not in SEES:
            return "missing"
        if action == "view":
            return "ok"
        return "ok" if persona in ACTS else "forbidden"

    return _status


def _events(obj: Answered) -> int:
    return PolicyEvent.objects.filter(policy=obj.policy).count()


@pytest.mark.parametrize("surface", ["api", "page"])
def test_reading(world, surface):
    path = (
        (lambda o: f"/policies/{o.policy.pk}")
        if surface == "api"
        else (lambda o: f"/policies/{o.policy.pk}/")
    )
    check_matrix(
        world,
        answered,
        Endpoint("get", path, surface=surface),
        status("view"),
        ok={200},
        fresh=False,
    )


@pytest.mark.parametrize("surface", ["api", "page"])
def test_linking(world, surface):
    def body(_world: World, obj: Answered) -> dict:
        return {"problems": [obj.spare.pk]}

    if surface == "api":
        endpoint = Endpoint("post", lambda o: f"/policies/{o.policy.pk}/actions/link", body)
        ok = {200}
    else:
        endpoint = Endpoint("post", lambda o: f"/policies/{o.policy.pk}/link/", body, "page")
        ok = {302}
    check_matrix(world, answered, endpoint, status("link"), ok=ok, unchanged=_events)


def test_lists_follow_the_oracle(world):
    made = answered(world).policy.pk
    check_each(
        world,
        lambda client: listed_ids(client, "/policies?page_size=200"),
        lambda persona: {made} if persona in SEES else set(),
    )


def test_the_queue_of_kinds_shows_what_each_may_answer(world):
    """A kind waits for whoever may give its problems a lasting rule (建): the HQ, and the
    offices and the unit of the problem; nobody else hears of it."""
    problem = _waiting(world)
    kind = problem.focus_area_id

    def kinds(client) -> set[int]:
        response = client.get("/api/v1/policies/kinds")
        assert response.status_code == 200
        return {row["focus_area"] for row in response.json()}

    def may_rule(persona: str) -> set[int]:
        answers = expected_status(persona, "institutionalize", assigned_to=UNIT) == "ok"
        return {kind} if answers else set()

    check_each(world, kinds, may_rule)

    def listed(client) -> set[int]:
        response = client.get(f"/api/v1/policies/kinds/{kind}")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["items"]}

    check_each(world, listed, lambda persona: {problem.pk} if may_rule(persona) else set())


@pytest.mark.parametrize("surface", ["api", "page"])
def test_adopting(world, surface):
    """Only the command HQ records a policy; every other persona is refused the action (403),
    whatever it sees, and nothing is recorded."""

    def answer(client) -> int:
        problem = _waiting(world)
        body = adopt_body(world, [problem])
        if surface == "api":
            sent = client.post(
                "/api/v1/policies", json.dumps(body), content_type="application/json"
            )
        else:
            sent = client.post(f"/policies/kinds/{problem.focus_area_id}/", body)
        return sent.status_code

    made = 201 if surface == "api" else 302
    check_each(world, answer, lambda persona: made if persona in ACTS else 403)
    assert Policy.objects.count() == len(ACTS)
    assert PolicyEvent.objects.count() == len(ACTS)


@pytest.mark.parametrize("page", ["/policies/", "/policies/queue/"])
def test_every_signed_in_persona_opens_the_lists(world, page):
    # Each list shows only what its reader may see (above), so none is refused.
    check_each(world, lambda client: client.get(page).status_code, lambda _persona: 200)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def documented(world: World) -> Answered:
    made = answered(world)
    actions.do_attach_policy_document(
        made.policy, acting_user=world.users["city_command"], document=upload(word())
    )
    return made


def _kept(obj: Answered) -> tuple[int, int]:
    return _events(obj), PolicyDocument.objects.filter(policy=obj.policy).count()


@pytest.mark.parametrize("surface", ["upload", "page"])
def test_attaching_the_document(world, media, surface):
    """Only the HQ of the issuing body's region attaches the file; a reader is refused (403),
    an outsider hears of nothing (404), and neither leaves a file or an event behind."""

    def body(_world: World, _obj: Answered) -> dict:
        return {"document": upload(PDF, "通知.pdf")}

    path = "/actions/attach" if surface == "upload" else "/attach/"
    endpoint = Endpoint("post", lambda o: f"/policies/{o.policy.pk}{path}", body, surface)
    ok = {200} if surface == "upload" else {302}
    check_matrix(world, answered, endpoint, status("attach"), ok=ok, unchanged=_kept)


@pytest.mark.parametrize("surface", ["api", "page"])
def test_downloading_the_document(world, media, surface):
    """Whoever reads the policy downloads its document; nobody else learns it exists."""
    path = "/document" if surface == "api" else "/document/"
    check_matrix(
        world,
        documented,
        Endpoint("get", lambda o: f"/policies/{o.policy.pk}{path}", surface=surface),
        status("view"),
        ok={200},
        fresh=False,
    )
