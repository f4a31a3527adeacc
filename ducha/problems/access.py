"""Single problems come only through here: 404 for missing and out-of-scope alike."""

from __future__ import annotations

from typing import Any

from ducha.core.scoping import VIEW, access
from ducha.problems.choices import ACTION_ROLES, ALLOWED_FROM, Action
from ducha.problems.models import ExtensionState, Problem


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


def offered_actions(user: Any, problem: Problem, roles: frozenset[str] | None = None) -> list[str]:
    """The allowed actions that the problem's own record does not already rule out: signing
    once signed, a second extension request while one waits, a decision with none waiting.

    What pages offer and the API lists; taking one anyway is refused by the action itself."""
    allowed = allowed_actions(user, problem, roles)
    if Action.REQUEST_EXTENSION in allowed or Action.DECIDE_EXTENSION in allowed:
        waiting = problem.extensions.filter(state=ExtensionState.REQUESTED).exists()
        ruled_out = {Action.REQUEST_EXTENSION if waiting else Action.DECIDE_EXTENSION}
    else:
        ruled_out = set()
    if problem.signed_at is not None:
        ruled_out.add(Action.SIGN)
    return [action for action in allowed if action not in ruled_out]
