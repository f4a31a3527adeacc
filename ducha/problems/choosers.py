"""What the fields of a problem and of its actions may name: one chooser per field.

The pages' forms offer these rows, the API looks ids up among them and the actions check
their arguments against them (see `ducha.core.choosers`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ducha.core.choosers import Chooser
from ducha.core.scope import grants_for
from ducha.orgs import tree
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org, Site, Team
from ducha.orgs.querysets import NOTHING
from ducha.orgs.tree import UNIT_KINDS, ancestor_ids, lies_near
from ducha.problems.choices import ACTION_ROLES, Action
from ducha.problems.models import FocusArea, Problem

# Bodies a problem can be reported to (呈), besides a region's leadership.
REPORT_KINDS = (OrgKind.OFFICE, OrgKind.COMMAND)


# --- 交: the responsible unit ---------------------------------------------------------------
# Near the problem's region (ducha.orgs.tree.near), even when the user sees more.


def near(region: Org) -> Q:
    return tree.near(region.path)


def responsible_units(user: Any, problem: Problem) -> QuerySet[Org]:
    """The responsible units the user sees near the problem's region."""
    return (
        Org.objects.visible_to(user)
        .filter(kind__in=UNIT_KINDS)
        .filter(near(problem.region))
        .order_by("tree_order")
    )


RESPONSIBLE_UNIT = Chooser(
    "responsible_org",
    responsible_units,
    _(
        "Choose a unit in the problem's region, a region above it, or a department, "
        "enterprise or command HQ directly under a region above it."
    ),
)


class UnitCheck:
    """The unit rule for many problems at once: which of these units the user may hand a
    problem to at all is read in one query, nearness is then checked row by row."""

    def __init__(self, user: Any, units: Iterable[Org]) -> None:
        ids = {unit.pk for unit in units}
        usable = Org.objects.visible_to(user).filter(kind__in=UNIT_KINDS, pk__in=ids)
        self.usable = set(usable.values_list("pk", flat=True)) if ids else set()

    def check(self, problem: Problem, unit: Org) -> None:
        row = (unit.path, unit.parent_id, unit.kind)
        if unit.pk not in self.usable or not lies_near(problem.region.path, row):
            raise RESPONSIBLE_UNIT.refusal()


# --- 呈: whom a problem is reported to -------------------------------------------------------


def report_targets(problem: Problem) -> QuerySet[Org]:
    """The offices and command HQs of the problem's region and of the regions above it, and
    those regions themselves (their leadership); nearest first. Not limited to what the
    user sees: a county reports to the city office it does not oversee."""
    above = ancestor_ids(problem.region.path)
    return Org.objects.filter(
        Q(kind=OrgKind.REGION, pk__in=above) | Q(kind__in=REPORT_KINDS, parent_id__in=above)
    ).order_by("-depth", "tree_order")


REPORT_TARGET = Chooser(
    "to_org",
    report_targets,
    _(
        "Report to an office, a command HQ or the leadership of the problem's region or of "
        "a region above it."
    ),
)


# --- recording a problem ---------------------------------------------------------------------


def _creating_paths(user: Any) -> list[str]:
    return [
        grant.region_path
        for grant in grants_for(user)
        if grant.role in ACTION_ROLES[Action.CREATE] and grant.region_path
    ]


def creatable_regions(user: Any) -> QuerySet[Org]:
    """Regions inside the jurisdictions of the user's roles that may record problems."""
    condition = NOTHING
    for path in _creating_paths(user):
        condition |= Q(path__startswith=path)
    return Org.objects.regions().filter(condition).order_by("tree_order")


REGION = Chooser(
    "region", creatable_regions, _("Choose a region in which you may record problems.")
)
SITE = Chooser(
    "site",
    lambda user: Site.objects.visible_to(user).select_related("region").order_by("name"),
)
TEAM = Chooser("team", lambda user: Team.objects.visible_to(user).filter(active=True))
FOCUS_AREA = Chooser(
    "focus_area",
    lambda: FocusArea.objects.filter(active=True),
    _("Choose a focus area that is in use."),
)
