"""Request bodies for the field-work API, built from the world's personas."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ducha.fieldwork.models import Answer, FieldEvent, Inspection, Revisit, Task
from ducha.problems.models import Problem, ProblemEvent
from tests.fieldwork.domain.factory import screening, tomorrow
from tests.world import World


def task_body(world: World, *, team: str = "county_team", site: str = "checkpoint", **extra):
    body: dict[str, Any] = {
        "team": world.teams[team].pk,
        "day": (extra.pop("day", None) or tomorrow()).isoformat(),
        "method": "open",
        "focus_areas": [screening().pk],
        "sites": [world.sites[site].pk],
    }
    body.update(extra)
    return body


def inspection_body(answers: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_key": str(uuid.uuid4()),
        "visited_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "answers": answers,
    }
    body.update(extra)
    return body


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Task, Inspection, Answer, Problem, ProblemEvent, FieldEvent, Revisit)
    )


def iso(day: date) -> str:
    return day.isoformat()
