"""Parity of the register's actions: registering a form and deciding on it refused (or
taken) alike by the pages and the API, with the same message on the same field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.parity.harness import Case, check_refusal, check_success, post, run
from tests.reportforms.conftest import decide, register
from tests.world import World

pytestmark = pytest.mark.django_db


def _registration(**overrides: Any) -> Any:
    def data(world: World, _: Any) -> dict[str, Any]:
        values = {
            "region": world.orgs["county"].pk,
            "number": 1,
            "name": "返岗人员统计表",
            "department": world.orgs["county_dept"].pk,
            "frequency": "daily",
            "filled_by": 5,
            "minutes": 20,
        }
        values.update(overrides)
        if values["department"] in world.orgs:
            values["department"] = world.orgs[values["department"]].pk
        return values

    return data


def _taken(world: World) -> None:
    register(world, 1)


def registering(name: str, data: Any, setup: Any = lambda _w: None, **options: Any) -> Case:
    return Case(
        name,
        "county_office",
        setup,
        lambda w, c: post("/forms/new/", {**data(w, c), "items": "返岗人数 | unit=人"}),
        lambda w, c: post(
            "/report-forms", {**data(w, c), "items": [{"label": "返岗人数", "unit": "人"}]}
        ),
        **options,
    )


def _forms(world: World) -> dict[str, Any]:
    kept = decide(world, register(world, 1), "keep")
    return {
        "kept": kept,
        "other": register(world, 2),
        "dropped": decide(world, register(world, 3), "drop"),
        "merged": decide(world, register(world, 4), "merge", merged_into=kept),
    }


def deciding(name: str, persona: str, form: str, body: dict[str, Any], **options: Any) -> Case:
    def resolved(forms: dict[str, Any]) -> dict[str, Any]:
        target = body.get("merged_into")
        return {**body, **({"merged_into": forms[target].pk} if target else {})}

    return Case(
        name,
        persona,
        _forms,
        lambda w, c: post(f"/forms/{c[form].pk}/decide/", resolved(c)),
        lambda w, c: post(f"/report-forms/{c[form].pk}/actions/decide", resolved(c)),
        **options,
    )


CASES = [
    registering("register", _registration(), good=True),
    registering("a number taken", _registration(), _taken, field="number"),
    registering(
        "a department next door", _registration(department="sibling_dept"), field="department"
    ),
    registering(
        "a department that is an office",
        _registration(department="county_office"),
        field="department",
    ),
    registering("no minutes", _registration(minutes=0), field="minutes"),
    registering("too many minutes", _registration(minutes=601), field="minutes"),
    registering("filled by the county itself", _registration(filled_by=3), field="filled_by"),
    registering("a number out of range", _registration(number=10000), field="number"),
    registering("a two-line name", _registration(name="a\nb"), field="name"),
    deciding("keep", "county_office", "other", {"decision": "keep", "reason": "保留"}, good=True),
    deciding(
        "merge", "county_office", "other", {"decision": "merge", "merged_into": "kept"}, good=True
    ),
    deciding(
        "merge into itself",
        "county_office",
        "other",
        {"decision": "merge", "merged_into": "other"},
        field="merged_into",
    ),
    deciding(
        "merge into a dropped form",
        "county_office",
        "other",
        {"decision": "merge", "merged_into": "dropped"},
        field="merged_into",
    ),
    deciding(
        "merge into a merged form",
        "county_office",
        "other",
        {"decision": "merge", "merged_into": "merged"},
        field="merged_into",
    ),
    deciding(
        "merge into nothing", "county_office", "other", {"decision": "merge"}, field="merged_into"
    ),
    deciding(
        "drop a form others are merged into",
        "county_office",
        "kept",
        {"decision": "drop"},
        field="decision",
    ),
    deciding(
        "serve from data the platform lacks",
        "county_office",
        "other",
        {"decision": "shared"},
        field="decision",
    ),
    deciding(
        "the same decision again",
        "county_office",
        "dropped",
        {"decision": "drop"},
        field="decision",
    ),
    deciding("decide as a leader", "county_leader", "other", {"decision": "drop"}, status=403),
    deciding("decide next door", "sibling_office", "other", {"decision": "drop"}, status=404),
]


@pytest.mark.parametrize("case", [c for c in CASES if c.good], ids=str)
def test_the_same_good_input_gives_the_same_events(world, case):
    check_success(case, *run(world, case))


@pytest.mark.parametrize("case", [c for c in CASES if not c.good], ids=str)
def test_the_same_bad_input_is_refused_alike(world, case):
    check_refusal(case, *run(world, case))
