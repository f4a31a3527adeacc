"""One name per state: the dashboard, the list, a row and the timeline say the same words,
in every language, and they are the states' own labels."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from ducha.problems import actions
from ducha.problems.choices import State
from tests.pages.helpers import text

pytestmark = pytest.mark.django_db


def _option(html: str, name: str, value: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select {name}"
    found = re.search(rf'<option value="{value}"[^>]*>([^<]*)<', match.group(1))
    assert found, value
    return found.group(1).strip()


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_a_disputed_problem_has_one_name_everywhere(world, login, language):
    disputed = actions.do_dispute(
        world.assigned(), acting_user=world.users["county_handler"], reason="不属于本单位职责"
    )
    world.problem()
    client = login(world, "county_office")
    headers = {"accept-language": language}
    with translation.override(language):
        names = {state: str(State(state).label) for state in State.values}

    dashboard = text(client.get(f"/reports/regions/{world.orgs['county'].pk}/", headers=headers))
    figure = re.search(r'data-figure="disputed".*?figure-label">([^<]*)<', dashboard, re.S)
    assert figure and figure.group(1).strip() == names["disputed"]
    states = re.search(r'data-testid="states">(.*?)</p>', dashboard, re.S)
    assert states
    for state in ("new", "assigned", "disputed", "rectified"):
        shown = re.search(rf'data-state="{state}">([^<]*)<', states.group(1))
        assert shown and shown.group(1).strip().startswith(names[state]), state

    listing = text(client.get("/problems/", headers=headers))
    assert _option(listing, "state", "disputed") == names["disputed"]
    badge = re.search(r'data-state="disputed">([^<]*)<', listing)
    assert badge and badge.group(1).strip() == names["disputed"]

    detail = text(client.get(f"/problems/{disputed.pk}/", headers=headers))
    assert f"→ {names['disputed']}" in detail
