"""Telling a team of the task planned for it (责任清单), through the worker.

`do_plan_task` registers `after_task_planned` on commit; the worker tells each member of the
team who may see the task (a secret visit is seen by its own team, so they are told; nobody
else is). Made twice, the notifications are stored once (`task-planned:<id>`).
"""

from __future__ import annotations

import logging
from functools import partial

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ducha.fieldwork.choices import Method
from ducha.fieldwork.models import Task
from ducha.notices.actions import do_notify
from ducha.notices.choices import NotificationKind
from ducha.notices.publisher import hand_over

log = logging.getLogger(__name__)

NOTIFY_TASK = "fieldwork.notify_task_planned"


def after_task_planned(task_id: int) -> None:
    """Hand a committed task to the worker (off the request's path); a broker that refuses
    is logged, not raised."""
    if not settings.DUCHA_NOTIFICATIONS:
        return
    hand_over(partial(notify_task_planned_task.delay, task_id))


def notify_task_planned(task_id: int) -> int:
    task = Task.objects.select_related("team", "office", "created_by").filter(pk=task_id).first()
    if task is None:
        return 0
    members = [
        user
        for user in task.team.members.filter(is_active=True)
        if Task.objects.visible_to(user).filter(pk=task.pk).exists()
    ]
    params = {
        "actor": str(task.created_by),
        "team": task.team.name,
        "day": task.day.isoformat(),
        "office": task.office.name,
    }
    return len(
        do_notify(
            recipients=members,
            kind=NotificationKind.TASK_ASSIGNED,
            title=lambda: _("Task for %(team)s on %(day)s") % params,
            body=lambda: (
                _("%(actor)s of %(office)s planned a visit for %(team)s on %(day)s (%(method)s).")
                % {**params, "method": Method(task.method).label}
            ),
            next_step=lambda: _("Read the task's sites and focus areas, and prepare the visit."),
            url=reverse("fieldwork:task", args=[task.pk]),
            actor=task.created_by,
            subject_type="task",
            subject_id=task.pk,
            source_key=f"task-planned:{task.pk}",
        )
    )


@shared_task(name=NOTIFY_TASK)
def notify_task_planned_task(task_id: int) -> int:
    return notify_task_planned(task_id)
