"""What the fields of an enterprise may name (docs/decisions/0015): the pages offer these
rows, the API picks ids among them, and the actions check against them.

The office registers and edits the enterprises of its own jurisdiction: their region is a
region inside it, their supervising body a department, unit, office or command HQ inside it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import OFFICE_ROLES
from ducha.core.choosers import Chooser
from ducha.core.scope import grants_for
from ducha.core.scoping import NOTHING
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org

SUPERVISOR_KINDS = (OrgKind.DEPARTMENT, OrgKind.ENTERPRISE, OrgKind.OFFICE, OrgKind.COMMAND)


def _office_paths(user: Any) -> list[str]:
    return [
        grant.region_path
        for grant in grants_for(user)
        if grant.role in OFFICE_ROLES and grant.region_path
    ]


def office_regions(user: Any) -> list[int]:
    """The ids of the jurisdictions where the user is office staff."""
    ids = {
        grant.region_id
        for grant in grants_for(user)
        if grant.role in OFFICE_ROLES and grant.region_id is not None
    }
    return sorted(ids)


def _inside(user: Any) -> Q:
    inside = NOTHING
    for path in _office_paths(user):
        inside |= Q(path__startswith=path)
    return inside


def regions(user: Any) -> QuerySet[Org]:
    """Regions inside the jurisdictions where the user is office staff."""
    return Org.objects.filter(_inside(user), kind=OrgKind.REGION).order_by("tree_order")


def supervisors(user: Any) -> QuerySet[Org]:
    """Departments, units, offices and command HQs inside those jurisdictions."""
    return Org.objects.filter(_inside(user), kind__in=SUPERVISOR_KINDS).order_by("tree_order")


def filter_regions(user: Any) -> QuerySet[Org]:
    """The regions a list of the ledger is filtered by: each jurisdiction of the user and the
    regions one level below it (a county's towns), whatever the role."""
    near = NOTHING
    for grant in grants_for(user):
        if grant.region_path:
            depth = grant.region_path.count("/") - 2
            near |= Q(path__startswith=grant.region_path, depth__lte=depth + 1)
    return Org.objects.filter(near, kind=OrgKind.REGION).order_by("tree_order")


def rule_regions(user: Any) -> QuerySet[Org]:
    """The regions whose office the user works in: an office sets its own jurisdiction's rule."""
    return Org.objects.filter(pk__in=office_regions(user), kind=OrgKind.REGION).order_by(
        "tree_order"
    )


REGION = Chooser("region", regions, _("Choose a region of your jurisdiction."))
SUPERVISOR = Chooser(
    "supervisor",
    supervisors,
    _("Choose a department, unit, office or command HQ of your jurisdiction."),
)
RULE_REGION = Chooser(
    "region", rule_regions, _("Choose the region of an office whose staff you are.")
)
