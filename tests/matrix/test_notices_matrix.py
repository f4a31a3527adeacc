"""Notifications × persona: who is told of each event of the loop, and whose inbox answers.

The oracle is written from docs/notifications.md: for each action, the group that must act
next, cut down to those who may see the problem (`oracle.sees`), never the actor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ducha.celery import app
from ducha.notices.actions import do_notify
from ducha.notices.models import Notification
from ducha.problems import actions
from tests.matrix.harness import Endpoint, check_each, check_matrix, listed_ids
from tests.matrix.oracle import PERSONAS, sees
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _u(world: World, key: str) -> Any:
    return world.users[key]


def _assigned(world: World) -> Any:
    return world.assigned(nature="common")


def _rectified(world: World) -> Any:
    return actions.do_submit_rectification(
        _assigned(world), acting_user=_u(world, "county_handler"), text="已整改"
    )


def _disputed(world: World) -> Any:
    return actions.do_dispute(
        _assigned(world), acting_user=_u(world, "county_handler"), reason="不属本单位"
    )


# action → (state it starts from, the step, the group the specification tells)
STEPS: dict[str, tuple[Callable[[World], Any], Callable[[World, Any], Any], set[str]]] = {
    "assign": (
        lambda w: w.problem(nature="common"),
        lambda w, p: actions.do_assign(
            p, acting_user=_u(w, "county_office"), responsible_org=w.orgs["county_dept"]
        ),
        {"county_handler"},
    ),
    "urge": (
        _assigned,
        lambda w, p: actions.do_urge(p, acting_user=_u(w, "county_team_member")),
        {"county_handler"},
    ),
    "instruct": (
        _assigned,
        lambda w, p: actions.do_instruct(p, acting_user=_u(w, "county_leader"), text="抓紧"),
        {"county_handler", "county_office"},
    ),
    "submit_rectification": (
        _assigned,
        lambda w, p: actions.do_submit_rectification(
            p, acting_user=_u(w, "county_handler"), text="已整改"
        ),
        {"county_office"},
    ),
    "verify_reject": (
        _rectified,
        lambda w, p: actions.do_verify(
            p, acting_user=_u(w, "county_office"), accept=False, comment="未到位"
        ),
        {"county_handler"},
    ),
    "dispute": (
        _assigned,
        lambda w, p: actions.do_dispute(p, acting_user=_u(w, "county_handler"), reason="不属"),
        {"county_office"},
    ),
    "decide_dispute": (
        _disputed,
        lambda w, p: actions.do_decide_dispute(
            p, acting_user=_u(w, "county_office"), decision="uphold", comment="维持"
        ),
        {"county_handler"},
    ),
}


@pytest.mark.parametrize("action", sorted(STEPS))
def test_each_event_tells_the_group_that_acts_next_and_no_one_else(
    world, action, django_capture_on_commit_callbacks
):
    start, step, group = STEPS[action]
    problem = start(world)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        step(world, problem)
    told = {persona for persona in group if sees(persona, assigned_to="county_dept")}

    def observe(client) -> bool:
        items = client.get("/api/v1/notifications?page_size=200").json()["items"]
        return any(item["subject_id"] == problem.pk for item in items)

    check_each(world, observe, lambda persona: persona in told)


def _note(world: World) -> Notification:
    [pk] = do_notify(
        recipients=[_u(world, "county_handler")],
        kind="urged",
        title="催办",
        body="请抓紧",
        source_key=f"matrix:{Notification.objects.count()}",
    )
    return Notification.objects.get(pk=pk)


def _owner(persona: str, _: Any) -> str:
    return "ok" if persona == "county_handler" else "missing"


@pytest.mark.parametrize(
    "endpoint",
    [
        Endpoint("post", lambda n: f"/notifications/{n.pk}/read"),
        Endpoint("post", lambda n: f"/notifications/{n.pk}/read/", surface="page"),
        Endpoint("post", lambda n: f"/notifications/{n.pk}/open/", surface="page"),
    ],
    ids=["api-read", "page-read", "page-open"],
)
def test_only_the_recipient_reaches_a_notification(world, endpoint):
    check_matrix(
        world,
        _note,
        endpoint,
        _owner,
        ok={200, 302},
        unchanged=lambda n: Notification.objects.get(pk=n.pk).read_at,
    )


def test_every_inbox_lists_its_own_only(world):
    note = _note(world)
    check_each(
        world,
        lambda client: listed_ids(client, "/notifications?page_size=200"),
        lambda persona: {note.pk} if persona == "county_handler" else set(),
        personas=PERSONAS,
    )
