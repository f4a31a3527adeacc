"""Who sees a sweep and its self-checks (docs/sweeps.md).

The office and its leaders read the sweeps launched in their jurisdiction (by the launching
office's region); a unit's handler reads the sweeps that ask its unit to check itself, and
only its own self-check of each.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from ducha.accounts.choices import Role
from ducha.core.scope import Grant
from ducha.core.scoping import ScopedQuerySet, located_in, within
from ducha.sweeps.choices import ACTION_ROLES


def _asks_the_unit(grant: Grant) -> Q:
    return within(grant.org_path, "checks__unit__")


def _sweep_in_region(grant: Grant) -> Q:
    return located_in(grant, "sweep__")


def _own_unit(grant: Grant) -> Q:
    return within(grant.org_path, "unit__")


class SweepQuerySet(ScopedQuerySet):
    action_roles = ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: located_in,
        Role.LEADER: located_in,
        Role.UNIT_HANDLER: _asks_the_unit,
    }
    # A unit may be asked more than once in one sweep (for several sites).
    joins_to_many = True
    access_related = ("origin", "office", "region", "focus_area", "launched_by")
    refusal = gettext_lazy("Only the office may launch a sweep.")


class SelfCheckQuerySet(ScopedQuerySet):
    action_roles = ACTION_ROLES
    conditions = {
        Role.OFFICE_STAFF: _sweep_in_region,
        Role.LEADER: _sweep_in_region,
        Role.UNIT_HANDLER: _own_unit,
    }
    access_related = ("sweep", "sweep__origin", "unit", "site", "document")
    refusal = gettext_lazy("Only the unit asked may answer its self-check.")

    def waiting(self) -> SelfCheckQuerySet:
        return self.filter(state="waiting")
