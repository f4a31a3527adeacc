"""Who sees which report and summary. Fail-closed: nothing without a grant.

A team member reads and writes their own team's reports. Office staff, administrators and
leaders read the reports of every team of their jurisdiction (dispatched from inside it, or
sent into it from above) and the summaries of the offices inside it. Only an office's own
staff and administrators write its summary; a higher office reads it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, Q

from ducha.accounts.choices import Role
from ducha.core.scope import Grant, grants_for
from ducha.orgs.querysets import NOTHING


def teams_of_region(region_path: str, prefix: str = "") -> Q:
    """Teams dispatched from inside a region, or covering a part of it."""
    return Q(**{f"{prefix}dispatched_by__path__startswith": region_path}) | Q(
        **{f"{prefix}regions__path__startswith": region_path}
    )


class DailyQuerySet(models.QuerySet):
    """Per-grant conditions turned into `visible_to` and `roles_on`."""

    def _grant_condition(self, grant: Grant) -> Q:  # pragma: no cover - abstract
        raise NotImplementedError

    def _acting_condition(self, grant: Grant, action: str) -> Q:
        """What a grant may act on, within what it sees; everything it sees by default."""
        return Q()

    def _condition(self, grant: Grant, action: str = "view") -> Q:
        condition = self._grant_condition(grant)
        if action != "view":
            condition &= self._acting_condition(grant, action)
        return condition

    def visible_to(self, user: Any, action: str = "view") -> Any:
        from ducha.daily.choices import DAILY_ACTION_ROLES

        allowed = DAILY_ACTION_ROLES.get(action, frozenset())
        condition = NOTHING
        for grant in grants_for(user):
            if grant.role in allowed:
                condition |= self._condition(grant, action)
        # A row reached through a to-many join (a team's regions) must appear once.
        return self.filter(pk__in=self.model._base_manager.filter(condition).values("pk"))

    def roles_on(self, user: Any, pk: int, action: str = "view") -> set[str]:
        """The user's roles whose grants reach row `pk` (for `action`: may act on it)."""
        from ducha.daily.choices import DAILY_ACTION_ROLES

        allowed = DAILY_ACTION_ROLES.get(action, frozenset())
        by_role: dict[str, Q] = {}
        for grant in grants_for(user):
            if action == "view" or grant.role in allowed:
                by_role[grant.role] = by_role.get(grant.role, NOTHING) | self._condition(
                    grant, action
                )
        if not by_role:
            return set()
        found = self.model._base_manager.filter(pk=pk).aggregate(
            **{
                role: Count("pk", filter=condition, distinct=True)
                for role, condition in by_role.items()
            }
        )
        return {role for role, count in found.items() if count}


class ReportQuerySet(DailyQuerySet):
    def _grant_condition(self, grant: Grant) -> Q:
        from ducha.daily.choices import REGION_READERS

        if grant.role == Role.TEAM_MEMBER:
            return Q(team_id=grant.team_id) if grant.team_id else NOTHING
        if grant.role in REGION_READERS and grant.region_path:
            return teams_of_region(grant.region_path, "team__")
        return NOTHING


class SummaryQuerySet(DailyQuerySet):
    def _grant_condition(self, grant: Grant) -> Q:
        from ducha.daily.choices import REGION_READERS

        if grant.role in REGION_READERS and grant.region_path:
            return Q(office__path__startswith=grant.region_path)
        return NOTHING

    def _acting_condition(self, grant: Grant, action: str) -> Q:
        # An office writes its own summary; the offices above it read it.
        return Q(office_id=grant.org_id)
