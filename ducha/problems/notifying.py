"""Who hears of a problem's event, and what they read (docs/notifications.md).

The action only registers `after_event` on commit (no query inside it); a worker reads the
event and calls `notices.do_notify`. Every candidate recipient is checked against the
problem's scoping, so nobody is told of a problem they may not open. `sweep` catches up on
events whose hand-over was lost (a dead worker, a broker that was down): the notifications
of an event and its `HandledSource` row are written in one transaction, so an event is done
entirely or not at all, and made twice it is still stored once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts.choices import Role
from ducha.notices.actions import do_notify, is_handled, mark_handled
from ducha.notices.choices import NotificationKind as Kind
from ducha.notices.models import HandledSource
from ducha.notices.publisher import hand_over, in_background
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org
from ducha.problems.choices import Action, DisputeDecision
from ducha.problems.models import Problem, ProblemEvent

log = logging.getLogger(__name__)

SOURCE = "problem-event"

NOTIFIED_ACTIONS = (
    Action.ASSIGN,
    Action.SIGN,
    Action.URGE,
    Action.INSTRUCT,
    Action.SUBMIT_RECTIFICATION,
    Action.VERIFY_REJECT,
    Action.DISPUTE,
    Action.DECIDE_DISPUTE,
    Action.REQUEST_EXTENSION,
    Action.DECIDE_EXTENSION,
    Action.ESCALATE,
)

# The assignments that say which unit holds the problem, and who handed it over.
_ASSIGNING = (Action.ASSIGN, Action.DECIDE_DISPUTE)


# Publishing a message costs about what the lightest action does (docs/performance.md), so
# the events committed within a short window share one: the first schedules the publish, the
# publishing thread waits BATCH_WINDOW for the others, then sends them all as one task.
BATCH_WINDOW = 0.05
_batch: list[int] = []
_batch_lock = threading.Lock()


def after_event(event_id: int) -> None:
    """Hand one committed event to the worker, off the request's path (notices.publisher).
    A broker that refuses is logged, never raised: the action is done, and the sweep makes
    the notifications later."""
    if not settings.DUCHA_NOTIFICATIONS:
        return
    with _batch_lock:
        _batch.append(event_id)
        first = len(_batch) == 1
    if first:
        hand_over(_publish_batch)


def _publish_batch() -> None:
    if in_background():
        time.sleep(BATCH_WINDOW)  # on the publishing thread: the burst gathers meanwhile
    with _batch_lock:
        event_ids = _batch.copy()
        _batch.clear()
    if event_ids:
        notify_events_task.delay(event_ids)


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _users(org_ids: Iterable[int], roles: Iterable[str]) -> list[Any]:
    org_ids = list(org_ids)
    if not org_ids:
        return []
    return list(
        get_user_model()
        .objects.filter(
            is_active=True, memberships__org_id__in=org_ids, memberships__role__in=list(roles)
        )
        .distinct()
    )


def _unit_handlers(unit: Org | None) -> list[Any]:
    # A handler's grant reaches the problems of its org's subtree: the unit and the orgs
    # above it inside the same tree.
    return _users(_path_ids(unit.path), [Role.UNIT_HANDLER]) if unit else []


def _last_assignment(event: ProblemEvent) -> ProblemEvent | None:
    return (
        ProblemEvent.objects.filter(problem_id=event.problem_id, action__in=_ASSIGNING)
        .filter(pk__lt=event.pk)
        .select_related("actor")
        .order_by("-pk")
        .first()
    )


def _office_orgs(problem: Problem, event: ProblemEvent) -> list[int]:
    """The office that handles the problem: the one that assigned it, else the recorder's,
    else the nearest office above the problem's region."""
    assignment = event if event.action in _ASSIGNING else _last_assignment(event)
    for person in (assignment.actor if assignment else None, problem.found_by):
        if person is None:
            continue
        orgs = list(
            person.memberships.filter(role=Role.OFFICE_STAFF, org__kind=OrgKind.OFFICE).values_list(
                "org_id", flat=True
            )
        )
        if orgs:
            return orgs
    regions = _path_ids(problem.region.path)
    offices = Org.objects.filter(kind=OrgKind.OFFICE, parent_id__in=regions)
    nearest = max(offices, key=lambda o: regions.index(o.parent_id or 0), default=None)
    return [nearest.pk] if nearest else []


def _office_staff(problem: Problem, event: ProblemEvent) -> list[Any]:
    return _users(_office_orgs(problem, event), [Role.OFFICE_STAFF])


def _verifiers(problem: Problem, event: ProblemEvent) -> list[Any]:
    team = list(problem.team.members.filter(is_active=True)) if problem.team else []
    return _office_staff(problem, event) + team


def _escalation(problem: Problem, event: ProblemEvent) -> list[Any]:
    targets = [int(pk) for pk in (event.payload or {}).get("escalated_to", []) if str(pk).isdigit()]
    people = _users(targets, [Role.OFFICE_STAFF, Role.LEADER])
    unit = problem.responsible_org
    if unit is not None and unit.parent_id:
        people += _users([unit.parent_id], [Role.UNIT_HANDLER, Role.OFFICE_STAFF, Role.LEADER])
    return people


def _may_see(user: Any, problem: Problem, action: str = "view") -> bool:
    return bool(Problem.objects.roles_on(user, problem.pk, action))


def _dedupe(users: Iterable[Any]) -> list[Any]:
    return list({user.pk: user for user in users}.values())


# --- what each event says -----------------------------------------------------------------


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _params(problem: Problem, event: ProblemEvent) -> dict[str, str]:
    comment = " ".join((event.comment or "").split())
    return {
        "actor": str(event.actor),
        "problem": problem.title,
        "unit": problem.responsible_org.name if problem.responsible_org else "",
        "deadline": _when(problem.deadline),
        "comment": comment[:300] + ("…" if len(comment) > 300 else ""),
    }


Sentence = Callable[[dict[str, str]], str]

# kind → what happened, and what to do next. Functions, so that they are translated in
# each recipient's language when `do_notify` renders them.
SENTENCES: dict[str, tuple[Sentence, Sentence]] = {
    Kind.ASSIGNED: (
        lambda p: _("%(actor)s assigned this problem to %(unit)s; deadline %(deadline)s.") % p,
        lambda p: _("Sign for it, then rectify it and report back before the deadline."),
    ),
    Kind.SIGNED: (
        lambda p: _("%(actor)s signed for this problem for %(unit)s.") % p,
        lambda p: _("Follow the rectification; nothing is needed from you now."),
    ),
    Kind.NOT_SIGNED: (
        lambda p: _("This problem assigned to %(unit)s is not signed for yet.") % p,
        lambda p: _("Sign for it now: the office is waiting."),
    ),
    Kind.URGED: (
        lambda p: _("%(actor)s urged %(unit)s on this problem (deadline %(deadline)s).") % p,
        lambda p: _("Rectify it and report back before the deadline."),
    ),
    Kind.YELLOW: (
        lambda p: _("The deadline of this problem is near: %(deadline)s.") % p,
        lambda p: _("Report the rectification before the deadline."),
    ),
    Kind.OVERDUE: (
        lambda p: _("This problem is past its deadline (%(deadline)s) and not closed.") % p,
        lambda p: _("Report the rectification at once, or ask for an extension with reasons."),
    ),
    Kind.INSTRUCTED: (
        lambda p: _("%(actor)s gave an instruction on this problem.") % p,
        lambda p: _("Read the instruction on the problem's page and act on it."),
    ),
    Kind.RECTIFICATION_SUBMITTED: (
        lambda p: _("%(actor)s reported the rectification for %(unit)s.") % p,
        lambda p: _("Verify the fix, on site where needed: accept it or reject it with reasons."),
    ),
    Kind.REJECTED: (
        lambda p: _("%(actor)s rejected the rectification.") % p,
        lambda p: _("Rectify again and report back before the deadline (%(deadline)s).") % p,
    ),
    Kind.DISPUTED: (
        lambda p: _("%(actor)s of %(unit)s disputed the assignment.") % p,
        lambda p: _("Decide the dispute: uphold the assignment or reassign the problem."),
    ),
    Kind.DISPUTE_DECIDED: (
        lambda p: _("%(actor)s decided the dispute: %(unit)s handles this problem.") % p,
        lambda p: _("Sign for it and rectify it before the deadline (%(deadline)s).") % p,
    ),
    Kind.EXTENSION_REQUESTED: (
        lambda p: _("%(actor)s of %(unit)s asked for a new deadline.") % p,
        lambda p: _("Approve the extension or refuse it with reasons."),
    ),
    Kind.EXTENSION_DECIDED: (
        lambda p: _("%(actor)s decided the extension request; the deadline is %(deadline)s.") % p,
        lambda p: _("Rectify and report back before the deadline."),
    ),
    Kind.ESCALATED: (
        lambda p: _("This problem of %(unit)s is overdue and was escalated to you.") % p,
        lambda p: _("Look into it and press the unit to rectify it."),
    ),
}

# Said to the unit that disputed, when the office moved the problem to another unit: they
# may no longer open it, so the notification carries no link and names no other unit.
MOVED_AWAY: tuple[Sentence, Sentence] = (
    lambda p: _("%(actor)s upheld your dispute: this problem was given to another unit.") % p,
    lambda p: _("Nothing more is needed from your unit."),
)


def _kind(event: ProblemEvent) -> str:
    if event.action == Action.URGE:
        automatic = str((event.payload or {}).get("automatic") or "")
        return {"yellow": Kind.YELLOW, "overdue": Kind.OVERDUE, "unsigned": Kind.NOT_SIGNED}.get(
            automatic, Kind.URGED
        )
    kinds: dict[str, str] = {
        Action.ASSIGN: Kind.ASSIGNED,
        Action.SIGN: Kind.SIGNED,
        Action.INSTRUCT: Kind.INSTRUCTED,
        Action.SUBMIT_RECTIFICATION: Kind.RECTIFICATION_SUBMITTED,
        Action.VERIFY_REJECT: Kind.REJECTED,
        Action.DISPUTE: Kind.DISPUTED,
        Action.DECIDE_DISPUTE: Kind.DISPUTE_DECIDED,
        Action.REQUEST_EXTENSION: Kind.EXTENSION_REQUESTED,
        Action.DECIDE_EXTENSION: Kind.EXTENSION_DECIDED,
        Action.ESCALATE: Kind.ESCALATED,
    }
    return kinds[event.action]


def recipients(problem: Problem, event: ProblemEvent) -> tuple[list[Any], str]:
    """Who is told of the event, and the action whose scoping they must pass."""
    action = event.action
    unit = _unit_handlers(problem.responsible_org)
    if action in (
        Action.ASSIGN,
        Action.URGE,
        Action.VERIFY_REJECT,
        Action.DECIDE_DISPUTE,
        Action.DECIDE_EXTENSION,
    ):
        return unit, "view"
    if action == Action.SIGN:
        assignment = _last_assignment(event)
        return ([assignment.actor] if assignment else []), "view"
    if action == Action.INSTRUCT:
        return unit + _office_staff(problem, event), "view"
    if action == Action.SUBMIT_RECTIFICATION:
        return _verifiers(problem, event), Action.VERIFY_ACCEPT
    if action == Action.DISPUTE:
        return _office_staff(problem, event), Action.DECIDE_DISPUTE
    if action == Action.REQUEST_EXTENSION:
        return _office_staff(problem, event), Action.DECIDE_EXTENSION
    if action == Action.ESCALATE:
        return _escalation(problem, event), "view"
    return [], "view"


def _former_unit(event: ProblemEvent) -> Org | None:
    """On a reassigning decision, the unit that held the problem before it."""
    if (event.payload or {}).get("decision") != DisputeDecision.REASSIGN:
        return None
    before = _last_assignment(event)
    org_id = (before.payload or {}).get("responsible_org") if before else None
    return Org.objects.filter(pk=org_id).first() if org_id else None


def notify_event(event_id: int) -> int:
    """Make the notifications of one event, once. Returns how many were stored."""
    with transaction.atomic():
        if is_handled(SOURCE, event_id):
            return 0
        event = ProblemEvent.objects.select_related("actor", "problem").filter(pk=event_id).first()
        if event is None:
            # Not in this database (a message meant for another one, or a transaction that
            # rolled back): marking the id would silence the event that takes it later.
            return 0
        made = _notify(event) if event.action in NOTIFIED_ACTIONS else 0
        mark_handled(SOURCE, event_id)
    return made


def _notify(event: ProblemEvent) -> int:
    problem = Problem.objects.select_related("responsible_org", "region", "found_by").get(
        pk=event.problem_id
    )
    candidates, action = recipients(problem, event)
    people = [u for u in _dedupe(candidates) if u.pk != event.actor_id]
    people = [u for u in people if _may_see(u, problem, action)]
    kind = _kind(event)
    params = _params(problem, event)
    what, next_step = SENTENCES[kind]
    common: dict[str, Any] = {
        "actor": event.actor,
        "subject_type": "problem",
        "subject_id": problem.pk,
        "source_key": f"{SOURCE}:{event.pk}",
    }
    made = len(
        do_notify(
            recipients=people,
            kind=kind,
            title=lambda: _("%(kind)s: %(problem)s") % {"kind": Kind(kind).label, **params},
            body=lambda: what(params),
            next_step=lambda: next_step(params),
            url=reverse("problems:detail", args=[problem.pk]),
            **common,
        )
    )
    former = _former_unit(event) if event.action == Action.DECIDE_DISPUTE else None
    if former is not None:
        told = {u.pk for u in people}
        moved = [u for u in _unit_handlers(former) if u.pk not in told]
        gone, nothing = MOVED_AWAY
        made += len(
            do_notify(
                recipients=moved,
                kind=kind,
                title=lambda: _("%(kind)s: %(problem)s") % {"kind": Kind(kind).label, **params},
                body=lambda: gone(params),
                next_step=lambda: nothing(params),
                **common,
            )
        )
    return made


def sweep(now: Any = None, limit: int = 500) -> int:
    """Make what is missing for the recent events of the notified kinds: those whose
    hand-over was lost. Oldest first, at most `limit` per run. Returns how many events."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.DUCHA_NOTIFY_SWEEP_HOURS)
    # A window by the event's time, not a cursor: an event that commits late (a long
    # transaction) is still found on the next run.
    handled = HandledSource.objects.filter(source=SOURCE).values("object_id")
    pending = (
        ProblemEvent.objects.filter(created_at__gte=since, action__in=NOTIFIED_ACTIONS)
        .exclude(pk__in=handled)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    for event_id in list(pending):
        try:
            notify_event(event_id)
            done += 1
        except Exception:
            log.exception("could not make the notifications of problem event %s", event_id)
    return done


# The worker's entry points (problems/tasks.py names them for Celery's discovery).
NOTIFY_EVENT = "problems.notify_event"
NOTIFY_EVENTS = "problems.notify_events"
# A batch holds what commits within BATCH_WINDOW; more than this is the sweep's to make.
MAX_BATCH = 10_000
SWEEP_NOTIFICATIONS = "problems.sweep_notifications"


@shared_task(name=NOTIFY_EVENT)
def notify_event_task(event_id: int) -> int:
    return notify_event(event_id)


@shared_task(name=NOTIFY_EVENTS)
def notify_events_task(event_ids: list[int]) -> int:
    # Each event in its own transaction: one that fails leaves the others made (the sweep
    # retries it).
    made = 0
    for event_id in event_ids[:MAX_BATCH]:
        try:
            made += notify_event(int(event_id))
        except Exception:
            log.exception("notifications of problem event %s failed", event_id)
    return made


@shared_task(name=SWEEP_NOTIFICATIONS)
def sweep_notifications_task() -> int:
    if not settings.DUCHA_NOTIFICATIONS:
        return 0
    return sweep()
