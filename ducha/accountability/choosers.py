"""What the fields of a record may name (docs/decisions/0015): the page offers these rows,
the API picks ids among them, and the actions check against them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ducha.accountability.choices import ACCOUNTABILITY_ROLES, RecordAction
from ducha.accountability.models import AccountabilityKind
from ducha.accounts.choices import OFFICE_ROLES
from ducha.core.choosers import Chooser
from ducha.core.scope import Grant, grants_for
from ducha.core.scoping import any_of, within
from ducha.orgs.choices import LEVEL_FIELDS, OrgKind
from ducha.orgs.models import Org

PROPOSERS = ACCOUNTABILITY_ROLES[RecordAction.PROPOSE]


def proposing_grants(user: Any) -> list[Grant]:
    """The user's grants that may propose a record, deepest jurisdiction first."""
    found = [g for g in grants_for(user) if g.role in PROPOSERS and g.region_path]
    return sorted(found, key=lambda g: -len(g.region_path))


def may_propose(user: Any) -> bool:
    return bool(proposing_grants(user))


def subject_orgs(user: Any) -> QuerySet[Org]:
    """The organisations a record may be about: those inside a jurisdiction where the user
    may propose (a person's employer, or the unit itself)."""
    reach = any_of(within(grant.region_path) for grant in proposing_grants(user))
    return Org.objects.filter(reach).order_by("tree_order")


def kinds_for(user: Any) -> QuerySet[AccountabilityKind]:
    """The built-in kinds, and those an office of the user's jurisdiction or above added."""
    regions: set[int] = set()
    for grant in grants_for(user):
        regions.update(int(part) for part in grant.region_path.strip("/").split("/") if part)
    # An office's nearest region is its deepest level column (an office may sit under a
    # discipline body rather than directly under its region).
    fields = [LEVEL_FIELDS[level] for level in sorted(LEVEL_FIELDS)]
    nearest = any_of(
        Q(**{f"office__{field}_id__in": regions})
        & Q(**{f"office__{deeper}__isnull": True for deeper in fields[index + 1 :]})
        for index, field in enumerate(fields)
    )
    return AccountabilityKind.objects.filter(Q(office__isnull=True) | nearest).order_by(
        "position", "pk"
    )


def own_offices(user: Any) -> QuerySet[Org]:
    """The offices whose staff the user is: an office adds kinds for its jurisdiction."""
    ids = {grant.org_id for grant in grants_for(user) if grant.role in OFFICE_ROLES}
    return Org.objects.filter(pk__in=ids, kind=OrgKind.OFFICE).order_by("tree_order")


NOT_A_PROPOSER = _("Only an office's staff or a discipline body may propose a record.")

ORG = Chooser(
    "org",
    subject_orgs,
    _("Choose an organisation within your jurisdiction."),
)
KIND = Chooser("kind", kinds_for, _("Choose a kind of accountability your office may use."))
OFFICE = Chooser("office", own_offices, _("Choose an office whose staff you are."))
