"""Actions of a sweep (举一反三), the states of a unit's self-check, and who may do what."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import OFFICE_ROLES, Role


class SweepAction(models.TextChoices):
    LAUNCH = "launch", _("Launch the sweep")
    ANSWER = "answer", _("Answer the self-check")


class CheckState(models.TextChoices):
    WAITING = "waiting", _("Not answered")
    NONE_FOUND = "none_found", _("None found")
    FOUND = "found", _("Problems found")


# The office launches; its leaders read along; each unit answers its own self-check.
ACTION_ROLES: dict[str, frozenset[str]] = {
    "view": OFFICE_ROLES | {Role.LEADER, Role.UNIT_HANDLER},
    SweepAction.LAUNCH: OFFICE_ROLES,
    SweepAction.ANSWER: frozenset({Role.UNIT_HANDLER}),
}

# Bounds of one sweep and one answer: a county's units fit, a province's must be split.
MAX_UNITS = 200
MAX_FOUND = 20
# Similar problems shown on a problem's page and offered when choosing units.
MAX_SIMILAR = 20
