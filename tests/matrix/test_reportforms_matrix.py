"""Every persona × action on a form of the county's register, over the API and the pages,
against an oracle written from docs/reportforms.md: the offices, leaders and command HQs of
the county and above read it, the requesting department's handler reads its own form, and
only the offices decide on it or edit it."""

from __future__ import annotations

import pytest

from ducha.reportforms.models import ReportForm, ReportFormEvent
from tests.matrix.harness import Endpoint, check_each, check_matrix, listed_ids
from tests.matrix.oracle import PERSONAS
from tests.reportforms.conftest import register

pytestmark = pytest.mark.django_db

OFFICES = {"county_office", "city_office", "province_office"}
SEES = OFFICES | {
    "county_leader",
    "city_leader",
    "province_leader",
    "city_command",
    # The handler of the department that demands the form.
    "county_handler",
}


def make(world) -> ReportForm:
    return register(world, ReportForm.objects.count() + 1)


def status(action: str):
    def _status(persona: str, _obj) -> str:
        if persona not in SEES:
            return "missing"
        if action == "view":
            return "ok"
        return "ok" if persona in OFFICES else "forbidden"

    return _status


def _events(form: ReportForm) -> int:
    return ReportFormEvent.objects.filter(form=form).count()


def test_the_oracle_names_only_known_personas():
    assert SEES.issubset(PERSONAS) and OFFICES.issubset(SEES)


@pytest.mark.parametrize("surface", ["api", "page"])
def test_deciding(world, surface):
    if surface == "api":
        path = lambda f: f"/report-forms/{f.pk}/actions/decide"  # noqa: E731
        ok = {200}
    else:
        path = lambda f: f"/forms/{f.pk}/decide/"  # noqa: E731
        ok = {302}
    check_matrix(
        world,
        make,
        Endpoint("post", path, {"decision": "drop", "reason": "不再需要"}, surface),
        status("decide"),
        ok=ok,
        unchanged=_events,
    )


def test_editing(world):
    check_matrix(
        world,
        make,
        Endpoint("post", lambda f: f"/report-forms/{f.pk}/actions/edit", {"minutes": 15}),
        status("edit"),
        ok={200},
        unchanged=_events,
    )


@pytest.mark.parametrize("surface", ["api", "page"])
def test_reading(world, surface):
    tail = "/" if surface == "page" else ""
    prefix = "/forms" if surface == "page" else "/report-forms"
    check_matrix(
        world,
        make,
        Endpoint("get", lambda f: f"{prefix}/{f.pk}{tail}", surface=surface),
        status("view"),
        ok={200},
        fresh=False,
    )


def test_lists_follow_the_oracle(world):
    made = make(world).pk
    check_each(
        world,
        lambda client: listed_ids(client, "/report-forms?page_size=200"),
        lambda persona: {made} if persona in SEES else set(),
    )
