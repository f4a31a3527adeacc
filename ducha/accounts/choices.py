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


# Roles whose jurisdiction is the whole region subtree their org belongs to.
REGION_WIDE_ROLES = frozenset(
    {Role.OFFICE_STAFF, Role.LEADER, Role.DISCIPLINE, Role.ADMIN, Role.COMMAND}
)
