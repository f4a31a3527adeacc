"""延期申请 and 延期审批: a unit asks for a later deadline, an office of the problem's scope
grants or refuses it.

At most one request waits per problem (a partial unique constraint backs the check made on
the locked problem). An approval moves the deadline through `Problem.set_deadline`, so the
light and the rollups follow it as for any other new deadline; its event records the new
deadline and yellow moment, which is what a replay of the log reads.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput, TransitionRefused
from ducha.core.text import LONG, text_error
from ducha.problems.actions import _deadline, _lock, _record, moment
from ducha.problems.choices import Action
from ducha.problems.models import Extension, ExtensionState, Problem


def _text(value: str, field: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("This field is required."), field)
    if (message := text_error(value, max_length=LONG)) is not None:
        raise InvalidInput(message, field)
    return value


def _later_deadline(deadline: datetime | None, problem: Problem, now: datetime) -> datetime:
    if deadline is None:
        raise InvalidInput(_("Give the new deadline."), "deadline")
    if deadline <= now:
        raise InvalidInput(_("The deadline must be in the future."), "deadline")
    if deadline <= problem.deadline:
        raise InvalidInput(
            _("The new deadline must be after the current one (%(deadline)s).")
            % {"deadline": timezone.localtime(problem.deadline).strftime("%Y-%m-%d %H:%M")},
            "deadline",
        )
    return deadline


def pending_extension(problem: Problem) -> Extension | None:
    return problem.extensions.filter(state=ExtensionState.REQUESTED).first()


def _window_start(problem: Problem) -> datetime:
    """Where the current deadline's window began, read back from its yellow moment: an
    extended window keeps its start, so the light turns yellow at the same share of it."""
    share = settings.DUCHA_YELLOW_SHARE
    if share <= 0 or problem.yellow_at >= problem.deadline:
        return problem.found_at
    return problem.deadline - (problem.deadline - problem.yellow_at) / share


def _days(later: datetime, earlier: datetime) -> Decimal:
    return Decimal(str(round((later - earlier) / timedelta(days=1), 1)))


@transaction.atomic
def do_request_extension(
    problem: Problem,
    *,
    acting_user: Any,
    deadline: datetime | None,
    reason: str,
    expected_version: int | None = None,
) -> Problem:
    """延期申请: the unit asks for a later deadline, with its reasons."""
    problem, before = _lock(problem, Action.REQUEST_EXTENSION, expected_version)
    now = timezone.now()
    deadline = _later_deadline(deadline, problem, now)
    reason = _text(reason, "reason", required=True)
    if pending_extension(problem) is not None:
        raise TransitionRefused(_("An extension request for this problem already waits."))
    extension = Extension.objects.create(
        problem=problem,
        requested_by=acting_user,
        requested_at=now,
        current_deadline=problem.deadline,
        requested_deadline=deadline,
        reason=reason,
    )
    problem.save(update_fields=["version", "updated_at"])
    _record(
        problem,
        before,
        acting_user,
        Action.REQUEST_EXTENSION,
        problem.state,
        reason,
        at=now,
        extension=extension.pk,
        current_deadline=moment(extension.current_deadline),
        requested_deadline=moment(deadline),
        days_requested=str(_days(deadline, extension.current_deadline)),
    )
    return problem


@transaction.atomic
def do_decide_extension(
    problem: Problem,
    *,
    acting_user: Any,
    approve: bool,
    comment: str = "",
    deadline: datetime | None = None,
    expected_version: int | None = None,
) -> Problem:
    """延期审批: approve (the requested deadline, or the office's own) or refuse with reasons."""
    problem, before = _lock(problem, Action.DECIDE_EXTENSION, expected_version)
    extension = (
        Extension.objects.select_for_update()
        .filter(problem=problem, state=ExtensionState.REQUESTED)
        .first()
    )
    if extension is None:
        raise TransitionRefused(_("No extension request waits for a decision on this problem."))
    now = timezone.now()
    comment = _text(comment, "comment", required=not approve)
    payload: dict[str, Any] = {"extension": extension.pk, "approved": approve}
    if approve:
        granted = _later_deadline(deadline or extension.requested_deadline, problem, now)
        days = _days(granted, problem.deadline)
        problem.set_deadline(granted, start=_window_start(problem))
        extension.state = ExtensionState.APPROVED
        extension.granted_deadline = granted
        extension.days_granted = days
        payload |= {**_deadline(problem), "days_granted": str(days)}
    elif deadline is not None:
        raise InvalidInput(_("A refusal keeps the current deadline; leave it empty."), "deadline")
    else:
        extension.state = ExtensionState.REFUSED
    extension.decided_by = acting_user
    extension.decided_at = now
    extension.decision_comment = comment
    extension.save()
    problem.save(update_fields=["deadline", "yellow_at", "version", "updated_at"])
    _record(
        problem, before, acting_user, Action.DECIDE_EXTENSION, problem.state, comment, **payload
    )
    return problem
