from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from ducha.accounts.choices import Role
from ducha.core.scope import Grant, grants_for
from ducha.orgs.querysets import NOTHING


def _grant_condition(grant: Grant) -> Q:
    """The problems one grant reaches. One condition per role, each tested."""
    if grant.role == Role.UNIT_HANDLER:
        return Q(responsible_org__path__startswith=grant.org_path)
    if grant.region_id is None:
        # A team that covers no region sees what it found itself, nothing more.
        return Q(team_id=grant.team_id) if grant.team_id else NOTHING
    in_region = Q(**{f"{grant.level_field}_id": grant.region_id})
    if grant.role == Role.COMMAND:
        return (in_region & Q(nature="common")) | Q(reported_to_id=grant.org_id)
    if grant.role == Role.TEAM_MEMBER:
        return in_region | Q(team_id=grant.team_id)
    return in_region


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, user: Any, action: str = "view") -> ProblemQuerySet:
        """Problems the user may see (or take `action` on). Nothing without a membership."""
        from ducha.problems.choices import ACTION_ROLES

        allowed_roles = ACTION_ROLES.get(action, frozenset())
        condition = NOTHING
        for grant in grants_for(user):
            if grant.role in allowed_roles:
                condition |= _grant_condition(grant)
        return self.filter(condition)

    def roles_on(self, user: Any, pk: int) -> set[str]:
        """The user's roles whose jurisdiction reaches problem `pk`, in one query."""
        by_role: dict[str, Q] = {}
        for grant in grants_for(user):
            by_role[grant.role] = by_role.get(grant.role, NOTHING) | _grant_condition(grant)
        if not by_role:
            return set()
        found = self.filter(pk=pk).aggregate(
            **{role: Count("pk", filter=condition) for role, condition in by_role.items()}
        )
        return {role for role, count in found.items() if count}

    def open(self) -> ProblemQuerySet:
        from ducha.problems.choices import OPEN_STATES

        return self.filter(state__in=OPEN_STATES)

    def with_light(self, light: str, now: Any = None) -> ProblemQuerySet:
        now = now or timezone.now()
        open_problems = self.open()
        if light == "red":
            return open_problems.filter(deadline__lte=now)
        if light == "yellow":
            return open_problems.filter(yellow_at__lte=now, deadline__gt=now)
        if light == "green":
            return open_problems.filter(yellow_at__gt=now)
        return self.none()

    def overdue(self, now: Any = None) -> ProblemQuerySet:
        return self.with_light("red", now)

    def rectification_stats(self) -> dict[str, Any]:
        """Found, rectified (closed after verification or on the spot) and the rate in %."""
        # COUNT(*) and COUNT(state) let PostgreSQL answer from the (…, state) indexes alone;
        # COUNT(id) would read every row of a province (see docs/performance.md).
        counts = self.order_by().aggregate(
            found=Count("*"), rectified=Count("state", filter=Q(state="closed"))
        )
        found, rectified = counts["found"], counts["rectified"]
        return {"found": found, "rectified": rectified, "rate": rate(rectified, found)}


def rate(part: int, whole: int) -> str:
    """A percentage with two decimals, rounded half up as people do by hand: 94.38."""
    from decimal import ROUND_HALF_UP, Decimal

    if not whole:
        return "0.00"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{value}"
