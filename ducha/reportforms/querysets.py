"""Who sees a form of the register and its returns (docs/reportforms.md).

The offices, leaders and command HQs of a jurisdiction see its register and every return
filled in it; a department's handler sees the forms it demands and, through its department
view, the returns of the collection its forms were merged into; a village or community
committee's handler sees the collection forms of the jurisdictions above it, and its own
returns.
"""

from __future__ import annotations

from django.db.models import Case, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy

from ducha.accounts.choices import Role
from ducha.core.scope import Grant
from ducha.core.scoping import NOTHING, ScopedQuerySet, located_in
from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.orgs.models import Org
from ducha.reportforms.choices import ACTION_ROLES, Decision


def _ancestors(grant: Grant) -> list[int]:
    return [int(part) for part in grant.org_path.strip("/").split("/") if part]


def _level_of(org_id: int) -> Subquery:
    """The level of the unit's nearest region: a village committee's is the village's, a
    county department's the county's."""
    deepest = Case(
        *(
            When(**{f"{LEVEL_FIELDS[level]}__isnull": False}, then=Value(int(level)))
            for level in reversed(RegionLevel)
        ),
        default=Value(0),
    )
    return Subquery(Org.objects.filter(pk=org_id).annotate(deepest=deepest).values("deepest"))


def _demanded_or_filled_here(grant: Grant) -> Q:
    """The unit's own forms, and the kept forms of the regions above the unit that units
    at its level fill (a village or community committee fills the village forms; a county
    department, filling none, sees only the forms it demands)."""
    above = _ancestors(grant)
    kept_above = Q(
        region_id__in=above,
        decision__in=[Decision.KEEP, Decision.PENDING],
        filled_by=_level_of(grant.org_id),
    )
    return Q(department_id=grant.org_id) | (kept_above if above else NOTHING)


def _own_or_merged_from_the_unit(grant: Grant) -> Q:
    """Returns the unit filled, and returns of a collection holding one of its forms."""
    return (
        Q(org_id=grant.org_id)
        | Q(form__department_id=grant.org_id)
        | Q(form__merged__department_id=grant.org_id)
    )


class ReportFormQuerySet(ScopedQuerySet):
    action_roles = ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: located_in,
        Role.LEADER: located_in,
        Role.COMMAND: located_in,
        Role.UNIT_HANDLER: _demanded_or_filled_here,
    }
    access_related = ("region", "department", "merged_into")
    refusal = gettext_lazy("Only the office of the jurisdiction decides on its forms.")


class FormReturnQuerySet(ScopedQuerySet):
    action_roles = ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: located_in,
        Role.LEADER: located_in,
        Role.COMMAND: located_in,
        Role.UNIT_HANDLER: _own_or_merged_from_the_unit,
    }
    joins_to_many = True
    access_related = ("form", "region", "org")
    refusal = gettext_lazy("Only the committee that filled a return may change it.")
