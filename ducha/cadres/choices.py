"""Cadre observation (干部考察识别): verdicts, the organisation department's lists, their
states and actions, and who may take each (docs/cadres.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import Role
from ducha.core.scoping import OWNER, VIEW

# Links a person could have chosen by hand on one record.
MAX_LINKS = 20


class Verdict(models.TextChoices):
    """两头干部: the outstanding and the failing, seen at work in the field."""

    OUTSTANDING = "outstanding", _("Outstanding")
    FAILING = "failing", _("Failing")


class CandidateList(models.TextChoices):
    USE = "use", _("Candidates for use")  # 近期使用对象人选
    ACCOUNTABILITY = "accountability", _("Candidates for accountability")


class CandidateState(models.TextChoices):
    LISTED = "listed", _("Listed")
    USED = "used", _("Taken up")
    REMOVED = "removed", _("Removed")


class CadreAction(models.TextChoices):
    OBSERVE = "observe", _("Record an observation")
    LIST = "list", _("Put on a list")
    REMOVE = "remove", _("Remove from the list")
    MARK_USED = "mark_used", _("Mark as taken up")


ALLOWED_FROM: dict[str, frozenset[str]] = {
    CadreAction.REMOVE: frozenset({CandidateState.LISTED}),
    CadreAction.MARK_USED: frozenset({CandidateState.LISTED}),
}

# Observations: the organisation department of the jurisdiction, and whoever recorded one
# (their own only). Team members record; nobody else reads a line of it.
OBSERVATION_ROLES: dict[str, frozenset[str]] = {
    VIEW: frozenset({Role.ORGANISATION, OWNER}),
}
OBSERVER_ROLES = frozenset({Role.ORGANISATION, Role.TEAM_MEMBER})

# The lists are the organisation department's alone.
CANDIDATE_ROLES: dict[str, frozenset[str]] = {
    VIEW: frozenset({Role.ORGANISATION}),
    CadreAction.LIST: frozenset({Role.ORGANISATION}),
    CadreAction.REMOVE: frozenset({Role.ORGANISATION}),
    CadreAction.MARK_USED: frozenset({Role.ORGANISATION}),
}
