"""Every persona × action on a matter the city office handed to the county office, over the
API and the pages, against an oracle written from docs/matters.md."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.matters import actions
from ducha.matters.models import MatterBatch, MatterEvent, MatterHandover
from tests.matrix.harness import Endpoint, check_each, check_matrix, listed_ids
from tests.matrix.oracle import PERSONAS

pytestmark = pytest.mark.django_db

# Read by the offices and their leaders, on the issuing side (the city and above) and the
# receiving side (the county); acted on by the receiving office's own staff, urged from above.
OWN_OFFICE_ACTIONS = {"sign", "report"}
# Urged by the issuing side's staff and leaders; a report accepted by its staff only.


def matter_sees(persona: str) -> bool:
    role, relation = PERSONAS[persona]
    return role in {"office_staff", "leader"} and relation in {"self", "ancestor"}


def matter_status(persona: str, action: str) -> str:
    if not matter_sees(persona):
        return "missing"
    role, relation = PERSONAS[persona]
    if action == "view":
        return "ok"
    if action in OWN_OFFICE_ACTIONS:
        return "ok" if (role, relation) == ("office_staff", "self") else "forbidden"
    assert action in {"urge", "accept"}
    if action == "accept" and role != "office_staff":
        return "forbidden"
    return "ok" if relation == "ancestor" else "forbidden"


def county_handover(world, *, signed: bool = False, reported: bool = False) -> MatterHandover:
    today = timezone.localdate()
    batch = actions.do_hand_down_batch(
        acting_user=world.users["city_office"],
        issuing_office=world.orgs["city_office"],
        offices=[world.orgs["county_office"], world.orgs["sibling_office"]],
        title="市视频会议事项",
        source_kind="meeting",
        issued_on=today,
        matters=[actions.MatterInput(title="事项", deadline=today + timedelta(days=5))],
    )
    handover = MatterHandover.objects.get(matter__batch=batch, office=world.orgs["county_office"])
    if signed or reported:
        handover = actions.do_sign_matter(handover, acting_user=world.users["county_office"])
    if reported:
        handover = actions.do_report_matter(
            handover, acting_user=world.users["county_office"], text="已落实"
        )
    return handover


def _events(handover: MatterHandover) -> int:
    return MatterEvent.objects.filter(handover=handover).count()


# (action, the handover's progress before it, body)
CASES = [
    ("sign", {}, {}),
    ("report", {"signed": True}, {"text": "已落实"}),
    ("urge", {}, {"comment": "请加快"}),
    ("accept", {"reported": True}, {"comment": "同意"}),
]


@pytest.mark.parametrize("surface", ["api", "page"])
@pytest.mark.parametrize(("action", "before", "body"), CASES, ids=[c[0] for c in CASES])
def test_actions_on_a_county_handover(world, surface, action, before, body):
    if surface == "api":
        path = lambda h: f"/matter-handovers/{h.pk}/actions/{action}"  # noqa: E731
        ok = {200}
    else:
        path = lambda h: f"/matters/handovers/{h.pk}/{action}/"  # noqa: E731
        ok = {302}
    check_matrix(
        world,
        lambda w: county_handover(w, **before),
        Endpoint("post", path, body, surface),
        lambda persona, _h: matter_status(persona, action),
        ok=ok,
        unchanged=_events,
    )


def test_reading_a_batch(world):
    handover = county_handover(world)
    batch_id = handover.matter.batch_id
    check_matrix(
        world,
        lambda _w: handover,
        Endpoint("get", lambda _h: f"/matters/{batch_id}/", surface="page"),
        lambda persona, _h: (
            "ok" if matter_sees(persona) or persona == "sibling_office" else "missing"
        ),
        ok={200},
        fresh=False,
    )


def test_batch_lists_follow_the_oracle(world):
    batch = county_handover(world).matter.batch
    check_each(
        world,
        lambda client: listed_ids(client, "/matter-batches?page_size=200"),
        # The sibling county received the same batch: it sees the batch, not the county's part.
        lambda persona: (
            {batch.pk} if matter_sees(persona) or persona == "sibling_office" else set()
        ),
    )
    assert MatterBatch.objects.count() == 1
