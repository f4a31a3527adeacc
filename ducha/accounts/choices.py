"""Roles, and the sets of roles the apps' rule-books are written in (each set named once)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_STAFF = "office_staff", _("Office staff")
    TEAM_MEMBER = "team_member", _("Team member")
    UNIT_HANDLER = "unit_handler", _("Unit handler")
    LEADER = "leader", _("Leader")
    COMMAND = "command", _("Command HQ")
    DISCIPLINE = "discipline", _("Discipline")
    ADMIN = "admin", _("Administrator")


ALL_ROLES = frozenset(Role)

# The office's own work (planning, assigning, drafting, summarising): its staff and the
# administrators of its jurisdiction.
OFFICE_ROLES = frozenset({Role.OFFICE_STAFF, Role.ADMIN})

# The supervising side: the office and the teams it sends out (as against the units that are
# supervised and the leaders, command HQs and discipline bodies who read and direct).
SUPERVISOR_ROLES = OFFICE_ROLES | {Role.TEAM_MEMBER}

# Roles whose jurisdiction is the whole region subtree their org belongs to.
REGION_WIDE_ROLES = frozenset(
    {Role.OFFICE_STAFF, Role.LEADER, Role.DISCIPLINE, Role.ADMIN, Role.COMMAND}
)
