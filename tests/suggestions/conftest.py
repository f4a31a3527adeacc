from __future__ import annotations

from typing import Any

import pytest

from ducha.problems import actions as loop
from ducha.problems.models import Problem
from ducha.suggestions import actions
from ducha.suggestions.models import Suggestion
from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401
from tests.world import World


def suggest(world: World, by: str = "county_office", to: str = "county_dept", **kwargs: Any):
    """A suggestion from a persona's office (or, for a team member, their team)."""
    if by.endswith("_team_member"):
        kwargs.setdefault("team", world.teams[by.removesuffix("_member")])
    else:
        kwargs.setdefault("office", world.orgs[by])
    kwargs.setdefault("title", "建议建立卡口值守轮换制度")
    kwargs.setdefault("text", "卡口值守人员连续在岗时间过长，建议按班次轮换并公示排班表。")
    return actions.do_suggest(acting_user=world.users[by], receiver=world.orgs[to], **kwargs)


def common_problem_with_rule(world: World) -> Problem:
    """A common problem of the county whose lasting rule the county office recorded."""
    problem = world.assigned(nature="common")
    return loop.do_institutionalize(
        problem, acting_user=world.users["county_office"], rule="卡口值守实行四班轮换，每周公示。"
    )


@pytest.fixture
def suggestion(world: World) -> Suggestion:
    return suggest(world)
