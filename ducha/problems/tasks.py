"""Background work of the problem loop (Celery): the escalation ladder, which the beat schedule
in `ducha/celery.py` runs every DUCHA_LADDER_EVERY_MINUTES minutes, and, for Celery's
discovery, the notifications of the loop's events (written in notifying.py, beside the code
that says who is told what)."""

from __future__ import annotations

from celery import shared_task

from ducha.problems.ladder import chase
from ducha.problems.notifying import (
    NOTIFY_EVENT,
    NOTIFY_EVENTS,
    SWEEP_NOTIFICATIONS,
    notify_event_task,
    notify_events_task,
    sweep_notifications_task,
)

CHASE_PROBLEMS = "problems.chase_problems"


@shared_task(name=CHASE_PROBLEMS, ignore_result=True)
def chase_problems_task() -> dict[str, int]:
    """One pass of the escalation ladder. Safe to run twice or at once on two workers: each
    step is taken once per problem and deadline (`ChaseStep`)."""
    return chase()


__all__ = [
    "CHASE_PROBLEMS",
    "NOTIFY_EVENT",
    "NOTIFY_EVENTS",
    "SWEEP_NOTIFICATIONS",
    "chase_problems_task",
    "notify_event_task",
    "notify_events_task",
    "sweep_notifications_task",
]
