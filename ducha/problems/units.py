"""Per responsible unit: how fast it signs for what it receives (签收) and the extensions it
was granted (延期), over the problems the reader may see that were found in a recent window.

Counts and sums are made by the database; the median needs the times themselves, which are
read as two timestamps per signed problem of the window: the window (at most 90 days, along
the found-at indexes of every region level) keeps that bounded for a province as for a county.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from ducha.orgs.models import Org
from ducha.problems.choices import State
from ducha.problems.models import Extension, ExtensionState, Problem

HOUR = timedelta(hours=1)
# The windows the page offers, in days of discovery; the last is the default.
UNIT_WINDOWS = (7, 30, 90)


def unit_window(value: Any) -> int:
    """The window asked for, or the default for anything else."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        return UNIT_WINDOWS[-1]
    return days if days in UNIT_WINDOWS else UNIT_WINDOWS[-1]


def found_within(problems: Any, days: int) -> Any:
    return problems.filter(found_at__gte=timezone.now() - timedelta(days=days))


@dataclass
class UnitFigures:
    unit: Org
    assigned: int = 0
    unsigned: int = 0
    waiting_since: datetime | None = None
    signed_hours: list[float] = field(default_factory=list)
    requested: int = 0
    granted: int = 0
    refused: int = 0
    pending: int = 0
    days_granted: Decimal = Decimal(0)

    @property
    def signed(self) -> int:
        return len(self.signed_hours)

    @property
    def median_hours(self) -> float | None:
        return round(median(self.signed_hours), 1) if self.signed_hours else None

    @property
    def average_hours(self) -> float | None:
        if not self.signed_hours:
            return None
        return round(sum(self.signed_hours) / len(self.signed_hours), 1)

    @property
    def longest_wait(self) -> timedelta | None:
        return None if self.waiting_since is None else timezone.now() - self.waiting_since


def unit_figures(problems: Any) -> list[UnitFigures]:
    """One row per unit that holds or held a problem of `problems` (already scoped), the
    units with the most problems waiting to be signed for first."""
    with_unit = problems.filter(responsible_org__isnull=False).order_by()
    rows: dict[int, dict[str, Any]] = {
        row["responsible_org"]: row
        for row in with_unit.values("responsible_org").annotate(
            assigned=Count("*"),
            unsigned=Count("pk", filter=Q(state=State.ASSIGNED, signed_at__isnull=True)),
            waiting_since=Min(
                "assigned_at", filter=Q(state=State.ASSIGNED, signed_at__isnull=True)
            ),
        )
    }
    units = Org.objects.in_bulk(list(rows))
    figures = {pk: UnitFigures(units[pk], **_counts(row)) for pk, row in rows.items()}
    signed = with_unit.filter(signed_at__isnull=False, assigned_at__isnull=False)
    for unit_id, assigned_at, signed_at in signed.values_list(
        "responsible_org", "assigned_at", "signed_at"
    ).iterator(chunk_size=5000):
        figures[unit_id].signed_hours.append(max(signed_at - assigned_at, timedelta(0)) / HOUR)
    extensions = (
        Extension.objects.filter(problem__in=with_unit.values("pk"))
        .order_by()
        .values("problem__responsible_org")
        .annotate(
            requested=Count("*"),
            granted=Count("pk", filter=Q(state=ExtensionState.APPROVED)),
            refused=Count("pk", filter=Q(state=ExtensionState.REFUSED)),
            pending=Count("pk", filter=Q(state=ExtensionState.REQUESTED)),
            days=Sum("days_granted"),
        )
    )
    for row in extensions:
        unit = figures[row["problem__responsible_org"]]
        unit.requested, unit.granted = row["requested"], row["granted"]
        unit.refused, unit.pending = row["refused"], row["pending"]
        unit.days_granted = row["days"] or Decimal(0)
    return sorted(figures.values(), key=lambda f: (-f.unsigned, -f.assigned, f.unit.name))


def _counts(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in ("assigned", "unsigned", "waiting_since")}


def longest_unsigned(problems: Any, limit: int) -> list[Problem]:
    """The problems waiting longest to be signed for, with what their rows show."""
    waiting = problems.filter(state=State.ASSIGNED, signed_at__isnull=True)
    ordered = waiting.select_related("region", "responsible_org", "focus_area")
    return list(ordered.order_by("assigned_at", "pk")[:limit])
