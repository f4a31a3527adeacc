"""Figures of suggestions for a jurisdiction and a period: how many, by sender, by receiver
and by state, and the adoption rate (采纳率). The dashboards call these functions.

Every figure counts only what the user may see (`Suggestion.objects.visible_to`). A
jurisdiction is a region: a suggestion counts in it when its receiver lies in it (the
suggestion's level columns are its receiver's region's). A period is `since` ≤ made_at <
`until`, either end open.

The adoption rate is given two ways, and each says what it is over:
- `rate_of_answered`: adopted + partly adopted, over the suggestions answered (the usual
  采纳率: what is still waiting is not held against the receiver);
- `rate_of_all`: the same, over every suggestion made (what waiting costs shows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.orgs.models import Org, Team
from ducha.suggestions.choices import SuggestionState
from ducha.suggestions.models import Suggestion


@dataclass(frozen=True)
class Tally:
    """The counts of one group of suggestions (all, one sender, one receiver)."""

    made: int = 0
    adopted: int = 0
    partly_adopted: int = 0
    declined: int = 0

    @property
    def waiting(self) -> int:
        return self.made - self.answered

    @property
    def answered(self) -> int:
        return self.adopted + self.partly_adopted + self.declined

    @property
    def taken_up(self) -> int:
        return self.adopted + self.partly_adopted

    @property
    def rate_of_answered(self) -> Decimal | None:
        """Taken up over answered, in per cent to two places; None when none is answered."""
        return percent(self.taken_up, self.answered)

    @property
    def rate_of_all(self) -> Decimal | None:
        """Taken up over all made, in per cent to two places; None when none was made."""
        return percent(self.taken_up, self.made)

    def as_dict(self) -> dict[str, Any]:
        return {
            "made": self.made,
            "waiting": self.waiting,
            "adopted": self.adopted,
            "partly_adopted": self.partly_adopted,
            "declined": self.declined,
            "rate_of_answered": self.rate_of_answered,
            "rate_of_all": self.rate_of_all,
        }


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.01"), ROUND_HALF_UP)


def suggestions(
    user: Any,
    region: Org | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Suggestion]:
    """The suggestions the figures count: the user's, in the region and the period."""
    rows = Suggestion.objects.visible_to(user)
    if region is not None:
        if region.level is None:
            return rows.none()
        rows = rows.filter(**{LEVEL_FIELDS[RegionLevel(region.level)]: region})
    if since is not None:
        rows = rows.filter(made_at__gte=since)
    if until is not None:
        rows = rows.filter(made_at__lt=until)
    return rows


_COUNTS = {
    "made": Count("pk"),
    "adopted": Count("pk", filter=Q(state=SuggestionState.ADOPTED)),
    "partly_adopted": Count("pk", filter=Q(state=SuggestionState.PARTLY_ADOPTED)),
    "declined": Count("pk", filter=Q(state=SuggestionState.DECLINED)),
}


def tally(rows: QuerySet[Suggestion]) -> Tally:
    """The counts of these suggestions, in one query."""
    return Tally(**rows.aggregate(**_COUNTS))


def by_receiver(rows: QuerySet[Suggestion]) -> list[tuple[Org, Tally]]:
    """The counts per receiver, most suggestions first."""
    return _grouped(rows, "receiver")


def by_sender(rows: QuerySet[Suggestion]) -> list[tuple[Org, Tally]]:
    """The counts per sending office (a team's: the office that dispatched it)."""
    return _grouped(rows, "sender")


def by_team(rows: QuerySet[Suggestion]) -> list[tuple[Team, Tally]]:
    """The counts per sending team (suggestions an office made in its own name left out)."""
    return _grouped(rows.filter(team__isnull=False), "team", Team)


def _grouped(rows: QuerySet[Suggestion], field: str, model: Any = Org) -> list[tuple[Any, Tally]]:
    counted = list(rows.order_by().values(field).annotate(**_COUNTS))
    found = model.objects.in_bulk([row[field] for row in counted])
    pairs = [(found[row[field]], Tally(**{key: row[key] for key in _COUNTS})) for row in counted]
    return sorted(pairs, key=lambda pair: (-pair[1].made, str(pair[0])))
