"""Who sees an enterprise of the ledger and who records its status (docs/resumption.md).

The offices, leaders, command HQs and team members of a jurisdiction see every enterprise
located in it (a street office its street's); a unit handler sees the enterprises its unit
supervises, and records their statuses and ledgers.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ducha.accounts.choices import Role
from ducha.core.scope import Grant
from ducha.core.scoping import ScopedQuerySet, located_in
from ducha.resumption.choices import ACTION_ROLES


def _supervised_by_the_unit(grant: Grant) -> Q:
    return Q(supervisor_id=grant.org_id)


class EnterpriseQuerySet(ScopedQuerySet):
    action_roles = ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: located_in,
        Role.LEADER: located_in,
        Role.COMMAND: located_in,
        Role.TEAM_MEMBER: located_in,
        Role.UNIT_HANDLER: _supervised_by_the_unit,
    }
    access_related = ("region", "supervisor", "site")
    refusal = gettext_lazy("Your role may not do this to an enterprise of the ledger.")
