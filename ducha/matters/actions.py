"""Every state change of a batch of matters and of its handovers. Atomic; one immutable
event row per call; the offices concerned are told (docs/matters.md).

Callers (pages, API) reach a handover through `access_handover(user, id, action)` first;
these functions check what only they can: the state of the locked row and the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.dates import date_error
from ducha.core.errors import InvalidInput, StaleVersion, TransitionRefused
from ducha.core.text import LONG, TITLE, clean_text
from ducha.matters import choosers
from ducha.matters.choices import (
    ALLOWED_FROM,
    MAX_MATTERS,
    MAX_OFFICES,
    MAX_UNITS,
    HandoverState,
    MatterAction,
    SourceKind,
)
from ducha.matters.models import Matter, MatterBatch, MatterEvent, MatterHandover, MatterProblem
from ducha.matters.notify import notify, staff_of
from ducha.notices.choices import NotificationKind
from ducha.orgs.models import Org
from ducha.problems import actions as loop
from ducha.problems.choices import State
from ducha.problems.models import FocusArea, Problem


@dataclass(frozen=True)
class MatterInput:
    title: str
    deadline: date
    description: str = ""


def _date(value: date, field: str) -> None:
    message = date_error(value)
    if message is not None:
        raise InvalidInput(message, field)


def _record(
    batch: MatterBatch,
    acting_user: Any,
    action: str,
    handover: MatterHandover | None = None,
    from_state: str = "",
    comment: str = "",
    **payload: Any,
) -> MatterEvent:
    return MatterEvent.objects.create(
        batch=batch,
        handover=handover,
        actor=acting_user,
        action=action,
        from_state=from_state,
        to_state=handover.state if handover is not None else "",
        comment=comment,
        payload=payload,
    )


def stale_version() -> StaleVersion:
    return StaleVersion(_("The matter has changed since you opened it; reload it and try again."))


def _lock(
    handover: MatterHandover, action: str, expected_version: int | None = None
) -> MatterHandover:
    """The handover's row, locked; refused when the caller read another version of it."""
    locked = (
        MatterHandover.objects.select_for_update()
        .select_related("matter__batch", "office")
        .get(pk=handover.pk)
    )
    if expected_version is not None and expected_version != locked.version:
        raise stale_version()
    locked.version += 1
    if locked.state not in ALLOWED_FROM[action]:
        raise TransitionRefused(
            _("“%(action)s” is not possible while the matter is “%(state)s”.")
            % {
                "action": MatterAction(action).label,
                "state": HandoverState(locked.state).label,
            }
        )
    return locked


def batch_label(batch: MatterBatch) -> str:
    return _("%(office)s %(year)s No. %(number)s: %(title)s") % {
        "office": batch.issuing_office.name,
        "year": batch.year,
        "number": batch.number,
        "title": batch.title,
    }


def _batch_url(batch: MatterBatch) -> str:
    return reverse("matters:detail", args=[batch.pk])


def _check_matters(matters: Sequence[MatterInput], issued_on: date) -> list[MatterInput]:
    if not matters:
        raise InvalidInput(_("List at least one matter."), "matters")
    if len(matters) > MAX_MATTERS:
        raise InvalidInput(
            _("A batch holds at most %(count)s matters.") % {"count": MAX_MATTERS}, "matters"
        )
    checked = []
    for matter in matters:
        title = clean_text(matter.title, "matters", max_length=TITLE, required=True, one_line=True)
        description = clean_text(
            matter.description, "matters", max_length=LONG, required=False, one_line=False
        )
        _date(matter.deadline, "matters")
        if matter.deadline <= issued_on:
            raise InvalidInput(
                _("The deadline of “%(title)s” must be after the batch's date.") % {"title": title},
                "matters",
            )
        checked.append(MatterInput(title=title, deadline=matter.deadline, description=description))
    return checked


def _check_offices(offices: Sequence[Org], issuing_office: Org) -> list[Org]:
    if not offices:
        raise InvalidInput(_("Choose at least one office."), "offices")
    unique = list({office.pk: office for office in offices}.values())
    if len(unique) > MAX_OFFICES:
        raise InvalidInput(
            _("Hand a batch to at most %(count)s offices.") % {"count": MAX_OFFICES}, "offices"
        )
    allowed = set(
        choosers.lower_offices(issuing_office)
        .filter(pk__in=[o.pk for o in unique])
        .values_list("pk", flat=True)
    )
    if len(allowed) != len(unique):
        raise choosers.OFFICES.refusal()
    return unique


@transaction.atomic
def do_hand_down_batch(
    *,
    acting_user: Any,
    issuing_office: Org,
    offices: Sequence[Org],
    title: str,
    source_kind: str,
    issued_on: date,
    matters: Sequence[MatterInput],
    source_text: str = "",
) -> MatterBatch:
    """交办: a higher office hands a batch of matters to lower offices of its jurisdiction."""
    choosers.ISSUING_OFFICE.check(issuing_office, acting_user)
    title = clean_text(title, "title", max_length=TITLE, required=True, one_line=True)
    if source_kind not in SourceKind.values:
        raise InvalidInput(_("Choose where the matters come from."), "source_kind")
    source_text = clean_text(
        source_text, "source_text", max_length=LONG, required=False, one_line=False
    )
    _date(issued_on, "issued_on")
    if issued_on > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), "issued_on")
    offices = _check_offices(offices, issuing_office)
    checked = _check_matters(matters, issued_on)
    # The issuing office's row is the lock that numbers its batches one after another.
    Org.objects.select_for_update().filter(pk=issuing_office.pk).first()
    year = issued_on.year
    last = MatterBatch.objects.filter(issuing_office=issuing_office, year=year).aggregate(
        last=Max("number")
    )["last"]
    batch = MatterBatch.objects.create(
        issuing_office=issuing_office,
        year=year,
        number=(last or 0) + 1,
        source_kind=source_kind,
        source_text=source_text,
        issued_on=issued_on,
        title=title,
        created_by=acting_user,
    )
    made = Matter.objects.bulk_create(
        Matter(
            batch=batch,
            position=position,
            title=matter.title,
            description=matter.description,
            deadline=matter.deadline,
        )
        for position, matter in enumerate(checked, 1)
    )
    MatterHandover.objects.bulk_create(
        MatterHandover(matter=matter, office=office) for matter in made for office in offices
    )
    event = _record(
        batch,
        acting_user,
        MatterAction.HAND_DOWN,
        number=batch.number,
        year=year,
        offices=[office.pk for office in offices],
        matters=[
            {"position": m.position, "title": m.title, "deadline": m.deadline.isoformat()}
            for m in made
        ],
    )
    notify(
        recipients=staff_of(offices),
        kind=NotificationKind.MATTER_HANDED_DOWN,
        title=batch_label(batch),
        body=_("%(count)s matters handed down to your office.") % {"count": len(made)},
        next_step=_("Sign for them, break them down to units and report back."),
        url=_batch_url(batch),
        actor=acting_user,
        subject_type="matter_batch",
        subject_id=batch.pk,
        source_key=f"matter-event:{event.pk}",
    )
    return batch


@transaction.atomic
def do_sign_matter(
    handover: MatterHandover, *, acting_user: Any, expected_version: int | None = None
) -> MatterHandover:
    """签收: the receiving office acknowledges the matter."""
    handover = _lock(handover, MatterAction.SIGN, expected_version)
    from_state = handover.state
    handover.state = HandoverState.SIGNED
    handover.signed_at = timezone.now()
    handover.signed_by = acting_user
    handover.save(update_fields=["state", "signed_at", "signed_by", "version"])
    _record(handover.matter.batch, acting_user, MatterAction.SIGN, handover, from_state)
    return handover


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


@transaction.atomic
def do_break_down(
    handover: MatterHandover,
    *,
    acting_user: Any,
    units: Sequence[Org],
    focus_area: FocusArea,
    comment: str = "",
    expected_version: int | None = None,
) -> list[Problem]:
    """Break a matter down: one problem per unit, recorded and assigned (交) through the
    loop's own actions, so that each is reported, verified and closed like any other."""
    handover = _lock(handover, MatterAction.BREAK_DOWN, expected_version)
    comment = clean_text(comment, "comment", max_length=LONG, required=False, one_line=False)
    if not units:
        raise InvalidInput(_("Choose at least one unit."), "units")
    units = list({unit.pk: unit for unit in units}.values())
    if len(units) > MAX_UNITS:
        raise InvalidInput(
            _("Choose at most %(count)s units at a time.") % {"count": MAX_UNITS}, "units"
        )
    for unit in units:
        choosers.UNITS.check(unit, acting_user, handover.office)
    region = handover.office.region
    if region is None:
        raise InvalidInput(_("The office belongs to no region."), "units")
    matter = handover.matter
    # The matter's own deadline, while it still lies ahead; else the focus area's window.
    deadline: datetime | None = _end_of(matter.deadline)
    if deadline is not None and deadline <= timezone.now():
        deadline = None
    problems = []
    for unit in units:
        problem = loop.do_create_problem(
            acting_user=acting_user,
            title=matter.title,
            description=matter.description,
            region=region,
            focus_area=focus_area,
            source={"matter": matter.pk, "handover": handover.pk},
        )
        try:
            problem = loop.do_assign(
                problem, acting_user=acting_user, responsible_org=unit, deadline=deadline
            )
        except InvalidInput as error:
            error.field = "units"
            raise
        MatterProblem.objects.create(handover=handover, problem=problem)
        problems.append(problem)
    from_state = handover.state
    handover.state = HandoverState.IN_PROGRESS
    handover.save(update_fields=["state", "version"])
    _record(
        matter.batch,
        acting_user,
        MatterAction.BREAK_DOWN,
        handover,
        from_state,
        comment,
        problems=[problem.pk for problem in problems],
        units=[unit.pk for unit in units],
    )
    return problems


def open_problems(handover: MatterHandover) -> int:
    return (
        Problem.objects.filter(pk__in=handover.links.values("problem"))
        .exclude(state=State.CLOSED)
        .count()
    )


@transaction.atomic
def do_report_matter(
    handover: MatterHandover,
    *,
    acting_user: Any,
    text: str,
    reason: str = "",
    expected_version: int | None = None,
) -> MatterHandover:
    """办结报告: the receiving office reports the matter done. While problems made of it are
    still open, the report needs a reason why it is sent anyway (a matter can be done before
    every unit's fix is verified, but the office above is told so)."""
    handover = _lock(handover, MatterAction.REPORT, expected_version)
    text = clean_text(text, "text", max_length=LONG, required=True, one_line=False)
    reason = clean_text(reason, "reason", max_length=LONG, required=False, one_line=False)
    still_open = open_problems(handover)
    if still_open and not reason:
        raise InvalidInput(
            _("%(count)s problems of this matter are still open: say why you report now.")
            % {"count": still_open},
            "reason",
        )
    from_state = handover.state
    handover.state = HandoverState.REPORTED
    handover.report_text = text
    handover.reported_at = timezone.now()
    handover.reported_by = acting_user
    handover.save(update_fields=["state", "report_text", "reported_at", "reported_by", "version"])
    batch = handover.matter.batch
    event = _record(
        batch,
        acting_user,
        MatterAction.REPORT,
        handover,
        from_state,
        text,
        reason=reason,
        open_problems=still_open,
    )
    notify(
        recipients=staff_of([batch.issuing_office]),
        kind=NotificationKind.MATTER_REPORTED,
        title=handover.matter.title,
        body=_("%(office)s reported the matter done.") % {"office": handover.office.name},
        next_step=_("Read the report in the batch's progress."),
        url=_batch_url(batch),
        actor=acting_user,
        subject_type="matter_handover",
        subject_id=handover.pk,
        source_key=f"matter-event:{event.pk}",
    )
    return handover


@transaction.atomic
def do_urge_matter(
    handover: MatterHandover,
    *,
    acting_user: Any,
    comment: str = "",
    expected_version: int | None = None,
) -> MatterHandover:
    """督: the issuing office (or one above it) presses the receiving office."""
    handover = _lock(handover, MatterAction.URGE, expected_version)
    comment = clean_text(comment, "comment", max_length=LONG, required=False, one_line=False)
    handover.urged_count += 1
    handover.save(update_fields=["urged_count", "version"])
    batch = handover.matter.batch
    event = _record(
        batch,
        acting_user,
        MatterAction.URGE,
        handover,
        handover.state,
        comment,
        deadline=handover.matter.deadline.isoformat(),
    )
    notify(
        recipients=staff_of([handover.office]),
        kind=NotificationKind.MATTER_URGED,
        title=handover.matter.title,
        body=comment or _("The office above asks for progress on this matter."),
        next_step=_("Sign, break it down or report it done."),
        url=_batch_url(batch),
        actor=acting_user,
        subject_type="matter_handover",
        subject_id=handover.pk,
        source_key=f"matter-event:{event.pk}",
    )
    return handover


@transaction.atomic
def do_accept_matter(
    handover: MatterHandover,
    *,
    acting_user: Any,
    comment: str = "",
    expected_version: int | None = None,
) -> MatterHandover:
    """核: the issuing office (or one above it) accepts the receiving office's report."""
    handover = _lock(handover, MatterAction.ACCEPT, expected_version)
    comment = clean_text(comment, "comment", max_length=LONG, required=False, one_line=False)
    from_state = handover.state
    handover.state = HandoverState.ACCEPTED
    handover.save(update_fields=["state", "version"])
    _record(handover.matter.batch, acting_user, MatterAction.ACCEPT, handover, from_state, comment)
    return handover
