"""Who reads the names in accountability records and commendations, and who acts on them
(docs/accountability.md). One rule-book for both kinds of record: only the discipline body,
the leaders and the office of a jurisdiction that holds the record's region see its rows;
every other role reaches none (their counts come from the dashboards, never from here).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ducha.accountability.choices import ACCOUNTABILITY_ROLES, COMMENDATION_ROLES, RecordAction
from ducha.accounts.choices import Role
from ducha.core.scope import Grant
from ducha.core.scoping import Condition, ScopedQuerySet, located_in


def _withdrawer(deciders: frozenset[str]) -> Condition:
    def condition(grant: Grant) -> Q:
        # A decider may take back any record of its jurisdiction; anyone else only what
        # its own org proposed.
        if grant.role in deciders:
            return Q()
        return Q(keeper_id=grant.org_id)

    return condition


# The lines both kinds of record share: a grant reaches the records located in its region.
CONDITIONS: Mapping[str, Condition] = {
    Role.DISCIPLINE: located_in,
    Role.LEADER: located_in,
    Role.OFFICE_STAFF: located_in,
}
RELATED = ("org", "region", "keeper", "proposed_by", "decided_by")


class AccountabilityQuerySet(ScopedQuerySet):
    action_roles = ACCOUNTABILITY_ROLES
    conditions = CONDITIONS
    acting_conditions = {
        RecordAction.WITHDRAW: _withdrawer(ACCOUNTABILITY_ROLES[RecordAction.DECIDE]),
    }
    access_related = (*RELATED, "kind")
    refusal = gettext_lazy("Your role may not take this action on this accountability record.")


class CommendationQuerySet(ScopedQuerySet):
    action_roles = COMMENDATION_ROLES
    conditions = CONDITIONS
    acting_conditions = {
        RecordAction.WITHDRAW: _withdrawer(COMMENDATION_ROLES[RecordAction.DECIDE]),
    }
    access_related = RELATED
    refusal = gettext_lazy("Your role may not take this action on this commendation.")
