"""What the offline field app keeps on a phone (docs/field-app.md): the caller's tasks to
record today and tomorrow, with the checklist in force, the sites and the focus areas each
needs, and nothing else.

Everything starts from `visible_to(user, record_inspection)`: a secret visit reaches only
the phones of those who may see it before it happens (its team), like every page. The
bundle is bounded (MAX_TASKS, MAX_SITES per task) and says when it was cut.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from ducha.accounts.auth import caller
from ducha.core.schemas import READ_ERRORS, Ref, ref
from ducha.fieldwork.choices import FieldAction, Method, TaskState
from ducha.fieldwork.forms import task_sites
from ducha.fieldwork.models import ChecklistItem, Task

router = Router(tags=["field work"])

# A team has a handful of visits a day; an office recording for its teams sees more.
MAX_TASKS = 50
# A task over whole towns offers the sites within them; more than this are not carried.
MAX_SITES = 200


class BundleSite(Schema):
    id: int
    name: str
    region: str


class BundleItem(Schema):
    id: int
    focus_area: int
    text: str
    problem_title: str


class BundleTask(Schema):
    id: int
    day: date
    method: str
    method_label: str
    team: Ref
    office: Ref
    notes: str
    sites: list[int]
    named_sites: bool
    focus_areas: list[int]
    items: list[int]
    members: list[Ref]


class BundleOut(Schema):
    user: Ref
    generated_at: datetime
    days: list[date]
    tasks: list[BundleTask]
    sites: list[BundleSite]
    focus_areas: list[Ref]
    checklist: list[BundleItem]
    truncated: bool


def recordable_tasks(user: Any, days: list[date]) -> Any:
    """Planned tasks of these days the user may record, soonest first."""
    return (
        Task.objects.visible_to(user, FieldAction.RECORD_INSPECTION)
        .filter(day__in=days, state=TaskState.PLANNED)
        .select_related("team", "office")
        .prefetch_related("focus_areas", "sites")
        .order_by("day", "pk")
    )


def bundle_for(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    days = [today, today + timedelta(days=1)]
    found = list(recordable_tasks(user, days)[: MAX_TASKS + 1])
    truncated = len(found) > MAX_TASKS
    tasks = found[:MAX_TASKS]
    sites: dict[int, Any] = {}
    areas: dict[int, Any] = {}
    items: dict[int, ChecklistItem] = {}
    rows = []
    for task in tasks:
        task_areas = list(task.focus_areas.all())
        areas.update((area.pk, area) for area in task_areas)
        # The same questions as the online form asks (inspection_views.checklist_for).
        questions = list(
            ChecklistItem.objects.visible_to(user)
            .filter(active=True, focus_area__in=task_areas)
            .order_by("focus_area__position", "focus_area__pk", "position", "pk")
        )
        items.update((question.pk, question) for question in questions)
        choices = list(task_sites(user, task)[: MAX_SITES + 1])
        truncated = truncated or len(choices) > MAX_SITES
        choices = choices[:MAX_SITES]
        sites.update((site.pk, site) for site in choices)
        rows.append(
            {
                "id": task.pk,
                "day": task.day,
                "method": task.method,
                "method_label": str(Method(task.method).label),
                "team": ref(task.team),
                "office": ref(task.office),
                "notes": task.notes,
                "sites": [site.pk for site in choices],
                # Named sites are all visited; a task over regions lets the team choose.
                "named_sites": bool(task.sites.all()),
                "focus_areas": [area.pk for area in task_areas],
                "items": [question.pk for question in questions],
                "members": [ref(member) for member in task.team.members.order_by("name", "pk")],
            }
        )
    return {
        "user": {"id": user.pk, "name": str(user)},
        "generated_at": timezone.now(),
        "days": days,
        "tasks": rows,
        "sites": [
            {"id": site.pk, "name": site.name, "region": site.region.name}
            for site in sites.values()
        ],
        "focus_areas": [ref(area) for area in areas.values()],
        "checklist": [
            {
                "id": question.pk,
                "focus_area": question.focus_area_id,
                "text": question.text,
                "problem_title": question.problem_title(),
            }
            for question in items.values()
        ],
        "truncated": truncated,
    }


@router.get("/field/bundle", response={200: BundleOut, **READ_ERRORS})
def field_bundle(request: HttpRequest) -> Any:
    """The offline field app's data: the caller's tasks to record today and tomorrow, the
    checklist questions in force for each, their sites and focus areas. At most 50 tasks
    and 200 sites a task (`truncated` says when more were left out)."""
    return bundle_for(caller(request))
