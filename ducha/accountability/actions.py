"""Every state change of an accountability record (问责) or a commendation (表扬), and the
offices' own kinds of accountability. Atomic; one immutable RecordEvent per call on a record
(docs/accountability.md).

Callers (pages, API) reach a record through `access_record(user, model, id, action)` first;
these functions check again what decides the outcome — the acting user's roles on the
locked row, its state and version, and every input — so that no adapter can skip a rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accountability import choosers
from ducha.accountability.choices import (
    ALLOWED_FROM,
    MAX_LINKS,
    MAX_OFFICE_KINDS,
    CommendationKind,
    RecordAction,
    RecordState,
    SubjectKind,
)
from ducha.accountability.models import (
    Accountability,
    AccountabilityKind,
    Commendation,
    RecordEvent,
)
from ducha.core.dates import date_error
from ducha.core.errors import InvalidInput, StaleVersion, TransitionRefused
from ducha.core.scoping import not_in_scope
from ducha.core.text import LONG, NAME, TITLE, clean_text
from ducha.fieldwork.models import Inspection
from ducha.orgs.models import Org
from ducha.problems.models import Problem
from ducha.referrals.models import Referral

Record = Accountability | Commendation


def _day(value: date, field: str, *, not_before: date, before_message: str) -> date:
    message = date_error(value)
    if message is not None:
        raise InvalidInput(message, field)
    if value > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field)
    if value < not_before:
        raise InvalidInput(before_message, field)
    return value


def referrals_visible_to(user: Any) -> Any:
    """The referrals a record may name: those the user may open."""
    return Referral.objects.visible_to(user)


def _ids(values: Sequence[Any], field: str, visible: Any) -> list[int]:
    """The linked rows' ids, every one visible to the user; the same refusal for a missing
    and a hidden one, so that no id can be probed."""
    ids = list(dict.fromkeys(values))
    if len(ids) > MAX_LINKS:
        raise InvalidInput(_("Link at most %(count)s rows.") % {"count": MAX_LINKS}, field)
    if any(not isinstance(pk, int) or isinstance(pk, bool) for pk in ids):
        raise not_in_scope(field)
    if ids and visible.filter(pk__in=ids).count() != len(ids):
        raise not_in_scope(field)
    return ids


def _subject(
    acting_user: Any, subject_kind: str, org: Org, person_name: str, person_post: str
) -> tuple[str, str, Org, Org]:
    """The checked person (or unit), and the record's region and keeper: the proposer's
    own org in the deepest of its jurisdictions that holds the organisation."""
    if subject_kind not in SubjectKind.values:
        raise InvalidInput(_("Say whether the record is about a person or a unit."), "subject_kind")
    choosers.ORG.check(org, acting_user)
    grant = next(
        g for g in choosers.proposing_grants(acting_user) if org.path.startswith(g.region_path)
    )
    region = org.region
    if region is None:
        raise choosers.ORG.refusal()
    person = subject_kind == SubjectKind.PERSON
    name = clean_text(person_name, "person_name", max_length=NAME, required=person, one_line=True)
    post = clean_text(person_post, "person_post", max_length=TITLE, required=False, one_line=True)
    if not person and (name or post):
        raise InvalidInput(_("A record about a unit names no person."), "person_name")
    return name, post, region, Org.objects.get(pk=grant.org_id)


def _event(
    record: Record, acting_user: Any, action: str, from_state: str, comment: str = ""
) -> RecordEvent:
    link = (
        {"accountability": record}
        if isinstance(record, Accountability)
        else {"commendation": record}
    )
    return RecordEvent.objects.create(
        **link,
        actor=acting_user,
        # Read now, not from the field's default: the demo's replay moves the clock.
        created_at=timezone.now(),
        action=action,
        from_state=from_state,
        to_state=record.state,
        comment=comment,
    )


def _propose(
    model: type[Record],
    acting_user: Any,
    *,
    subject_kind: str,
    org: Org,
    person_name: str,
    person_post: str,
    reason: str,
    problems: Sequence[Any],
    **fields: Any,
) -> Any:
    if not choosers.may_propose(acting_user):
        raise PermissionDenied(str(choosers.NOT_A_PROPOSER))
    name, post, region, keeper = _subject(acting_user, subject_kind, org, person_name, person_post)
    reason = clean_text(reason, "reason", max_length=LONG, required=True, one_line=False)
    problem_ids = _ids(problems, "problems", Problem.objects.visible_to(acting_user))
    record = model(
        subject_kind=subject_kind,
        person_name=name,
        person_post=post,
        org=org,
        region=region,
        keeper=keeper,
        reason=reason,
        proposed_by=acting_user,
        proposed_at=timezone.now(),
        **fields,
    )
    record.copy_levels_from(region)
    record.save()
    record.problems.set(problem_ids)
    return record, problem_ids


@transaction.atomic
def do_propose_accountability(
    *,
    acting_user: Any,
    kind: AccountabilityKind,
    subject_kind: str,
    org: Org,
    reason: str,
    person_name: str = "",
    person_post: str = "",
    problems: Sequence[Any] = (),
    referrals: Sequence[Any] = (),
) -> Accountability:
    """问责: the office or the discipline body proposes a measure about a person or a unit of
    its jurisdiction, with the problems and referrals it arises from."""
    choosers.KIND.check(kind, acting_user)
    referral_ids = _ids(referrals, "referrals", referrals_visible_to(acting_user))
    record, _problems = _propose(
        Accountability,
        acting_user,
        subject_kind=subject_kind,
        org=org,
        person_name=person_name,
        person_post=person_post,
        reason=reason,
        problems=problems,
        kind=kind,
    )
    record.referrals.set(referral_ids)
    _event(record, acting_user, RecordAction.PROPOSE, "")
    return record


@transaction.atomic
def do_propose_commendation(
    *,
    acting_user: Any,
    kind: str,
    subject_kind: str,
    org: Org,
    reason: str,
    person_name: str = "",
    person_post: str = "",
    problems: Sequence[Any] = (),
    inspections: Sequence[Any] = (),
) -> Commendation:
    """表扬: the office or the discipline body proposes to commend a unit or a person."""
    if kind not in CommendationKind.values:
        raise InvalidInput(_("Choose a kind of commendation."), "kind")
    inspection_ids = _ids(inspections, "inspections", Inspection.objects.visible_to(acting_user))
    record, _problems = _propose(
        Commendation,
        acting_user,
        subject_kind=subject_kind,
        org=org,
        person_name=person_name,
        person_post=person_post,
        reason=reason,
        problems=problems,
        kind=kind,
    )
    record.inspections.set(inspection_ids)
    _event(record, acting_user, RecordAction.PROPOSE, "")
    return record


def stale_version() -> StaleVersion:
    return StaleVersion(_("The record has changed since you opened it; reload it and try again."))


def _lock(record: Record, acting_user: Any, action: str, expected_version: int | None) -> Any:
    """The record's row, locked; refused when the user's roles may not take the action on
    it, when the caller read another version, or when its state does not allow it."""
    model = type(record)
    if not model.objects.visible_to(acting_user, action).filter(pk=record.pk).exists():
        raise PermissionDenied(str(model.objects.all().refusal))
    locked = model.objects.select_for_update().get(pk=record.pk)
    if expected_version is not None and expected_version != locked.version:
        raise stale_version()
    if locked.state not in ALLOWED_FROM[action]:
        raise TransitionRefused(
            _("“%(action)s” is not possible while the record is “%(state)s”.")
            % {"action": RecordAction(action).label, "state": RecordState(locked.state).label}
        )
    locked.version += 1
    return locked


@transaction.atomic
def do_decide(
    record: Record,
    *,
    acting_user: Any,
    decided_on: date,
    comment: str = "",
    expected_version: int | None = None,
) -> Any:
    """The decision: by the discipline body or a leader for accountability, by a leader or
    the office for a commendation; dated on or after the proposal, never in the future."""
    record = _lock(record, acting_user, RecordAction.DECIDE, expected_version)
    comment = clean_text(comment, "comment", max_length=LONG, required=False, one_line=False)
    proposed_on = timezone.localdate(record.proposed_at)
    _day(
        decided_on,
        "decided_on",
        not_before=proposed_on,
        before_message=_("The decision cannot come before the proposal (%(date)s).")
        % {"date": proposed_on.isoformat()},
    )
    from_state = record.state
    record.state = RecordState.DECIDED
    record.decided_by = acting_user
    record.decided_on = decided_on
    record.save(update_fields=["state", "decided_by", "decided_on", "version"])
    _event(record, acting_user, RecordAction.DECIDE, from_state, comment)
    return record


@transaction.atomic
def do_carry_out(
    record: Record,
    *,
    acting_user: Any,
    carried_out_on: date | None = None,
    comment: str = "",
    expected_version: int | None = None,
) -> Any:
    """The decided measure (or commendation) has been carried out; for accountability the
    day it was, not before the decision."""
    record = _lock(record, acting_user, RecordAction.CARRY_OUT, expected_version)
    comment = clean_text(comment, "comment", max_length=LONG, required=False, one_line=False)
    fields = ["state", "version"]
    if isinstance(record, Accountability):
        if carried_out_on is None:
            raise InvalidInput(_("This field is required."), "carried_out_on")
        decided_on = record.decided_on or timezone.localdate(record.proposed_at)
        record.carried_out_on = _day(
            carried_out_on,
            "carried_out_on",
            not_before=decided_on,
            before_message=_("A measure cannot be carried out before its decision (%(date)s).")
            % {"date": decided_on.isoformat()},
        )
        fields.append("carried_out_on")
    from_state = record.state
    record.state = RecordState.CARRIED_OUT
    record.save(update_fields=fields)
    _event(record, acting_user, RecordAction.CARRY_OUT, from_state, comment)
    return record


@transaction.atomic
def do_withdraw(
    record: Record, *, acting_user: Any, reason: str, expected_version: int | None = None
) -> Any:
    """Take a proposed or decided record back, with the reason: the proposer's own org, or
    a decider of the jurisdiction."""
    record = _lock(record, acting_user, RecordAction.WITHDRAW, expected_version)
    reason = clean_text(reason, "reason", max_length=LONG, required=True, one_line=False)
    from_state = record.state
    record.state = RecordState.WITHDRAWN
    record.save(update_fields=["state", "version"])
    _event(record, acting_user, RecordAction.WITHDRAW, from_state, reason)
    return record


@transaction.atomic
def do_add_kind(*, acting_user: Any, office: Org, name: str) -> AccountabilityKind:
    """An office's own kind of accountability, for its jurisdiction and those below it."""
    choosers.OFFICE.check(office, acting_user)
    name = clean_text(name, "name", max_length=NAME, required=True, one_line=True)
    # The office's row is the lock that keeps its count of kinds under the cap.
    Org.objects.select_for_update().filter(pk=office.pk).first()
    own = AccountabilityKind.objects.filter(office=office)
    if own.count() >= MAX_OFFICE_KINDS:
        raise InvalidInput(
            _("An office adds at most %(count)s kinds.") % {"count": MAX_OFFICE_KINDS}, "name"
        )
    builtin = [str(kind) for kind in AccountabilityKind.objects.filter(office__isnull=True)]
    if own.filter(name=name).exists() or name in builtin:
        raise InvalidInput(_("This kind exists already."), "name")
    try:
        with transaction.atomic():
            return AccountabilityKind.objects.create(office=office, name=name)
    except IntegrityError:
        raise InvalidInput(_("This kind exists already."), "name") from None
