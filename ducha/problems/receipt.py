"""签收: the responsible unit acknowledges that a problem reached it.

Once per assignment: `signed_at` is cleared whenever the problem goes to a unit anew
(`actions.goes_to_unit`). Where the clock starts is a setting (DUCHA_CLOCK_STARTS): from the
assignment, so that a unit gains nothing by not signing, or from the signing, in which case
the deadline and the yellow moment move on by the time the problem waited to be signed for.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.errors import TransitionRefused
from ducha.problems.actions import _deadline, _lock, _record
from ducha.problems.choices import Action
from ducha.problems.models import Problem

CLOCK_FROM_SIGNING = "signing"


def clock_starts_at_signing() -> bool:
    return settings.DUCHA_CLOCK_STARTS == CLOCK_FROM_SIGNING


@transaction.atomic
def do_sign(problem: Problem, *, acting_user: Any, expected_version: int | None = None) -> Problem:
    """签收: the unit handler signs for the problem assigned to their unit."""
    problem, before = _lock(problem, Action.SIGN, expected_version)
    if problem.signed_at is not None:
        raise TransitionRefused(
            _("Your unit already signed for this problem on %(moment)s.")
            % {"moment": timezone.localtime(problem.signed_at).strftime("%Y-%m-%d %H:%M")}
        )
    now = timezone.now()
    problem.signed_at = now
    waited = max(now - (problem.assigned_at or now), timedelta(0))
    payload: dict[str, Any] = {"waited_seconds": int(waited.total_seconds())}
    if clock_starts_at_signing() and waited:
        # The window keeps its length and its share of yellow; it only starts later.
        problem.deadline += waited
        problem.yellow_at += waited
        payload |= _deadline(problem)
    problem.save(update_fields=["signed_at", "deadline", "yellow_at", "version", "updated_at"])
    _record(problem, before, acting_user, Action.SIGN, problem.state, at=now, **payload)
    return problem
