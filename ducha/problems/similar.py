"""同类问题: problems like a given one, and a site's and a unit's history, always inside what
the reader may see (`visible_to`), so a problem out of scope never shows, not even as a count.
"""

from __future__ import annotations

from typing import Any

from ducha.core.fulltext import ranked
from ducha.core.search import similar_query
from ducha.problems.models import Problem

MAX_SIMILAR = 20
ROW_RELATED = ("region", "site", "responsible_org", "focus_area")


def similar_problems(user: Any, problem: Problem, limit: int = MAX_SIMILAR) -> list[Problem]:
    """Problems of the same focus area whose text is like this one's, open and closed, the
    most alike first; the problem itself is left out."""
    query = similar_query(problem.title, problem.description)
    if query is None:
        return []
    rows = (
        Problem.objects.visible_to(user)
        .filter(focus_area_id=problem.focus_area_id)
        .exclude(pk=problem.pk)
    )
    return list(ranked(rows, query, any_word=True).select_related(*ROW_RELATED)[:limit])


def site_history(user: Any, site_id: int) -> Any:
    """The problems found at a site, newest first."""
    return (
        Problem.objects.visible_to(user)
        .filter(site_id=site_id)
        .select_related(*ROW_RELATED)
        .order_by("-found_at", "-pk")
    )


def unit_history(user: Any, unit_id: int) -> Any:
    """The problems a unit has been responsible for, newest first."""
    return (
        Problem.objects.visible_to(user)
        .filter(responsible_org_id=unit_id)
        .select_related(*ROW_RELATED)
        .order_by("-found_at", "-pk")
    )
