"""Field-work fixtures built only through the domain actions, for every field-work test."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ducha.fieldwork import actions
from ducha.fieldwork.models import ChecklistItem, Inspection, Task
from ducha.problems.models import FocusArea
from tests.world import World


def screening() -> FocusArea:
    return FocusArea.objects.get(code="screening")


def tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def item(world: World, text: str = "卡口是否逐车登记", office: str | None = "county_office"):
    return actions.do_add_checklist_item(
        acting_user=world.users[office or "county_office"],
        focus_area=screening(),
        office=world.orgs[office] if office else None,
        text=text,
    )


def plan(
    world: World,
    *,
    by: str = "county_office",
    office: str | None = None,
    team: str = "county_team",
    site: str = "checkpoint",
    day: date | None = None,
    method: str = "open",
    **kwargs: Any,
) -> Task:
    return actions.do_plan_task(
        acting_user=world.users[by],
        office=world.orgs[office or by],
        team=world.teams[team],
        day=day or tomorrow(),
        method=method,
        focus_areas=[screening()],
        sites=[world.sites[site]],
        **kwargs,
    )


def inspect(
    world: World,
    answers: list[actions.AnswerInput],
    *,
    by: str = "county_team_member",
    team: str = "county_team",
    site: str = "checkpoint",
    task: Task | None = None,
    **kwargs: Any,
) -> Inspection:
    kwargs.setdefault("visited_at", timezone.now() - timedelta(hours=1))
    kwargs.setdefault("method", "open")
    return actions.do_record_inspection(
        acting_user=world.users[by],
        team=world.teams[team],
        sites=[world.sites[site]],
        answers=answers,
        task=task,
        **kwargs,
    )


def fail(question: ChecklistItem, note: str = "有车辆未登记即放行", **kwargs: Any):
    return actions.AnswerInput(item=question, result="fail", note=note, **kwargs)


def passed(question: ChecklistItem):
    return actions.AnswerInput(item=question, result="pass")
