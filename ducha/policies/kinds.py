"""Kinds of common problems waiting for a policy: grouped by focus area (and narrowed by
words), each with its count and oldest discovery, oldest first (docs/policies.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Min

from ducha.core.fulltext import matching_or_characters
from ducha.core.search import TextQuery, query_words
from ducha.policies.actions import waiting

# The titles read to find the words a kind's problems share.
WORDS_FROM = 500
SHARED_WORDS = 12


@dataclass(frozen=True)
class Kind:
    focus_area_id: int
    name: str
    count: int
    oldest: datetime


def waiting_problems(user: Any, query: TextQuery | None = None) -> Any:
    rows = waiting(user)
    return rows if query is None else matching_or_characters(rows, query)[0]


def waiting_kinds(user: Any, query: TextQuery | None = None) -> list[Kind]:
    """One row per focus area (few), the longest waiting first."""
    grouped = (
        waiting_problems(user, query)
        .order_by()
        .values("focus_area_id", "focus_area__name")
        .annotate(count=Count("*"), oldest=Min("found_at"))
        .order_by("oldest", "focus_area_id")
    )
    return [
        Kind(row["focus_area_id"], row["focus_area__name"], row["count"], row["oldest"])
        for row in grouped
    ]


def shared_words(titles: list[str]) -> list[tuple[str, int]]:
    """The words at least two of the titles hold, the most shared first: the finer kinds a
    focus area splits into (消毒, 登记 …), each a link that narrows the list to it."""
    counts: Counter[str] = Counter()
    for title in titles[:WORDS_FROM]:
        counts.update(set(query_words(title)))
    return [(word, n) for word, n in counts.most_common(SHARED_WORDS) if n > 1]
