"""Background work of the daily cycle (Celery). The beat schedule in `ducha/celery.py` runs
`draft_day` every day at DUCHA_DAILY_DRAFT_HOUR:DUCHA_DAILY_DRAFT_MINUTE local time."""

from __future__ import annotations

from datetime import date
from typing import Any

from celery import shared_task
from django.conf import settings

from ducha.daily.actions import draft_day
from ducha.daily.reminders import remind_reports_due

DRAFT_DAY = "daily.draft_day"


@shared_task(name=DRAFT_DAY)
def draft_day_task(day: str | None = None) -> dict[str, Any]:
    """Draft the day's reports (every team with activity) and summaries (every office with
    teams). Idempotent: what a person edited, submitted or finalised is left alone."""
    drafted = draft_day(date.fromisoformat(day) if day else None)
    return {
        "day": drafted.day.isoformat(),
        "reports": len(drafted.reports),
        "summaries": len(drafted.summaries),
        "written": drafted.written,
    }


REMIND_REPORTS_DUE = "daily.remind_reports_due"


@shared_task(name=REMIND_REPORTS_DUE)
def remind_reports_due_task(day: str | None = None) -> int:
    """Remind the teams whose report for the day is not submitted (the scheduler runs it at
    DUCHA_DAILY_REPORT_DUE_HOUR)."""
    if not settings.DUCHA_NOTIFICATIONS:
        return 0
    return remind_reports_due(date.fromisoformat(day) if day else None)
