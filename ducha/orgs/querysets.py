from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from ducha.accounts.choices import Role
from ducha.core.scope import grants_for

NOTHING = Q(pk__in=[])


def _any(conditions: list[Q]) -> Q:
    result = NOTHING
    for condition in conditions:
        result |= condition
    return result


class OrgQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> OrgQuerySet:
        conditions = []
        for grant in grants_for(user):
            if grant.region_path:
                conditions.append(Q(path__startswith=grant.region_path))
            else:
                conditions.append(Q(path__startswith=grant.org_path))
        return self.filter(_any(conditions))

    def regions(self) -> OrgQuerySet:
        return self.filter(kind="region")

    def subtree_of(self, org: Any) -> OrgQuerySet:
        return self.filter(path__startswith=org.path)


class SiteQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> SiteQuerySet:
        conditions = [
            Q(**{f"{grant.level_field}_id": grant.region_id})
            for grant in grants_for(user)
            if grant.region_id
        ]
        return self.filter(_any(conditions))


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> TeamQuerySet:
        conditions = []
        for grant in grants_for(user):
            if grant.role == Role.TEAM_MEMBER and grant.team_id:
                conditions.append(Q(pk=grant.team_id))
            elif grant.region_path and grant.role != Role.COMMAND:
                # Teams of this jurisdiction, and teams sent into it from above.
                conditions.append(Q(dispatched_by__path__startswith=grant.region_path))
                conditions.append(Q(regions__path__startswith=grant.region_path))
        return self.filter(_any(conditions)).distinct()
