"""快查快结: how many referrals wait, are open, were declined or concluded, and how fast the
receiving bodies decide and conclude — over whatever referrals the caller passes (already
scoped by `visible_to`)."""

from __future__ import annotations

from statistics import mean, median
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ducha.referrals.choices import ReferralState

DAY = 86_400


def _days(seconds: list[float]) -> dict[str, float | None]:
    if not seconds:
        return {"median": None, "mean": None}
    return {
        "median": round(median(seconds) / DAY, 1),
        "mean": round(mean(seconds) / DAY, 1),
    }


def timing(referrals_qs: QuerySet[Any]) -> dict[str, Any]:
    """Counts by state, and the median and mean days from referral to decision (accepted or
    declined) and from referral to outcome (its date, as the receiver gave it). Two queries:
    the counts, and the dates of the decided ones."""
    rows = referrals_qs.order_by()
    counts = rows.aggregate(
        total=Count("pk"),
        waiting=Count("pk", filter=Q(state=ReferralState.REFERRED)),
        accepted=Count("pk", filter=Q(state=ReferralState.ACCEPTED)),
        declined=Count("pk", filter=Q(state=ReferralState.DECLINED)),
        concluded=Count("pk", filter=Q(state=ReferralState.CONCLUDED)),
    )
    to_decision: list[float] = []
    to_outcome: list[float] = []
    decided = rows.filter(decided_at__isnull=False).values_list(
        "referred_at", "decided_at", "outcome_on"
    )
    for referred_at, decided_at, outcome_on in decided:
        to_decision.append((decided_at - referred_at).total_seconds())
        if outcome_on is not None:
            # The outcome carries a date, not a moment: count whole days from the referral's.
            days = (outcome_on - timezone.localdate(referred_at)).days
            to_outcome.append(days * DAY)
    return {
        **counts,
        "days_to_decision": _days(to_decision),
        "days_to_outcome": _days(to_outcome),
    }
