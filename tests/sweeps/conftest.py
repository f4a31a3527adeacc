from __future__ import annotations

from typing import Any

import pytest

from ducha.problems.models import Problem
from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401
from tests.world import World


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Prompt letters are issued with their files.
    settings.MEDIA_ROOT = tmp_path / "media"


def origin(world: World, **kwargs: Any) -> Problem:
    """A problem of the county assigned to 卫健局: the case a sweep starts from."""
    kwargs.setdefault("title", "药店门口排队人员聚集未保持间距")
    kwargs.setdefault("description", "药店购药群众排队拥挤，未落实一米线")
    return world.assigned(**kwargs)


def launch_body(world: World, problem: Problem, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "problem": problem.pk,
        "check_text": "检查药店排队秩序与一米线落实情况",
        "units": [world.orgs["county_dept"].pk, world.orgs["county_market_dept"].pk],
    }
    body.update(extra)
    return body
