"""What the fields of a batch and of its actions may name (docs/decisions/0015): the page
offers these rows, the API picks ids among them, and the actions check against them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import OFFICE_ROLES
from ducha.core.choosers import Chooser
from ducha.core.scope import grants_for
from ducha.orgs.choices import LEVEL_FIELDS, OrgKind, RegionLevel
from ducha.orgs.models import Org
from ducha.problems.choosers import UNIT_KINDS, near


def issuing_offices(user: Any) -> QuerySet[Org]:
    """The offices whose staff the user is: a batch is issued in an office's name."""
    ids = {grant.org_id for grant in grants_for(user) if grant.role in OFFICE_ROLES}
    return Org.objects.filter(pk__in=ids, kind=OrgKind.OFFICE).order_by("tree_order")


def lower_offices(issuing_office: Org) -> QuerySet[Org]:
    """Offices of the regions below the issuing office's region, at any depth: a province
    office hands down to its cities' and counties' offices, never to its own region's or a
    neighbour's."""
    found = issuing_office.region_id_and_level
    if found is None:
        return Org.objects.none()
    region_id, level = found
    if level >= max(RegionLevel):
        return Org.objects.none()
    region = Org.objects.get(pk=region_id)
    below = LEVEL_FIELDS[RegionLevel(level + 1)]
    return Org.objects.filter(
        Q(kind=OrgKind.OFFICE, path__startswith=region.path) & Q(**{f"{below}__isnull": False})
    ).order_by("tree_order")


def units_for(user: Any, office: Org) -> QuerySet[Org]:
    """The units the receiving office's staff may hand a problem of its region to (交)."""
    region = office.region
    if region is None:
        return Org.objects.none()
    return Org.objects.visible_to(user).filter(kind__in=UNIT_KINDS).filter(near(region))


ISSUING_OFFICE = Chooser(
    "issuing_office", issuing_offices, _("Choose an office whose staff you are.")
)
OFFICES = Chooser(
    "offices",
    lower_offices,
    _("Choose offices of the regions below the issuing office, within its jurisdiction."),
)
UNITS = Chooser(
    "units",
    lambda user, office: units_for(user, office).order_by("tree_order"),
    _("Choose units in the office's region, or directly under a region above it."),
)
