"""What the fields of a policy may name (see `ducha.core.choosers`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import Role
from ducha.core.choosers import Chooser
from ducha.core.scope import grants_for
from ducha.core.scoping import NOTHING, within
from ducha.orgs.models import Org
from ducha.policies.choices import ISSUING_KINDS


def command_region_condition(user: Any, prefix: str = "") -> Q:
    """What lies in the jurisdiction of the user's command HQ grants."""
    condition = NOTHING
    for grant in grants_for(user):
        if grant.role == Role.COMMAND:
            condition |= within(grant.region_path, prefix)
    return condition


def command_regions(user: Any) -> list[int | None]:
    """The jurisdictions of the user's command HQ grants."""
    return [grant.region_id for grant in grants_for(user) if grant.role == Role.COMMAND]


def own_command(user: Any) -> int | None:
    """The command HQ the user works at (the first, if several): the usual issuing body."""
    return next((g.org_id for g in grants_for(user) if g.role == Role.COMMAND), None)


def issuing_bodies(user: Any) -> QuerySet[Org]:
    """Command HQs, offices and regions in the jurisdiction of the user's command HQ."""
    return (
        Org.objects.filter(kind__in=ISSUING_KINDS)
        .filter(command_region_condition(user))
        .order_by("depth", "tree_order")
    )


ISSUING_BODY = Chooser(
    "issuing_body",
    issuing_bodies,
    _("Choose a command HQ, an office or a region in your HQ's jurisdiction."),
)
