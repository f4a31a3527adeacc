"""Every persona × action on two suggestions, over the API and the pages, against an oracle
written from docs/suggestions.md: one the county office made to its 卫健局, one the
province's team stationed in the city made to the city's command HQ."""

from __future__ import annotations

import pytest

from ducha.suggestions.models import Suggestion, SuggestionEvent
from tests.matrix.harness import Endpoint, check_each, check_matrix, listed_ids
from tests.matrix.oracle import PERSONAS
from tests.suggestions.conftest import suggest

pytestmark = pytest.mark.django_db

# Who sees each suggestion: the sender's side (its office and those above, the sending
# team's members), the receiver's own users and the offices and leaders above the receiver.
ABOVE_THE_COUNTY = {"city_office", "city_leader", "province_office", "province_leader"}
SEES = {
    "office": {"county_office", "county_leader", "county_handler"} | ABOVE_THE_COUNTY,
    "team": {
        "province_office",
        "province_leader",
        "province_team_member",
        "city_office",
        "city_leader",
        "city_command",
    },
}
# Only the receiver's own users respond.
RESPONDS = {"office": {"county_handler"}, "team": {"city_command"}}


def make(kind: str):
    def _make(world) -> Suggestion:
        if kind == "office":
            return suggest(world)
        return suggest(world, by="province_team_member", to="city_command")

    return _make


def status(kind: str, action: str):
    def _status(persona: str, _obj) -> str:
        if persona not in SEES[kind]:
            return "missing"
        if action == "view":
            return "ok"
        return "ok" if persona in RESPONDS[kind] else "forbidden"

    return _status


def _events(suggestion: Suggestion) -> int:
    return SuggestionEvent.objects.filter(suggestion=suggestion).count()


def test_the_oracle_names_only_known_personas():
    for kind in SEES:
        assert SEES[kind] <= set(PERSONAS) and RESPONDS[kind] <= SEES[kind]


@pytest.mark.parametrize("kind", ["office", "team"])
@pytest.mark.parametrize("surface", ["api", "page"])
def test_responding(world, kind, surface):
    if surface == "api":
        path = lambda s: f"/suggestions/{s.pk}/actions/respond"  # noqa: E731
        ok = {200}
    else:
        path = lambda s: f"/suggestions/{s.pk}/respond/"  # noqa: E731
        ok = {302}
    check_matrix(
        world,
        make(kind),
        Endpoint("post", path, {"state": "declined", "response": "暂不具备条件"}, surface),
        status(kind, "respond"),
        ok=ok,
        unchanged=_events,
    )


@pytest.mark.parametrize("kind", ["office", "team"])
@pytest.mark.parametrize("surface", ["api", "page"])
def test_reading(world, kind, surface):
    tail = "/" if surface == "page" else ""
    check_matrix(
        world,
        make(kind),
        Endpoint("get", lambda s: f"/suggestions/{s.pk}{tail}", surface=surface),
        status(kind, "view"),
        ok={200},
        fresh=False,
    )


def test_lists_follow_the_oracle(world):
    made = {kind: make(kind)(world).pk for kind in SEES}
    check_each(
        world,
        lambda client: listed_ids(client, "/suggestions?page_size=200"),
        lambda persona: {made[kind] for kind in SEES if persona in SEES[kind]},
    )
