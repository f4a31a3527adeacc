"""Kinds, states and actions of accountability records (问责) and commendations (表扬)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import Role


class BuiltinKind(models.TextChoices):
    """The kinds every office has; an office may add its own (`AccountabilityKind`)."""

    INTERVIEW = "interview", _("Admonishing talk")
    INTERVIEW_WARNING = "interview_warning", _("Admonishing talk with a warning")
    PUBLIC_CRITICISM = "public_criticism", _("Criticism by bulletin")
    ORDERED_SELF_EXAMINATION = "ordered_self_examination", _("Ordered self-examination")
    ADMONISHMENT = "admonishment", _("Admonishment")
    SUSPENSION = "suspension", _("Suspension from duty")
    DISMISSAL = "dismissal", _("Removal from office")
    CASE_FILED = "case_filed", _("Case filed for review")
    RECOMMENDATION = "recommendation", _("Recommendation of accountability")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Person")
    UNIT = "unit", _("Unit")


class RecordState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    DECIDED = "decided", _("Decided")
    CARRIED_OUT = "carried_out", _("Carried out")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RecordAction(models.TextChoices):
    PROPOSE = "propose", _("Propose")
    DECIDE = "decide", _("Decide")
    CARRY_OUT = "carry_out", _("Carried out")
    WITHDRAW = "withdraw", _("Withdraw")


class CommendationKind(models.TextChoices):
    PRAISE = "praise", _("Praise")
    # 先进集体 for a unit, 先进个人 for a person.
    ADVANCED = "advanced", _("Advanced collective or individual")
    MODEL = "model", _("Held up as an example")


# What one record may link to: a measure arises from a handful of problems, not hundreds.
MAX_LINKS = 20
# An office's own kinds, beyond the built-in ones.
MAX_OFFICE_KINDS = 30

# The roles that read names (and nothing less: a role missing here sees no row at all).
NAME_ROLES = frozenset({Role.DISCIPLINE, Role.LEADER, Role.OFFICE_STAFF})

# Which states each action may start from (a proposal is the record's creation).
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    RecordAction.DECIDE: (RecordState.PROPOSED,),
    RecordAction.CARRY_OUT: (RecordState.DECIDED,),
    RecordAction.WITHDRAW: (RecordState.PROPOSED, RecordState.DECIDED),
}

_SHARED: dict[str, frozenset[str]] = {
    "view": NAME_ROLES,
    RecordAction.PROPOSE: frozenset({Role.OFFICE_STAFF, Role.DISCIPLINE}),
    RecordAction.CARRY_OUT: frozenset({Role.OFFICE_STAFF, Role.DISCIPLINE}),
}

# Who may take each action on an accountability record; `querysets` says where (the
# jurisdiction that holds the record's region; a withdrawal by the proposer's own org or a
# decider). Accountability is decided by the discipline body or the jurisdiction's leaders.
ACCOUNTABILITY_ROLES: dict[str, frozenset[str]] = {
    **_SHARED,
    RecordAction.DECIDE: frozenset({Role.DISCIPLINE, Role.LEADER}),
    RecordAction.WITHDRAW: frozenset({Role.OFFICE_STAFF, Role.DISCIPLINE, Role.LEADER}),
}

# A commendation is decided by the leaders or the office.
COMMENDATION_ROLES: dict[str, frozenset[str]] = {
    **_SHARED,
    RecordAction.DECIDE: frozenset({Role.LEADER, Role.OFFICE_STAFF}),
    RecordAction.WITHDRAW: frozenset({Role.OFFICE_STAFF, Role.DISCIPLINE, Role.LEADER}),
}
