"""Ticks on the office's meeting agenda: which items the meeting has taken.

The agenda is read by the daily layer; the meeting it prepares is field work's (`Meeting`),
and so are its ticks. Whoever may record the office's meetings ticks its agenda.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput
from ducha.fieldwork.choices import FieldAction
from ducha.fieldwork.choosers import acting_orgs
from ducha.fieldwork.models import AgendaTick, FieldEvent
from ducha.orgs.models import Org
from ducha.problems.models import Problem

TICK, UNTICK = "tick_agenda", "untick_agenda"


def ticked_ids(office: Org, day: date) -> set[int]:
    """The problems ticked on the office's agenda of that day."""
    return set(
        AgendaTick.objects.filter(office=office, day=day).values_list("problem_id", flat=True)
    )


@transaction.atomic
def do_tick_agenda_item(
    *, acting_user: Any, office: Org, day: date, problem: Problem, ticked: bool
) -> bool:
    """Mark one agenda item discussed (or not) for the office's meeting of `day`. Returns
    whether anything changed; a tick that is already there is not written twice."""
    if not acting_orgs(acting_user, FieldAction.RECORD_MEETING).filter(pk=office.pk).exists():
        raise PermissionDenied(_("Only the office that holds the meeting ticks its agenda."))
    if day > timezone.localdate():
        raise InvalidInput(_("A meeting is recorded after it was held."), "day")
    if not Problem.objects.visible_to(acting_user).filter(pk=problem.pk).exists():
        raise InvalidInput(_("Not found in your jurisdiction."), "problem")
    existing = AgendaTick.objects.select_for_update().filter(
        office=office, day=day, problem=problem
    )
    if ticked == existing.exists():
        return False
    if ticked:
        try:
            with transaction.atomic():
                AgendaTick.objects.create(
                    office=office, day=day, problem=problem, ticked_by=acting_user
                )
        except IntegrityError:
            # Someone else ticked it at the same moment: it is ticked, once.
            return False
    else:
        existing.delete()
    FieldEvent.objects.create(
        actor=acting_user,
        action=TICK if ticked else UNTICK,
        payload={"office": office.pk, "day": day.isoformat(), "problem": problem.pk},
    )
    return True
