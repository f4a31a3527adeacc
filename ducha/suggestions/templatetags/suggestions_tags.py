"""The suggestions a problem's lasting rule cites, shown on the problem's page (problems
never import suggestions: the problem's template loads this library), and the tab."""

from __future__ import annotations

from typing import Any

from django import template

from ducha.core.scope import roles_of
from ducha.suggestions import choosers
from ducha.suggestions.choices import ACTION_ROLES
from ducha.suggestions.models import Suggestion

register = template.Library()

# The newest first; the problem page offers a short list to cite from.
CITE_CHOICES = 30


@register.filter
def may_see_suggestions(user: Any) -> bool:
    return bool(roles_of(user) & ACTION_ROLES["view"])


@register.inclusion_tag("suggestions/_problem_rules.html", takes_context=True)
def problem_suggestions(context: Any, problem: Any) -> dict[str, Any]:
    """The suggestions cited by the problem's lasting rule that the user sees, and the
    adopted suggestions the user may cite when they may record that rule."""
    user = context["request"].user
    cited = Suggestion.objects.visible_to(user).filter(rules__problem=problem)
    may_cite = choosers.RULE_PROBLEM.choices(user).filter(pk=problem.pk).exists()
    offered = (
        choosers.citable(user).exclude(pk__in=cited.values("pk"))[:CITE_CHOICES] if may_cite else []
    )
    return {
        "problem": problem,
        "cited": cited.select_related("receiver", "team", "sender"),
        "offered": offered,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
