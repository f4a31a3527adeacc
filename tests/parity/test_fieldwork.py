"""Parity of field work: checklists, meetings, tasks, inspections (with photos), revisits."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ducha.fieldwork import actions
from ducha.fieldwork.models import ChecklistItem, Revisit, Task
from ducha.problems import actions as loop
from tests.fieldwork.domain.factory import item, plan, screening, tomorrow
from tests.parity.harness import Call, Case, check_refusal, check_success, post, run
from tests.parity.inputs import When, for_api, for_page, not_a_photo, photo
from tests.world import World

pytestmark = pytest.mark.django_db

KEY = "5b6d2a84-7a1e-4d0c-8a53-3c1c6f0f6e21"


def same(
    name: str,
    persona: str,
    setup: Any,
    page_path: str,
    api_path: str,
    data: Any,
    *,
    page_data: Any = None,
    **options: Any,
) -> Case:
    """A case whose two sides send the same fields; `data(world, context)` builds them,
    `page_data` rewrites them for the form where it spells a value otherwise."""

    def page(world: World, context: Any) -> Call:
        values = data(world, context)
        if page_data is not None:
            values = page_data(values)
        return post(page_path.format(c=context), for_page(values))

    def api(world: World, context: Any) -> Call:
        return post(api_path.format(c=context), for_api(data(world, context)))

    return Case(name, persona, setup, page, api, **options)


def nothing(world: World) -> None:
    return None


def an_item(world: World) -> ChecklistItem:
    return item(world)


def a_retired_item(world: World) -> ChecklistItem:
    return actions.do_retire_checklist_item(item(world), acting_user=world.users["county_office"])


def a_task(world: World) -> Task:
    return plan(world)


def _resolved(overrides: dict[str, Any]) -> dict[str, Any]:
    # A date is computed when the test runs, not when it is collected: a run that crosses
    # midnight would otherwise send yesterday's "today".
    return {name: value() if callable(value) else value for name, value in overrides.items()}


def checklist_item(**overrides: Any) -> Any:
    def data(world: World, _: Any) -> dict[str, Any]:
        values = {
            "focus_area": screening().pk,
            "office": world.orgs["county_office"].pk,
            "text": "测温点是否配备备用体温计",
            "position": 3,
        }
        return {**values, **_resolved(overrides)}

    return data


def meeting(**overrides: Any) -> Any:
    def data(world: World, _: Any) -> dict[str, Any]:
        values = {
            "office": world.orgs["county_office"].pk,
            "held_on": timezone.localdate().isoformat(),
            "title": "每日会商会",
            "attendees": "督查办、卫健局",
            "decisions": "明日暗访高速卡口",
        }
        return {**values, **_resolved(overrides)}

    return data


def task(**overrides: Any) -> Any:
    def data(world: World, _: Any) -> dict[str, Any]:
        values = {
            "office": world.orgs["county_office"].pk,
            "team": world.teams["county_team"].pk,
            "day": tomorrow().isoformat(),
            "method": "unannounced",
            "focus_areas": [screening().pk],
            "sites": [world.sites["checkpoint"].pk],
            "notes": "夜间检查",
        }
        return {**values, **_resolved(overrides)}

    return data


def sample(**overrides: Any) -> Any:
    def data(world: World, _: Any) -> dict[str, Any]:
        values = {"office": world.orgs["county_office"].pk, "size": 1, "closed_within_days": 30}
        return {**values, **_resolved(overrides)}

    return data


def closed_problem(world: World) -> None:
    loop.do_close_on_spot(
        world.problem(), acting_user=world.users["county_office"], evidence="整改"
    )


def a_due_revisit(world: World) -> Revisit:
    closed_problem(world)
    return Revisit.objects.get()


def as_checkbox(values: dict[str, Any]) -> dict[str, Any]:
    """A form's radio buttons spell true and false as "1" and "0"."""
    return {**values, "passed": "1" if values["passed"] else "0"}


CASES = [
    # --- checklists
    same(
        "add a question",
        "county_office",
        nothing,
        "/field/checklists/",
        "/checklist-items",
        checklist_item(),
        good=True,
    ),
    same(
        "add a question of blanks",
        "county_office",
        nothing,
        "/field/checklists/",
        "/checklist-items",
        checklist_item(text="   "),
        field="text",
    ),
    same(
        "add a question for another office",
        "county_office",
        nothing,
        "/field/checklists/",
        "/checklist-items",
        lambda w, c: {**checklist_item()(w, c), "office": w.orgs["sibling_office"].pk},
        field="office",
    ),
    same(
        "revise a question",
        "county_office",
        an_item,
        "/field/checklists/{c.pk}/revise/",
        "/checklist-items/{c.pk}/revise",
        lambda w, c: {"text": "卡口是否逐车登记并测温"},
        good=True,
    ),
    same(
        "revise a retired question",
        "county_office",
        a_retired_item,
        "/field/checklists/{c.pk}/revise/",
        "/checklist-items/{c.pk}/revise",
        lambda w, c: {"text": "新的问法"},
        status=409,
    ),
    same(
        "retire a question",
        "county_office",
        an_item,
        "/field/checklists/{c.pk}/retire/",
        "/checklist-items/{c.pk}/retire",
        lambda w, c: {},
        good=True,
    ),
    same(
        "retire a retired question",
        "county_office",
        a_retired_item,
        "/field/checklists/{c.pk}/retire/",
        "/checklist-items/{c.pk}/retire",
        lambda w, c: {},
        status=409,
    ),
    # --- meetings
    same(
        "record a meeting",
        "county_office",
        nothing,
        "/field/meetings/new/",
        "/meetings",
        meeting(),
        good=True,
    ),
    same(
        "record a meeting not yet held",
        "county_office",
        nothing,
        "/field/meetings/new/",
        "/meetings",
        meeting(held_on=lambda: (timezone.localdate() + timedelta(days=1)).isoformat()),
        field="held_on",
    ),
    same(
        "record a meeting for another office",
        "county_office",
        nothing,
        "/field/meetings/new/",
        "/meetings",
        lambda w, c: {**meeting()(w, c), "office": w.orgs["city_office"].pk},
        field="office",
    ),
    # --- tasks
    same("plan a task", "county_office", nothing, "/field/tasks/new/", "/tasks", task(), good=True),
    same(
        "plan a task for yesterday",
        "county_office",
        nothing,
        "/field/tasks/new/",
        "/tasks",
        task(day=lambda: (timezone.localdate() - timedelta(days=1)).isoformat()),
        field="day",
    ),
    same(
        "plan a task for a team out of sight",
        "county_office",
        nothing,
        "/field/tasks/new/",
        "/tasks",
        lambda w, c: {**task()(w, c), "team": w.teams["sibling_team"].pk},
        field="team",
    ),
    same(
        "plan a task at a site out of sight",
        "county_office",
        nothing,
        "/field/tasks/new/",
        "/tasks",
        lambda w, c: {**task()(w, c), "sites": [w.sites["sibling_market"].pk]},
        field="sites",
    ),
    same(
        "join a task",
        "county_handler",
        a_task,
        "/field/tasks/{c.pk}/join/",
        "/tasks/{c.pk}/join",
        lambda w, c: {"org": w.orgs["county_dept"].pk, "focus_areas": [screening().pk]},
        good=True,
    ),
    same(
        "join a task as its own office",
        "county_office",
        a_task,
        "/field/tasks/{c.pk}/join/",
        "/tasks/{c.pk}/join",
        lambda w, c: {"org": w.orgs["county_office"].pk, "focus_areas": [screening().pk]},
        status=409,
    ),
    same(
        "join as another's unit",
        "county_handler",
        a_task,
        "/field/tasks/{c.pk}/join/",
        "/tasks/{c.pk}/join",
        lambda w, c: {"org": w.orgs["county_market_dept"].pk, "focus_areas": [screening().pk]},
        field="org",
    ),
    same(
        "cancel a task",
        "county_office",
        a_task,
        "/field/tasks/{c.pk}/cancel/",
        "/tasks/{c.pk}/cancel",
        lambda w, c: {"reason": "天气原因改期"},
        good=True,
    ),
    same(
        "cancel a task without a reason",
        "county_office",
        a_task,
        "/field/tasks/{c.pk}/cancel/",
        "/tasks/{c.pk}/cancel",
        lambda w, c: {"reason": " "},
        field="reason",
    ),
    # --- revisits
    same(
        "draw a sample",
        "county_office",
        closed_problem,
        "/field/revisits/sample/",
        "/revisits/sample",
        sample(),
        good=True,
    ),
    same(
        "draw a sample of the last 366 days",
        "county_office",
        closed_problem,
        "/field/revisits/sample/",
        "/revisits/sample",
        sample(closed_within_days=366),
        good=True,
    ),
    same(
        "draw a sample for another office",
        "county_office",
        closed_problem,
        "/field/revisits/sample/",
        "/revisits/sample",
        lambda w, c: {**sample()(w, c), "office": w.orgs["city_office"].pk},
        field="office",
    ),
    same(
        "record a revisit",
        "county_team_member",
        a_due_revisit,
        "/field/revisits/{c.pk}/result/",
        "/revisits/{c.pk}/result",
        lambda w, c: {"passed": False, "note": "卡口又无人值守"},
        page_data=as_checkbox,
        good=True,
    ),
    same(
        "record a failed revisit without a word",
        "county_team_member",
        a_due_revisit,
        "/field/revisits/{c.pk}/result/",
        "/revisits/{c.pk}/result",
        lambda w, c: {"passed": False, "note": ""},
        page_data=as_checkbox,
        field="note",
    ),
]


# --- inspections: the phone's form, and the API's body with its photos -------------------------


def _visit(world: World) -> dict[str, Any]:
    task = plan(world)
    return {"task": task, "item": item(world)}


def inspection(
    name: str,
    *,
    visited: float = -0.05,
    photos: Any = None,
    item_photos: Any = None,
    **options: Any,
) -> Case:
    """A visit under a planned task, its question failed; photos of the visit and of the
    question go with the page's form and with the API's multipart body."""

    def page(world: World, context: dict[str, Any]) -> Call:
        question = context["item"]
        data = for_page(
            {
                "team": world.teams["county_team"].pk,
                "members_present": [world.users["county_team_member"].pk],
                "visited_at": When(visited),
                "method": "open",
                "sites": [world.sites["checkpoint"].pk],
                "notes": "夜间突击",
                "client_key": KEY,
                f"item_{question.pk}_result": "fail",
                f"item_{question.pk}_note": "有车辆未登记即放行",
            }
        )
        files = {"photos": photos()} if photos else {}
        if item_photos:
            files[f"item_{question.pk}_photos"] = item_photos()
        return post(f"/field/inspections/new/?task={context['task'].pk}", data, **files)

    def api(world: World, context: dict[str, Any]) -> Call:
        question = context["item"]
        body = for_api(
            {
                "client_key": KEY,
                "task": context["task"].pk,
                "team": world.teams["county_team"].pk,
                "method": "open",
                "visited_at": When(visited),
                "sites": [world.sites["checkpoint"].pk],
                "members_present": [world.users["county_team_member"].pk],
                "notes": "夜间突击",
            }
        )
        body["answers"] = [{"item": question.pk, "result": "fail", "note": "有车辆未登记即放行"}]
        if not photos and not item_photos:
            return post("/inspections", body)
        files = {"photos": photos()} if photos else {}
        if item_photos:
            files[f"item_{question.pk}_photos"] = item_photos()
        return post("/inspections/with-photos", {"payload": json.dumps(body)}, **files)

    return Case(name, "county_team_member", _visit, page, api, **options)


INSPECTIONS = [
    inspection("record a visit", good=True),
    inspection(
        "record a visit with its photos",
        photos=lambda: [photo("v.png")],
        item_photos=lambda: [photo("q.png", "red")],
        good=True,
    ),
    inspection("record a visit in the future", visited=0.5, field="visited_at"),
    inspection(
        "record a visit whose photo of a question is no photo",
        item_photos=lambda: [not_a_photo()],
        field="item_photos",
    ),
    inspection(
        "record a visit with eleven photos",
        photos=lambda: [photo(f"{n}.png") for n in range(11)],
        field="photos",
    ),
]


def _named_per_question(case: Case, page: Any, api: Any) -> Case:
    """The photos of a question are named after it (item_<id>_photos) on both sides."""
    if case.field != "item_photos":
        return case
    [field] = [name for name in api.fields if name.startswith("item_")]
    return Case(**{**case.__dict__, "field": field, "page_field": field})


@pytest.mark.parametrize("case", [c for c in CASES + INSPECTIONS if c.good], ids=str)
def test_the_same_good_input_gives_the_same_events(world, media, case):
    check_success(case, *run(world, case))


@pytest.mark.parametrize("case", [c for c in CASES + INSPECTIONS if not c.good], ids=str)
def test_the_same_bad_input_is_refused_alike(world, media, case):
    page, api = run(world, case)
    check_refusal(_named_per_question(case, page, api), page, api)
