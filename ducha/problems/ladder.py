"""督 by itself: the escalation ladder that chases assigned problems as their clock runs.

A pass (`chase`, run by the scheduler every few minutes and by `manage.py chase_problems`)
takes each due step once per problem and deadline, in this order:

1. unsigned: not signed for (签收) `DUCHA_SIGN_REMINDER_HOURS` after the assignment → 督;
2. yellow: the light turned yellow → 督;
3. overdue: the deadline passed → 督 (催办), with a numbered 催办通知书 when the assigning
   office wants one (`Org.urge_notices`, issued by documents through `hooks`);
4. escalate: `DUCHA_ESCALATE_AFTER_HOURS` after the deadline → 升级 to the unit's superior org
   and to the office above the assigning office.

Only ASSIGNED problems are chased: a disputed problem has no running clock, a rectified one
waits for the office, a closed one is done. Each step is one action (`do_auto_urge`,
`do_escalate`) that locks the problem's row, checks again that the step is due, and writes its
event and its `ChaseStep` row in one transaction: the unique (problem, step, deadline) row is
what makes a step happen once, whatever restarts or concurrent passes. A new deadline
(extension, reopening, a dispute decided with one) is a new key, so its steps are due again.

The walk reads the problems in batches along an index (`deadline` or `yellow_at`, then `pk`),
keyset-paged, so memory stays bounded at any table size; what a pass may look at is bounded by
`DUCHA_LADDER_LOOKBACK_HOURS`, so an old database never floods anyone.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ducha.accounts.choices import Role
from ducha.accounts.system import system_user
from ducha.core.errors import TransitionRefused
from ducha.orgs.choices import LEVEL_FIELDS, OrgKind, RegionLevel
from ducha.orgs.models import Org
from ducha.problems import hooks
from ducha.problems.actions import _deadline, _lock, _record
from ducha.problems.choices import Action, ChaseStepKind, State
from ducha.problems.models import ChaseStep, Problem, ProblemEvent

log = logging.getLogger(__name__)

# The actions that hand a problem to its unit (again): the sign reminder counts from the last.
ASSIGNING = (Action.ASSIGN, Action.DECIDE_DISPUTE, Action.REOPEN)


def sign_reminder_hours() -> float:
    # The signing work owns this setting; the ladder only reads it.
    return float(getattr(settings, "DUCHA_SIGN_REMINDER_HOURS", 2))


def _hours(value: float) -> timedelta:
    return timedelta(hours=value)


def _assigned_by(cutoff: datetime) -> Q:
    """Problems whose last assignment happened at or before `cutoff`."""
    assigning = ProblemEvent.objects.filter(problem=OuterRef("pk"), action__in=ASSIGNING)
    return Q(Exists(assigning.filter(created_at__lte=cutoff))) & ~Q(
        Exists(assigning.filter(created_at__gt=cutoff))
    )


@dataclass(frozen=True)
class Step:
    kind: str
    setting: str
    # The column the walk follows (indexed, with `pk` after it).
    key: str
    # The problems (ASSIGNED, within the look-back) for which the step is due at `now`.
    due: Callable[[datetime, timedelta], Q]

    @property
    def enabled(self) -> bool:
        return bool(getattr(settings, self.setting, True))


def _unsigned(now: datetime, lookback: timedelta) -> Q:
    return Q(signed_at__isnull=True, deadline__gt=now - lookback) & _assigned_by(
        now - _hours(sign_reminder_hours())
    )


def _yellow(now: datetime, lookback: timedelta) -> Q:
    # Straight past yellow into red (the ladder was stopped): the overdue step speaks instead.
    return Q(yellow_at__lte=now, yellow_at__gt=now - lookback, deadline__gt=now)


def _overdue(now: datetime, lookback: timedelta) -> Q:
    return Q(deadline__lte=now, deadline__gt=now - lookback)


def _escalate(now: datetime, lookback: timedelta) -> Q:
    moment = now - _hours(settings.DUCHA_ESCALATE_AFTER_HOURS)
    return Q(deadline__lte=moment, deadline__gt=moment - lookback)


STEPS = (
    Step(ChaseStepKind.UNSIGNED, "DUCHA_LADDER_UNSIGNED", "deadline", _unsigned),
    Step(ChaseStepKind.YELLOW, "DUCHA_LADDER_YELLOW", "yellow_at", _yellow),
    Step(ChaseStepKind.OVERDUE, "DUCHA_LADDER_OVERDUE", "deadline", _overdue),
    Step(ChaseStepKind.ESCALATE, "DUCHA_LADDER_ESCALATE", "deadline", _escalate),
)
STEP_BY_KIND = {step.kind: step for step in STEPS}


def _lookback() -> timedelta:
    return _hours(settings.DUCHA_LADDER_LOOKBACK_HOURS)


def _still_due(problem: Problem, step: str, deadline: datetime, now: datetime) -> bool:
    """The step is due on the locked row and not taken yet: the walk read the row before
    it was locked, and another pass may have taken the step since (one query)."""
    if problem.state != State.ASSIGNED or problem.deadline != deadline:
        return False
    condition = Q(pk=problem.pk, state=State.ASSIGNED) & STEP_BY_KIND[step].due(now, _lookback())
    return Problem.objects.filter(condition).exclude(Exists(_taken(step))).exists()


def _taken(step: str) -> Any:
    """The step's row for the outer problem and its current deadline."""
    return ChaseStep.objects.filter(
        problem=OuterRef("pk"), step=step, deadline=OuterRef("deadline")
    )


def _keep_step(problem: Problem, step: str, deadline: datetime, now: datetime, event: Any) -> None:
    ChaseStep.objects.create(
        problem=problem, step=step, deadline=deadline, taken_at=now, event=event
    )


# --- who: the assigning office, the office above, the unit's superior ---------------------


def _office_of_region(region_id: int | None) -> Org | None:
    if region_id is None:
        return None
    return Org.objects.filter(kind=OrgKind.OFFICE, parent_id=region_id).order_by("pk").first()


def _reaches(office: Org, problem: Problem) -> bool:
    """Whether the problem lies in the office's region."""
    found = office.region_id_and_level
    if found is None:
        return False
    region_id, level = found
    return bool(getattr(problem, f"{LEVEL_FIELDS[RegionLevel(level)]}_id") == region_id)


def assigning_office(problem: Problem) -> Org | None:
    """The office that handed the problem to its unit: the office of the last assignment's
    author whose region holds the problem (the nearest), else the office of the unit's region."""
    last = (
        ProblemEvent.objects.filter(problem=problem, action__in=ASSIGNING)
        .order_by("-created_at", "-pk")
        .values_list("actor_id", flat=True)
        .first()
    )
    if last is not None:
        offices = Org.objects.filter(
            kind=OrgKind.OFFICE, memberships__user_id=last, memberships__role=Role.OFFICE_STAFF
        ).order_by("-depth", "pk")
        for office in offices:
            if _reaches(office, problem):
                return office
    unit = problem.responsible_org
    located = unit.region_id_and_level if unit is not None else None
    return _office_of_region(located[0] if located else None)


def office_above(office: Org | None) -> Org | None:
    """The supervision office of the region above the office's own."""
    if office is None or office.parent is None:
        return None
    return _office_of_region(office.parent.parent_id)


def escalation_targets(problem: Problem) -> tuple[Org | None, Org | None]:
    """The unit's superior org (its parent in the tree) and the office above the assigner."""
    unit = problem.responsible_org
    superior = unit.parent if unit is not None else None
    return superior, office_above(assigning_office(problem))


# --- the actions ----------------------------------------------------------------------------


@transaction.atomic
def do_auto_urge(
    problem: Problem,
    *,
    acting_user: Any,
    step: str,
    deadline: datetime,
    now: datetime | None = None,
) -> ProblemEvent | None:
    """督 by the ladder: one reminder for `step` of the problem's `deadline`, or None when
    the locked row shows it is not (or no longer) due, or already taken."""
    now = now or timezone.now()
    try:
        locked, before = _lock(problem, Action.URGE)
    except TransitionRefused:
        return None
    if not _still_due(locked, step, deadline, now):
        return None
    payload: dict[str, Any] = {"automatic": step, "light": locked.light_at(now)}
    if step == ChaseStepKind.OVERDUE:
        office = assigning_office(locked)
        if office is not None and office.urge_notices:
            payload |= hooks.issue_urge_notice(
                locked, office=office, acting_user=acting_user, now=now
            )
    locked.save(update_fields=["version", "updated_at"])
    event = _record(
        locked,
        before,
        acting_user,
        Action.URGE,
        locked.state,
        at=now,
        **payload,
        **_deadline(locked),
    )
    _keep_step(locked, step, deadline, now, event)
    return event


@transaction.atomic
def do_escalate(
    problem: Problem, *, acting_user: Any, deadline: datetime, now: datetime | None = None
) -> ProblemEvent | None:
    """升级 by the ladder: the overdue problem goes before the unit's superior org and the
    office above; they find it in their queues. None when not (or no longer) due."""
    now = now or timezone.now()
    step = ChaseStepKind.ESCALATE
    try:
        locked, before = _lock(problem, Action.ESCALATE)
    except TransitionRefused:
        return None
    if not _still_due(locked, step, deadline, now):
        return None
    superior, office = escalation_targets(locked)
    targets = [org for org in (superior, office) if org is not None]
    locked.escalated_at = now
    locked.escalated_to = superior
    locked.escalated_office = office
    locked.save(
        update_fields=["escalated_at", "escalated_to", "escalated_office", "version", "updated_at"]
    )
    event = _record(
        locked,
        before,
        acting_user,
        Action.ESCALATE,
        locked.state,
        at=now,
        escalated_to=[org.pk for org in targets],
        escalated_to_names=[org.name for org in targets],
        light=locked.light_at(now),
        **_deadline(locked),
    )
    _keep_step(locked, step, deadline, now, event)
    return event


def take_step(
    problem: Problem, step: str, *, acting_user: Any, now: datetime
) -> ProblemEvent | None:
    if step == ChaseStepKind.ESCALATE:
        return do_escalate(problem, acting_user=acting_user, deadline=problem.deadline, now=now)
    return do_auto_urge(
        problem, acting_user=acting_user, step=step, deadline=problem.deadline, now=now
    )


# --- the walk -------------------------------------------------------------------------------


def due_problems(step: Step, now: datetime) -> Any:
    """The ASSIGNED problems for which `step` is due and not yet taken for their deadline."""
    return (
        Problem.objects.filter(state=State.ASSIGNED)
        .filter(step.due(now, _lookback()))
        .exclude(Exists(_taken(step.kind)))
    )


def _batches(step: Step, now: datetime, size: int) -> Any:
    """The due problems a batch at a time, keyset-paged along (key, pk)."""
    after: tuple[Any, int] | None = None
    while True:
        rows = due_problems(step, now)
        if after is not None:
            key, pk = after
            rows = rows.filter(Q(**{f"{step.key}__gt": key}) | Q(**{step.key: key}, pk__gt=pk))
        batch = list(
            rows.select_related(None)
            .order_by(step.key, "pk")
            .only("pk", "deadline", "yellow_at", "state")[:size]
        )
        if not batch:
            return
        yield batch
        last = batch[-1]
        after = (getattr(last, step.key), last.pk)
        if len(batch) < size:
            return


def chase(now: datetime | None = None, *, batch: int | None = None) -> dict[str, int]:
    """One pass of the ladder: every due step taken once. Returns how many of each were
    taken (and how many failed: logged, retried by the next pass)."""
    now = now or timezone.now()
    size = batch or settings.DUCHA_LADDER_BATCH
    actor = system_user()
    counts: Counter[str] = Counter()
    for step in STEPS:
        if not step.enabled:
            continue
        for problems in _batches(step, now, size):
            for problem in problems:
                try:
                    taken = take_step(problem, step.kind, acting_user=actor, now=now)
                except Exception:
                    # One problem's failure (say, its notice could not be written) must not
                    # stop the others; nothing of it was kept, so the next pass tries again.
                    log.exception("Ladder step %s failed on problem %s", step.kind, problem.pk)
                    counts["failed"] += 1
                    continue
                if taken is not None:
                    counts[step.kind] += 1
    return dict(counts)
