"""Single problems come only through here: 404 for missing and out-of-scope alike."""

from __future__ import annotations

from typing import Any

from ducha.core.scoping import VIEW, access
from ducha.problems.choices import ACTION_ROLES, ALLOWED_FROM
from ducha.problems.models import Problem


def access_problem(user: Any, problem_id: Any, action: str = VIEW) -> Problem:
    """The problem, for callers that need no roles (`access(Problem, …)` gives them too)."""
    return access(Problem, user, problem_id, action).obj


def allowed_actions(user: Any, problem: Problem, roles: frozenset[str] | None = None) -> list[str]:
    """Actions the user's roles permit on this problem in its current state.

    `roles` are the caller's roles on it when they are already known (`Access.roles`)."""
    if roles is None:
        roles = Problem.objects.roles_on(user, problem.pk)
    return [
        action
        for action, states in ALLOWED_FROM.items()
        if problem.state in states and roles & ACTION_ROLES[action]
    ]
