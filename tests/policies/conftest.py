"""Common problems of one kind in the city, and a policy adopted for some of them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ducha.policies import actions
from ducha.policies.models import Policy
from ducha.problems.models import FocusArea, Problem
from tests.api.conftest import api_as  # noqa: F401
from tests.world import World


def common(world: World, title: str, *, hours: int = 2, **kwargs: Any) -> Problem:
    kwargs.setdefault("nature", "common")
    kwargs.setdefault("found_at", timezone.now() - timedelta(hours=hours))
    return world.problem(title=title, **kwargs)


def kind_of_three(world: World) -> list[Problem]:
    """Three common problems at checkpoints of the county and its sibling, oldest first."""
    return [
        common(world, "卡口未登记过往车辆", hours=50),
        common(world, "卡口测温登记缺失", hours=30, by="town_office", region="town"),
        common(world, "卡口车辆登记不全", hours=10, by="sibling_office", region="sibling"),
    ]


def adopt_body(world: World, problems: list[Problem], **extra: Any) -> dict[str, Any]:
    return {
        "title": "关于规范卡口车辆登记的通知",
        "text": "各卡口实行进出车辆逐车登记，每日汇总报指挥部。",
        "issuing_body": world.orgs["city_command"].pk,
        "issued_on": timezone.localdate().isoformat(),
        "reference": "承防指〔2020〕12号",
        "problems": [problem.pk for problem in problems],
        **extra,
    }


def adopted(world: World, problems: list[Problem]) -> Policy:
    return actions.do_adopt_policy(
        acting_user=world.users["city_command"],
        title="关于规范卡口车辆登记的通知",
        text="各卡口实行进出车辆逐车登记。",
        issuing_body=world.orgs["city_command"],
        issued_on=timezone.localdate(),
        reference="承防指〔2020〕12号",
        problem_ids=[problem.pk for problem in problems],
    )


def other_kind(world: World) -> FocusArea:
    return FocusArea.objects.exclude(code="screening").first()  # type: ignore[return-value]


@pytest.fixture
def media(settings, tmp_path):
    """Documents go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
