"""Every state change of a referral (线索移交): refer, accept, decline, record the outcome.
Atomic; one immutable ReferralEvent per call; the other side is told (docs/referrals.md).

Callers reach a referral through `access_referral(user, id, action)` first; these functions
check again what the rule-book says and what only they can: the locked row's state and
version, and the input. The problem's own log is left alone: the loop has no generic event
for what a layer above it does, and a referral is read on its own page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts.choices import OFFICE_ROLES
from ducha.accounts.models import User
from ducha.core.dates import date_error
from ducha.core.errors import InvalidInput, StaleVersion, TransitionRefused
from ducha.core.scoping import not_in_scope
from ducha.core.text import LONG, clean_text
from ducha.fieldwork.models import Inspection
from ducha.notices.actions import do_notify as notify
from ducha.notices.choices import NotificationKind
from ducha.orgs.models import Org
from ducha.orgs.offices import nearest_office
from ducha.problems.models import Problem
from ducha.referrals import choosers
from ducha.referrals.choices import (
    ALLOWED_FROM,
    MAX_EVIDENCE,
    RECEIVER_ROLES,
    ReferralAction,
    ReferralState,
)
from ducha.referrals.models import Referral, ReferralEvent
from ducha.referrals.querysets import ReferralQuerySet


def _record(
    referral: Referral,
    acting_user: Any,
    action: str,
    from_state: str,
    comment: str = "",
    **payload: Any,
) -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral,
        actor=acting_user,
        action=action,
        from_state=from_state,
        to_state=referral.state,
        comment=comment,
        payload=payload,
    )


def stale_version() -> StaleVersion:
    return StaleVersion(_("The referral has changed since you opened it; reload it and try again."))


def _lock(
    referral: Referral, action: str, acting_user: Any, expected_version: int | None
) -> Referral:
    """The referral's row, locked; refused for a caller who may not act on it, for another
    version than the caller read, and for a state the action cannot start from."""
    if not Referral.objects.visible_to(acting_user, action).filter(pk=referral.pk).exists():
        raise PermissionDenied(str(ReferralQuerySet.refusal))
    locked = (
        Referral.objects.select_for_update()
        .select_related("referring_office", "receiver")
        .get(pk=referral.pk)
    )
    if expected_version is not None and expected_version != locked.version:
        raise stale_version()
    if locked.state not in ALLOWED_FROM[action]:
        raise TransitionRefused(
            _("“%(action)s” is not possible while the referral is “%(state)s”.")
            % {
                "action": ReferralAction(action).label,
                "state": ReferralState(locked.state).label,
            }
        )
    locked.version += 1
    return locked


def referral_url(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def receiving_users(receiver: Org) -> Any:
    """The active discipline or police users of the receiving body: who is told."""
    return User.objects.filter(
        is_active=True, memberships__org=receiver, memberships__role__in=RECEIVER_ROLES
    ).distinct()


def staff_of(office: Org) -> Any:
    """The active staff of the referring office: who hears of the decision and outcome."""
    return User.objects.filter(
        is_active=True, memberships__org=office, memberships__role__in=OFFICE_ROLES
    ).distinct()


def source_label(referral: Referral) -> str:
    if referral.problem is not None:
        return referral.problem.title
    assert referral.inspection is not None
    return _("Visit of %(day)s in %(region)s") % {
        "day": f"{referral.inspection.visited_at:%Y-%m-%d}",
        "region": referral.region.name,
    }


def _source(acting_user: Any, problem: Problem | None, inspection: Inspection | None) -> Any:
    if (problem is None) == (inspection is None):
        raise InvalidInput(_("Refer either a problem or a visit."), "problem")
    if problem is not None:
        if not Problem.objects.visible_to(acting_user).filter(pk=problem.pk).exists():
            raise not_in_scope("problem")
        return problem
    assert inspection is not None
    if not Inspection.objects.visible_to(acting_user).filter(pk=inspection.pk).exists():
        raise not_in_scope("inspection")
    return inspection


@transaction.atomic
def do_refer(
    *,
    acting_user: Any,
    problem: Problem | None = None,
    inspection: Inspection | None = None,
    receiver: Org,
    facts: str,
    evidence_ids: Sequence[int] = (),
) -> Referral:
    """线索移交: an office hands a problem's or a visit's facts and evidence to a discipline
    body or the police of its region or above."""
    source = _source(acting_user, problem, inspection)
    region = source.region
    office = nearest_office(acting_user, region)
    if office is None:
        # Seeing the source is not enough: only an office's staff refer, in its name.
        raise PermissionDenied(
            _("Only the staff of an office whose jurisdiction holds the source may refer it.")
        )
    choosers.RECEIVER.check(receiver, office)
    facts = clean_text(facts, "facts", max_length=LONG, required=True)
    ids = list(dict.fromkeys(evidence_ids))
    if len(ids) > MAX_EVIDENCE:
        raise InvalidInput(
            _("Hand over at most %(count)s files with one referral.") % {"count": MAX_EVIDENCE},
            "evidence",
        )
    evidence = list(choosers.source_evidence(acting_user, problem, inspection).filter(pk__in=ids))
    if len(evidence) != len(ids):
        raise choosers.EVIDENCE.refusal()
    referral = Referral(
        problem=problem,
        inspection=inspection,
        region=region,
        referring_office=office,
        receiver=receiver,
        facts=facts,
        referred_by=acting_user,
    )
    referral.copy_levels_from(region)
    referral.save()
    referral.evidence.set(evidence)
    event = _record(
        referral,
        acting_user,
        ReferralAction.REFER,
        "",
        facts,
        receiver=receiver.pk,
        problem=problem.pk if problem is not None else None,
        inspection=inspection.pk if inspection is not None else None,
        evidence=[item.pk for item in evidence],
    )
    notify(
        recipients=receiving_users(receiver),
        kind=NotificationKind.REFERRAL_RECEIVED,
        title=source_label(referral),
        body=_("%(office)s referred this to your body.") % {"office": office.name},
        next_step=_("Accept it as a case or decline it with reasons."),
        url=referral_url(referral),
        actor=acting_user,
        subject_type="referral",
        subject_id=referral.pk,
        source_key=f"referral-event:{event.pk}",
    )
    return referral


def _tell_the_office(referral: Referral, event: ReferralEvent, kind: str, body: str) -> None:
    notify(
        recipients=staff_of(referral.referring_office),
        kind=kind,
        title=source_label(referral),
        body=body,
        next_step=_("Read the referral's page."),
        url=referral_url(referral),
        actor=event.actor,
        subject_type="referral",
        subject_id=referral.pk,
        source_key=f"referral-event:{event.pk}",
    )


@transaction.atomic
def do_accept(
    referral: Referral,
    *,
    acting_user: Any,
    comment: str = "",
    expected_version: int | None = None,
) -> Referral:
    """受理: the receiving body takes the referral up as a case."""
    referral = _lock(referral, ReferralAction.ACCEPT, acting_user, expected_version)
    comment = clean_text(comment, "comment", max_length=LONG, required=False)
    from_state = referral.state
    referral.state = ReferralState.ACCEPTED
    referral.decided_at = timezone.now()
    referral.decided_by = acting_user
    referral.decision_reason = comment
    referral.save(update_fields=["state", "decided_at", "decided_by", "decision_reason", "version"])
    event = _record(referral, acting_user, ReferralAction.ACCEPT, from_state, comment)
    _tell_the_office(
        referral,
        event,
        NotificationKind.REFERRAL_DECIDED,
        _("%(body)s accepted the referral.") % {"body": referral.receiver.name},
    )
    return referral


@transaction.atomic
def do_decline(
    referral: Referral,
    *,
    acting_user: Any,
    reasons: str,
    expected_version: int | None = None,
) -> Referral:
    """不予受理: the receiving body declines, and says why."""
    referral = _lock(referral, ReferralAction.DECLINE, acting_user, expected_version)
    reasons = clean_text(reasons, "reasons", max_length=LONG, required=True)
    from_state = referral.state
    referral.state = ReferralState.DECLINED
    referral.decided_at = timezone.now()
    referral.decided_by = acting_user
    referral.decision_reason = reasons
    referral.save(update_fields=["state", "decided_at", "decided_by", "decision_reason", "version"])
    event = _record(referral, acting_user, ReferralAction.DECLINE, from_state, reasons)
    _tell_the_office(
        referral,
        event,
        NotificationKind.REFERRAL_DECIDED,
        _("%(body)s declined the referral.") % {"body": referral.receiver.name},
    )
    return referral


@transaction.atomic
def do_conclude(
    referral: Referral,
    *,
    acting_user: Any,
    outcome: str,
    outcome_on: date,
    expected_version: int | None = None,
) -> Referral:
    """办结: the receiving body records the outcome of the case and its date."""
    referral = _lock(referral, ReferralAction.CONCLUDE, acting_user, expected_version)
    outcome = clean_text(outcome, "outcome", max_length=LONG, required=True)
    message = date_error(outcome_on)
    if message is not None:
        raise InvalidInput(message, "outcome_on")
    referred_on = timezone.localdate(referral.referred_at)
    if outcome_on < referred_on:
        raise InvalidInput(
            _("The outcome cannot be dated before the referral (%(day)s).")
            % {"day": referred_on.isoformat()},
            "outcome_on",
        )
    if outcome_on > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), "outcome_on")
    from_state = referral.state
    referral.state = ReferralState.CONCLUDED
    referral.outcome = outcome
    referral.outcome_on = outcome_on
    referral.concluded_at = timezone.now()
    referral.concluded_by = acting_user
    referral.save(
        update_fields=["state", "outcome", "outcome_on", "concluded_at", "concluded_by", "version"]
    )
    event = _record(
        referral,
        acting_user,
        ReferralAction.CONCLUDE,
        from_state,
        outcome,
        outcome_on=outcome_on.isoformat(),
    )
    _tell_the_office(
        referral,
        event,
        NotificationKind.REFERRAL_CONCLUDED,
        _("%(body)s recorded the outcome of the referral.") % {"body": referral.receiver.name},
    )
    return referral
