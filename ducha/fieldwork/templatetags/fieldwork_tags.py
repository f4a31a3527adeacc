"""Presentation helpers of the field-work pages: the navigation a role needs, badges, fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import OFFICE_ROLES, SUPERVISOR_ROLES, Role
from ducha.core.scope import roles_of
from ducha.fieldwork.choices import AnswerResult, RevisitState, TaskState
from ducha.fieldwork.models import Evidence, Inspection
from ducha.problems.choices import PhotoStage

register = template.Library()

# (url name, label, roles that use the page); the order is the order of the tabs.
FIELD_NAV = [
    # Units see the visits coming to their region, to join one instead of making their own.
    ("fieldwork:my_tasks", _("Tasks"), SUPERVISOR_ROLES | {Role.UNIT_HANDLER}),
    ("fieldwork:meetings", _("Meetings"), OFFICE_ROLES),
    ("fieldwork:revisits", _("Revisits"), SUPERVISOR_ROLES),
    ("fieldwork:checklists", _("Checklists"), OFFICE_ROLES),
    ("fieldwork:burden", _("Site visits"), OFFICE_ROLES | {Role.LEADER}),
]

TASK_CLASSES = {
    TaskState.PLANNED: "text-bg-primary",
    TaskState.DONE: "text-bg-success",
    TaskState.CANCELLED: "text-bg-secondary",
}
ANSWER_CLASSES = {
    AnswerResult.PASS: "text-bg-success",
    AnswerResult.FAIL: "text-bg-danger",
    AnswerResult.NOT_APPLICABLE: "text-bg-secondary",
}
REVISIT_CLASSES = {
    RevisitState.DUE: "text-bg-primary",
    RevisitState.PASSED: "text-bg-success",
    RevisitState.FAILED: "text-bg-danger",
    RevisitState.CANCELLED: "text-bg-secondary",
}


@register.simple_tag
def field_nav(user: Any) -> list[tuple[str, Any]]:
    """The field-work tabs the user's roles use."""
    roles = roles_of(user)
    return [(name, label) for name, label, wanted in FIELD_NAV if roles & wanted]


def _badge(classes: Mapping[Any, str], value: str, label: Any, attribute: str) -> str:
    return format_html(
        '<span class="badge {}" data-{}="{}">{}</span>',
        classes.get(value, "text-bg-light"),
        attribute,
        value,
        label,
    )


@register.simple_tag
def task_badge(task: Any) -> str:
    return _badge(TASK_CLASSES, task.state, task.get_state_display(), "task-state")


@register.simple_tag
def answer_badge(answer: Any) -> str:
    return _badge(ANSWER_CLASSES, answer.result, answer.get_result_display(), "result")


@register.simple_tag
def revisit_badge(revisit: Any) -> str:
    return _badge(REVISIT_CLASSES, revisit.state, revisit.get_state_display(), "revisit-state")


def list_separator_text() -> str:
    # Chinese lists take 、; other languages their own separator.
    return pgettext("list separator", ", ")


@register.simple_tag
def list_separator() -> str:
    return list_separator_text()


@register.filter
def names(objects: Any) -> str:
    """Names of related objects as one list: 卡口、药店."""
    return list_separator_text().join(getattr(obj, "name", None) or str(obj) for obj in objects)


@register.simple_tag
def parenthesised(text: Any) -> str:
    return gettext("(%(text)s)") % {"text": text}


@register.filter
def is_choice_list(field: Any) -> bool:
    """Radio buttons and checkbox lists are drawn as one tap target per choice."""
    widget = field.field.widget
    return getattr(widget, "input_type", "") in ("radio", "checkbox") and hasattr(widget, "choices")


@register.inclusion_tag("fieldwork/_problem_field_work.html", takes_context=True)
def problem_field_work(context: Any, problem: Any) -> dict[str, Any]:
    """For a problem's page: the visit that found it and the photos the viewer may see."""
    user = context["request"].user
    inspection = None
    if problem.inspection_id:
        inspection = (
            Inspection.objects.visible_to(user)
            .filter(pk=problem.inspection_id)
            .select_related("team")
            .first()
        )
    # A rectification report's photos are shown in its timeline entry, labelled.
    photos = list(
        Evidence.objects.visible_to(user).filter(problem=problem, problem_event__isnull=True)
    )
    return {"inspection": inspection, "photos": photos}


@register.inclusion_tag("fieldwork/_event_photos.html", takes_context=True)
def event_photos(context: Any, event: Any) -> dict[str, Any]:
    """A rectification report's photos, before the fix first, for its timeline entry."""
    user = context["request"].user
    photos = Evidence.objects.visible_to(user).filter(problem_event=event)
    before = [one for one in photos if one.stage == PhotoStage.BEFORE]
    after = [one for one in photos if one.stage == PhotoStage.AFTER]
    other = [one for one in photos if one.stage not in (PhotoStage.BEFORE, PhotoStage.AFTER)]
    groups = [
        (PhotoStage.BEFORE.value, PhotoStage.BEFORE.label, before),
        (PhotoStage.AFTER.value, PhotoStage.AFTER.label, after),
        ("", _("Photos"), other),
    ]
    return {"groups": [group for group in groups if group[2]]}
