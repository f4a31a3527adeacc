"""The rows behind a document's numbers, as the reader may see them.

A report or summary keeps the ids of the visits and problems it counted; a reader gets those
that their own jurisdiction shows (a city office reading a province team's report does not
see the problems that team found in another city).
"""

from __future__ import annotations

from typing import Any

from ducha.daily.models import DailyReport, DailySummary
from ducha.fieldwork.models import Inspection
from ducha.problems.models import Problem


def _problems(user: Any, ids: list[int]) -> list[Problem]:
    rows = Problem.objects.visible_to(user).filter(pk__in=ids).select_related("region", "site")
    return list(rows.order_by("found_at", "pk"))


def report_objects(user: Any, report: DailyReport) -> dict[str, list[Any]]:
    details = report.details or {}
    visits = (
        Inspection.objects.visible_to(user)
        .filter(pk__in=details.get("inspections", []))
        .prefetch_related("sites")
        .order_by("visited_at", "pk")
    )
    return {
        "inspections": list(visits),
        "problems": _problems(user, details.get("problems", [])),
        "turned_red": _problems(user, details.get("turned_red", [])),
    }


def summary_objects(user: Any, summary: DailySummary) -> dict[str, list[Any]]:
    return {"notable": _problems(user, (summary.details or {}).get("notable", []))}
