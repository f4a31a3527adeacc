"""What the fields of a form may name (docs/decisions/0015): the page offers these rows,
the API picks ids among them, and the actions check against them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ducha.core.choosers import Chooser
from ducha.core.scope import grants_for
from ducha.orgs.choices import LEVEL_FIELDS, OrgKind, RegionLevel
from ducha.orgs.models import Org
from ducha.reportforms.choices import ACTION_ROLES, FormAction
from ducha.reportforms.models import ReportForm

REQUESTERS = (OrgKind.DEPARTMENT, OrgKind.COMMAND)


def registering_regions(user: Any) -> QuerySet[Org]:
    """The jurisdictions whose office the user is on: an office keeps its own register."""
    roles = ACTION_ROLES[FormAction.REGISTER]
    ids = {grant.region_id for grant in grants_for(user) if grant.role in roles and grant.region_id}
    return Org.objects.filter(pk__in=ids, kind=OrgKind.REGION).order_by("tree_order")


def departments(region: Org) -> QuerySet[Org]:
    """The departments and command HQs of the jurisdiction itself (not of a town in it)."""
    if region.level is None:
        return Org.objects.none()
    level = RegionLevel(region.level)
    deeper = {f"{LEVEL_FIELDS[lower]}__isnull": True for lower in RegionLevel if lower > level}
    return Org.objects.filter(
        kind__in=REQUESTERS, **{LEVEL_FIELDS[level]: region}, **deeper
    ).order_by("name")


def merge_targets(user: Any) -> QuerySet[ReportForm]:
    """The forms a merge may name: those the user sees, kept or not (the action refuses a
    form of another jurisdiction or one no longer filled, and says why)."""
    return ReportForm.objects.visible_to(user).order_by("region__tree_order", "number")


REGION = Chooser("region", registering_regions, _("Choose a jurisdiction whose office you are on."))
DEPARTMENT = Chooser(
    "department",
    departments,
    _("Choose a department or command HQ of the form's jurisdiction."),
)
MERGE_TARGET = Chooser("merged_into", merge_targets)
