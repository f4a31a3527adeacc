"""Background work of the problem loop (Celery). The beat schedule in `ducha/celery.py` runs
`chase_problems` every DUCHA_LADDER_EVERY_MINUTES minutes."""

from __future__ import annotations

from celery import shared_task

from ducha.problems.ladder import chase

CHASE_PROBLEMS = "problems.chase_problems"


@shared_task(name=CHASE_PROBLEMS, ignore_result=True)
def chase_problems_task() -> dict[str, int]:
    """One pass of the escalation ladder. Safe to run twice or at once on two workers: each
    step is taken once per problem and deadline (`ChaseStep`)."""
    return chase()
