"""Single problems come only through here: 404 for missing and out-of-scope alike."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from ducha.problems.choices import ACTION_ROLES, ALLOWED_FROM
from ducha.problems.models import Problem


def access_problem(user: Any, problem_id: Any, action: str = "view") -> Problem:
    try:
        pk = int(problem_id)
    except (TypeError, ValueError):
        raise Http404 from None
    roles = Problem.objects.roles_on(user, pk)
    if not roles:
        raise Http404
    if not roles & ACTION_ROLES.get(action, frozenset()):
        # Visible, so its existence is no secret; the role simply may not do this.
        raise PermissionDenied(_("Your role may not take this action on this problem."))
    problem = Problem.objects.select_related(
        "region", "site", "focus_area", "team", "responsible_org", "reported_to", "found_by"
    ).get(pk=pk)
    problem.viewer_roles = roles  # type: ignore[attr-defined]
    return problem


def allowed_actions(user: Any, problem: Problem) -> list[str]:
    """Actions the user's roles permit on this problem in its current state."""
    roles = getattr(problem, "viewer_roles", None)
    if roles is None:
        roles = Problem.objects.roles_on(user, problem.pk)
    return [
        action
        for action, states in ALLOWED_FROM.items()
        if problem.state in states and roles & ACTION_ROLES[action]
    ]
