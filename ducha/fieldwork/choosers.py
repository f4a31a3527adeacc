"""What the fields of field work may name: the office (or unit) a user acts for.

Shared by the pages' forms and the API, as the problems' choosers are (`ducha.core.choosers`).
Teams, sites, regions and focus areas are offered from `visible_to` on both sides alike.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ducha.core.choosers import Chooser
from ducha.core.scope import grants_for
from ducha.fieldwork.choices import FIELD_ACTION_ROLES, FieldAction
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org

# Who may join another's visit (1+N): an office, a department or a discipline body.
JOINING_KINDS = (OrgKind.OFFICE, OrgKind.DEPARTMENT, OrgKind.DISCIPLINE)


def acting_orgs(
    user: Any, action: str, kinds: tuple[str, ...] = (OrgKind.OFFICE,)
) -> QuerySet[Org]:
    """The orgs the user may take this action for: where they hold a role that may, of
    these kinds; the highest first (the API's default when none is named)."""
    roles = FIELD_ACTION_ROLES[action]
    ids = {grant.org_id for grant in grants_for(user) if grant.role in roles}
    return Org.objects.filter(pk__in=ids, kind__in=kinds).order_by("depth", "tree_order")


def acting_office(action: str) -> Chooser[Org]:
    return Chooser("office", lambda user: acting_orgs(user, action))


JOINING_ORG = Chooser("org", lambda user: acting_orgs(user, FieldAction.JOIN_TASK, JOINING_KINDS))
