"""Kinds, states and actions of accountability records (问责) and commendations (表扬)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
