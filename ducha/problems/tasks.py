"""Background work of the problem loop, for Celery's discovery: the notifications of its
events (written in notifying.py, beside the code that says who is told what)."""

from ducha.problems.notifying import (
    NOTIFY_EVENT,
    SWEEP_NOTIFICATIONS,
    notify_event_task,
    sweep_notifications_task,
)

__all__ = ["NOTIFY_EVENT", "SWEEP_NOTIFICATIONS", "notify_event_task", "sweep_notifications_task"]
