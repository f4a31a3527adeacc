"""Background work of the rollup tables (Celery): moving the hour horizon on, hourly."""

from __future__ import annotations

from celery import shared_task

from ducha.problems.rollups.rebuild import advance_horizon

ADVANCE_HOUR_HORIZON = "rollups.advance_hour_horizon"


@shared_task(name=ADVANCE_HOUR_HORIZON, ignore_result=True)
def advance_hour_horizon_task() -> int:
    """Count in the hours of the coming day once it is within the horizon. Hourly, so that
    a missed run is made good within the hour; runs that find it done change nothing."""
    return advance_horizon()
