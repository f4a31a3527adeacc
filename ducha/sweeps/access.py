"""Single sweeps and self-checks come only through here: 404 for missing and out of scope
alike, 403 for a visible one the caller may not act on."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from ducha.core.scoping import VIEW, access
from ducha.problems.choices import State
from ducha.problems.models import Problem
from ducha.sweeps.choices import CheckState
from ducha.sweeps.models import SelfCheck, Sweep, SweepProblem


def access_sweep(user: Any, sweep_id: Any) -> Sweep:
    return access(Sweep, user, sweep_id).obj


def access_self_check(user: Any, check_id: Any, action: str = VIEW) -> SelfCheck:
    return access(SelfCheck, user, check_id, action).obj


def progress(user: Any, sweep: Sweep) -> dict[str, Any]:
    """Units answered and not, problems found and fixed (closed), over the self-checks and
    problems the reader may see: a unit counts only its own."""
    checks = SelfCheck.objects.visible_to(user).filter(sweep=sweep)
    answers = checks.aggregate(
        asked=Count("pk"),
        waiting=Count("pk", filter=Q(state=CheckState.WAITING)),
        none_found=Count("pk", filter=Q(state=CheckState.NONE_FOUND)),
        found=Count("pk", filter=Q(state=CheckState.FOUND)),
    )
    linked = SweepProblem.objects.filter(sweep=sweep, self_check__in=checks.values("pk"))
    problems = Problem.objects.filter(pk__in=linked.values("problem_id"))
    found = problems.aggregate(
        problems=Count("pk"), fixed=Count("pk", filter=Q(state=State.CLOSED))
    )
    return {**answers, "answered": answers["asked"] - answers["waiting"], **found}


def group_of(problem: Problem) -> SweepProblem | None:
    return (
        SweepProblem.objects.select_related("sweep", "origin", "self_check__unit")
        .filter(problem=problem)
        .first()
    )
