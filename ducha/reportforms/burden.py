"""The burden of the forms on the grassroots, before and after the office's decisions, and
the reduction rate (精减率) (docs/reportforms.md).

Before: every registered form, each filled as often as its frequency says. After: the forms
still filled (kept, or not decided yet), each as one collection with the items of the forms
merged into it, an item of several of them filled once; dropped forms and forms served from
shared data cost nothing. A collection is filled as often as the most frequent of its forms
(a daily form merged into a weekly one is still needed daily).

The time is estimated from each form's own estimate: one item of a form takes the form's
minutes over its item count, and an item filled once for several forms takes the time of
the first form that asks for it (the kept form's own first).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from ducha.problems.querysets import rate
from ducha.reportforms.analysis import loaded
from ducha.reportforms.choices import FILLS_PER_DAY, STILL_FILLED, Decision, Frequency
from ducha.reportforms.models import ReportForm

TENTH = Decimal("0.1")


def _per_day(value: float) -> Decimal:
    return Decimal(str(value)).quantize(TENTH, ROUND_HALF_UP)


@dataclass(frozen=True)
class Load:
    """What one village (or community, town, street) fills per day, on average."""

    forms: Decimal
    items: Decimal
    minutes: Decimal


@dataclass(frozen=True)
class Burden:
    before: int
    after: int
    # (before − after) / before, in per cent, rounded as the rectification rate is.
    rate: str
    decisions: dict[str, int]
    per_day_before: Load
    per_day_after: Load
    collections: dict[int, list[str]] = field(default_factory=dict)

    @property
    def reduced(self) -> int:
        return self.before - self.after


def _load(forms: float, items: float, minutes: float) -> Load:
    return Load(_per_day(forms), _per_day(items), _per_day(minutes))


def burden(forms: QuerySet[ReportForm]) -> Burden:
    rows = loaded(forms)
    decisions = {decision: 0 for decision in Decision.values}
    merged: dict[int, list[ReportForm]] = defaultdict(list)
    before = [0.0, 0.0, 0.0]
    for form in rows:
        decisions[form.decision] += 1
        if form.merged_into_id is not None:
            merged[form.merged_into_id].append(form)
        fills = FILLS_PER_DAY[Frequency(form.frequency)]
        before[0] += fills
        before[1] += fills * len(form.items.all())
        before[2] += fills * form.minutes
    after = [0.0, 0.0, 0.0]
    collections: dict[int, list[str]] = {}
    for form in rows:
        if form.decision not in STILL_FILLED:
            continue
        members = [form, *merged[form.pk]]
        fills = max(FILLS_PER_DAY[Frequency(member.frequency)] for member in members)
        minutes: dict[str, float] = {}
        for member in members:
            items = member.items.all()
            for item in items:
                minutes.setdefault(item.key, member.minutes / len(items))
        collections[form.pk] = list(minutes)
        after[0] += fills
        after[1] += fills * len(minutes)
        after[2] += fills * sum(minutes.values())
    still = sum(decisions[decision] for decision in STILL_FILLED)
    return Burden(
        before=len(rows),
        after=still,
        rate=rate(len(rows) - still, len(rows)),
        decisions=decisions,
        per_day_before=_load(*before),
        per_day_after=_load(*after),
        collections=collections,
    )
