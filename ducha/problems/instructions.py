"""批示: whether a leader's instruction on a problem still waits for an answer.

An instruction is answered when the unit or the office acts on the problem after it; a later
instruction, a reminder or the ladder's escalation is no answer. The unit's queue marks the
problems whose latest instruction is unanswered, so that it is not missed; the daily meeting
agenda lists them by the same answers.
"""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from ducha.problems.choices import Action
from ducha.problems.models import Problem, ProblemEvent

# What the unit or the office does on a problem in reply.
ANSWERS = (
    Action.ASSIGN,
    Action.REPORT_UP,
    Action.SUBMIT_RECTIFICATION,
    Action.VERIFY_ACCEPT,
    Action.VERIFY_REJECT,
    Action.INSTITUTIONALIZE,
    Action.CLOSE_ON_SPOT,
    Action.DISPUTE,
    Action.DECIDE_DISPUTE,
    Action.REOPEN,
)


def with_open_instruction(problems: QuerySet[Problem]) -> QuerySet[Problem]:
    """The problems annotated with `open_instruction`: True when the latest 批示 has had
    no answer since."""
    latest = Subquery(
        ProblemEvent.objects.filter(problem=OuterRef("pk"), action=Action.INSTRUCT)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    answered = ProblemEvent.objects.filter(
        problem=OuterRef("pk"), action__in=ANSWERS, created_at__gte=OuterRef("instructed_at")
    )
    return problems.annotate(instructed_at=latest).annotate(
        open_instruction=ExpressionWrapper(
            Q(instructed_at__isnull=False) & ~Exists(answered), output_field=BooleanField()
        )
    )
