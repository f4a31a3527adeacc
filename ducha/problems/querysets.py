from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ducha.accounts.choices import Role
from ducha.core.scope import Grant
from ducha.core.scoping import NOTHING, ScopedQuerySet, located_in, within
from ducha.problems.choices import ACTION_ROLES, CLOCKED_STATES, OPEN_STATES, State


def _common_or_reported_to(grant: Grant) -> Q:
    # A command HQ takes the common problems of its region, and what is reported to it.
    return (located_in(grant) & Q(nature="common")) | Q(reported_to_id=grant.org_id)


def _region_or_own_team(grant: Grant) -> Q:
    # A team that covers no region sees what it found itself, nothing more.
    return located_in(grant) | (Q(team_id=grant.team_id) if grant.team_id else NOTHING)


def _assigned_to_the_unit(grant: Grant) -> Q:
    return within(grant.org_path, "responsible_org__")


class ProblemQuerySet(ScopedQuerySet):
    """Problems a user may see (or act on). Every condition is a column of the problem row or
    a to-one join, so no de-duplication is needed on this largest of tables."""

    action_roles = ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: located_in,
        Role.LEADER: located_in,
        Role.DISCIPLINE: located_in,
        Role.COMMAND: _common_or_reported_to,
        Role.TEAM_MEMBER: _region_or_own_team,
        Role.UNIT_HANDLER: _assigned_to_the_unit,
    }
    access_related = (
        "region",
        "site",
        "focus_area",
        "team",
        "responsible_org",
        "reported_to",
        "found_by",
    )
    refusal = gettext_lazy("Your role may not take this action on this problem.")

    def open(self) -> ProblemQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def clocked(self) -> ProblemQuerySet:
        """Open problems whose clock runs: a dispute awaiting the office has no light."""
        return self.filter(state__in=CLOCKED_STATES)

    def with_light(self, light: str, now: Any = None) -> ProblemQuerySet:
        now = now or timezone.now()
        clocked = self.clocked()
        if light == "red":
            return clocked.filter(deadline__lte=now)
        if light == "yellow":
            return clocked.filter(yellow_at__lte=now, deadline__gt=now)
        if light == "green":
            return clocked.filter(yellow_at__gt=now)
        return self.none()

    def overdue(self, now: Any = None) -> ProblemQuerySet:
        return self.with_light("red", now)

    def rectification_stats(self) -> dict[str, Any]:
        """Found, rectified (closed after verification or on the spot), the rate in %, and how
        many are in dispute (their clock paused, awaiting the office's decision)."""
        # COUNT(*) and COUNT(state) let PostgreSQL answer from the (…, state) indexes alone;
        # COUNT(id) would read every row of a province (see docs/performance.md).
        return stats_line(self.order_by().aggregate(**_COUNTS))

    def search_stats(self, cap: int) -> dict[str, Any]:
        """The stats line of a text search: the true figures when at most `cap` problems
        match; past that, only that more than `cap` do. Counting every match of a common
        word in a province reads most of its rows (docs/performance.md); counting `cap` + 1
        of them answers at once, and more words or filters give the exact figures. One
        statement either way: the figures are counted over the rows the cap lets through."""
        counts = self.order_by().values("state")[: cap + 1].aggregate(**_COUNTS)
        if counts["found"] > cap:
            return {"found": cap, "more": True, "rectified": None, "rate": None, "disputed": None}
        return stats_line(counts)


_COUNTS = {
    "found": Count("*"),
    "rectified": Count("state", filter=Q(state=State.CLOSED)),
    "disputed": Count("state", filter=Q(state=State.DISPUTED)),
}


def stats_line(counts: dict[str, int]) -> dict[str, Any]:
    found, rectified = counts["found"], counts["rectified"]
    return {
        "found": found,
        "more": False,
        "rectified": rectified,
        "rate": rate(rectified, found),
        "disputed": counts["disputed"],
    }


def rate(part: int, whole: int) -> str:
    """A percentage with two decimals, rounded half up as people do by hand: 94.38."""
    from decimal import ROUND_HALF_UP, Decimal

    if not whole:
        return "0.00"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{value}"
