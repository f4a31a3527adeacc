"""How the pages show a document's numbers: labelled, grouped, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ducha.accountability.figures import Results, results_sentence
from ducha.daily.models import DailyReport
from ducha.problems.querysets import rate
from ducha.problems.sentences import stats_sentence
from ducha.resumption.figures import stored_sentences

# (group label, figure names); the first group is what a phone shows first.
GROUPS = [
    (
        _("Visits"),
        (
            "inspections",
            "sites_visited",
            "open_visits",
            "unannounced_visits",
            "revisit_visits",
            "stationed_visits",
        ),
    ),
    (
        _("Problems of the day"),
        ("problems_found", "urgent_problems", "common_problems", "fixed_on_spot", "turned_red"),
    ),
    (
        _("Checklists and revisits"),
        ("questions_checked", "questions_failed", "revisits_done", "revisits_failed"),
    ),
]


def _label(name: str) -> Any:
    return getattr(DailyReport._meta.get_field(name), "verbose_name", name)


def figure_rows(doc: Any) -> list[dict[str, Any]]:
    """[{"label": group, "figures": [(name, label, value), …]}, …]."""
    return [
        {
            "label": label,
            "figures": [(name, _label(name), getattr(doc, name)) for name in names],
        }
        for label, names in GROUPS
    ]


def region_rows(summary: Any) -> list[tuple[str, Any, int]]:
    names = ("found_in_region", "closed_in_region", "overdue_in_region")
    return [
        (
            name,
            getattr(type(summary)._meta.get_field(name), "verbose_name", name),
            getattr(summary, name),
        )
        for name in names
    ]


def summary_sentence(summary: Any) -> str:
    return stats_sentence(
        as_of=summary.day, found=summary.cumulative_found, rectified=summary.cumulative_rectified
    )


def summary_rate(summary: Any) -> str:
    return rate(summary.cumulative_rectified, summary.cumulative_found)


def results_line(summary: Any) -> str:
    """The day's accountability and commendations in words; "" for a summary drafted before
    they were counted."""
    found = (summary.details or {}).get("results")
    return "" if found is None else results_sentence(Results.from_data(found))


def resumption_lines(summary: Any) -> list[str]:
    """复工复产 as of the day, in words; [] for a jurisdiction without enterprises (or a
    summary drafted before they were counted)."""
    found = (summary.details or {}).get("resumption")
    return [] if not found else stored_sentences(found, where=found["where"])
