"""The Celery app for background work (daily drafts, large imports and exports).

Production sends tasks through Redis (`DUCHA_CELERY_BROKER_URL=redis://…`). The embedded
default keeps its queue in files under `var/celery/`, so `make demo` needs no server of its
own: the demo starts one worker process with the scheduler beside the web server.

Run the worker and the scheduler with `celery -A ducha worker --beat --pool=solo` (one
process), or in production as two services: `celery -A ducha worker` and
`celery -A ducha beat`.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")

app = Celery("ducha")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The hash chains' tasks (decision 0017) live beside the audit app's other modules.
app.autodiscover_tasks(["ducha.audit"], related_name="chain_tasks")


def beat_schedule() -> dict[str, dict[str, object]]:
    """The daily drafts at the configured local time (CELERY_TIMEZONE is the offices'), the
    check for stopped imports, the escalation ladder, and the hash chains' daily anchor and
    nightly verification."""
    return {
        "daily-drafts": {
            "task": "daily.draft_day",
            "schedule": crontab(
                hour=settings.DUCHA_DAILY_DRAFT_HOUR, minute=settings.DUCHA_DAILY_DRAFT_MINUTE
            ),
        },
        # An import whose worker died resumes within a few minutes of its lease running out.
        "resume-stale-imports": {
            "task": "ledger.resume_stale_imports",
            "schedule": 60.0,
        },
        # Notifications whose hand-over after an action was lost are made within minutes.
        "sweep-notifications": {
            "task": "problems.sweep_notifications",
            "schedule": float(settings.DUCHA_NOTIFY_SWEEP_SECONDS),
        },
        # Teams whose report for today is still not submitted are reminded.
        "daily-report-due": {
            "task": "daily.remind_reports_due",
            "schedule": crontab(hour=settings.DUCHA_DAILY_REPORT_DUE_HOUR, minute=0),
        },
        # Deliveries beyond the app: retries and quiet hours that are over, daily digests,
        # and claims of workers that died mid-send (docs/notifications.md, "Delivery").
        "delivery-sweep": {
            "task": "notice_delivery.sweep",
            "schedule": 60.0,
        },
        # The escalation ladder: reminders and escalations as the problems' clocks run.
        "chase-problems": {
            "task": "problems.chase_problems",
            "schedule": settings.DUCHA_LADDER_EVERY_MINUTES * 60.0,
        },
        # The dashboards' hour buckets of the coming day, counted in before it comes.
        "advance-hour-horizon": {
            "task": "rollups.advance_hour_horizon",
            "schedule": crontab(minute=7),
        },
        # The hash chains: the day's anchor of every head, then a walk of every chain.
        "anchor-chains": {
            "task": "audit.anchor_chains",
            "schedule": crontab(hour=settings.DUCHA_CHAIN_ANCHOR_HOUR, minute=30),
        },
        "verify-chains": {
            "task": "audit.verify_chains",
            "schedule": crontab(hour=(settings.DUCHA_CHAIN_ANCHOR_HOUR + 4) % 24, minute=0),
        },
    }


def _prepare_file_queue() -> None:
    # The scheduler keeps its schedule there whatever the broker: without the folder it
    # stops at its first write, and nothing periodic runs.
    settings.CELERY_QUEUE_DIR.mkdir(parents=True, exist_ok=True)
    if settings.CELERY_BROKER_URL == "filesystem://":
        for folder in ("queue", "control"):
            (settings.CELERY_QUEUE_DIR / folder).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _on_configure(sender: Celery, **kwargs: object) -> None:
    _prepare_file_queue()
    sender.conf.beat_schedule = beat_schedule()
