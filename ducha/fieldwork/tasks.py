"""Background work of field work, for Celery's discovery (written in notifying.py)."""

from ducha.fieldwork.notifying import NOTIFY_TASK, notify_task_planned_task

__all__ = ["NOTIFY_TASK", "notify_task_planned_task"]
