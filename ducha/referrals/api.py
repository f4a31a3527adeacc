"""Referrals (线索移交) over JSON: the list, one referral, referring a problem or a visit, and
the receiving body's accept, decline and outcome. Refusals match the pages' (decision 0015).

Runtime annotations (no `from __future__ import annotations`): ninja reads each endpoint's
body schema from its signature.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status

from ducha.accounts.auth import caller
from ducha.core.errors import InvalidInput
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS, Body, ErrorOut, PageOut, PageQuery, Ref
from ducha.core.scoping import not_in_scope
from ducha.core.text import LongText
from ducha.fieldwork.models import Inspection
from ducha.orgs.offices import nearest_office
from ducha.problems.models import Problem
from ducha.referrals import actions as do
from ducha.referrals import choosers
from ducha.referrals.access import access_referral, allowed_actions
from ducha.referrals.choices import ReferralAction, ReferralState
from ducha.referrals.models import Referral

router = Router(tags=["referrals"])


class ReferralCreate(Body):
    problem: int | None = None
    inspection: int | None = None
    receiver: int
    facts: LongText
    evidence: list[int] = []


class ReferralAcceptIn(Body):
    comment: LongText = ""


class ReferralDeclineIn(Body):
    reasons: LongText = ""


class ReferralConcludeIn(Body):
    outcome: LongText = ""
    outcome_on: date


class ReferralEventOut(Schema):
    action: str
    actor: str
    created_at: datetime
    from_state: str
    to_state: str
    comment: str


class EvidenceRef(Schema):
    id: int
    name: str


class ReferralItem(Schema):
    id: int
    problem: int | None
    inspection: int | None
    region: Ref
    referring_office: Ref
    receiver: Ref
    state: ReferralState
    state_label: str
    referred_at: datetime
    decided_at: datetime | None
    outcome_on: date | None


class ReferralDetail(ReferralItem):
    facts: str
    decision_reason: str
    outcome: str
    concluded_at: datetime | None
    etag: str
    evidence: list[EvidenceRef]
    events: list[ReferralEventOut]
    allowed_actions: list[str]


class ReferralPage(PageOut):
    items: list[ReferralItem]


class ReferralListQuery(PageQuery):
    state: ReferralState | None = None
    receiver: int | None = None


def _ref(org: Any) -> dict[str, Any]:
    return {"id": org.pk, "name": org.name}


def _item(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "problem": referral.problem_id,
        "inspection": referral.inspection_id,
        "region": _ref(referral.region),
        "referring_office": _ref(referral.referring_office),
        "receiver": _ref(referral.receiver),
        "state": referral.state,
        "state_label": referral.get_state_display(),
        "referred_at": referral.referred_at,
        "decided_at": referral.decided_at,
        "outcome_on": referral.outcome_on,
    }


RELATED = ("region", "referring_office", "receiver")


def _detail(user: Any, referral_id: int) -> dict[str, Any]:
    referral = Referral.objects.select_related(*RELATED).get(pk=referral_id)
    return {
        **_item(referral),
        "facts": referral.facts,
        "decision_reason": referral.decision_reason,
        "outcome": referral.outcome,
        "concluded_at": referral.concluded_at,
        "etag": etag(referral),
        "evidence": [
            {"id": item.pk, "name": item.original_name}
            for item in referral.evidence.order_by("uploaded_at", "pk")
        ],
        "events": [
            {
                "action": event.action,
                "actor": str(event.actor),
                "created_at": event.created_at,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "comment": event.comment,
            }
            for event in referral.events.select_related("actor").order_by("created_at", "pk")
        ],
        "allowed_actions": allowed_actions(user, [referral])[referral.pk],
    }


@router.get("/referrals", response={200: ReferralPage, **READ_ERRORS})
def list_referrals(request: HttpRequest, filters: Query[ReferralListQuery]) -> dict[str, Any]:
    """Referrals the caller may see, newest first; by state and by receiving body."""
    user = caller(request)
    rows = Referral.objects.visible_to(user)
    if filters.state is not None:
        rows = rows.filter(state=filters.state)
    if filters.receiver is not None:
        rows = rows.filter(receiver_id=filters.receiver)
    page = list(
        rows.select_related(*RELATED).order_by("-referred_at", "-pk")[
            filters.offset : filters.offset + filters.page_size
        ]
    )
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_item(referral) for referral in page],
    }


def _source(user: Any, payload: ReferralCreate) -> tuple[Any, Any]:
    if (payload.problem is None) == (payload.inspection is None):
        raise InvalidInput(_("Refer either a problem or a visit."), "problem")
    if payload.problem is not None:
        problem = Problem.objects.visible_to(user).filter(pk=payload.problem).first()
        if problem is None:
            raise not_in_scope("problem")
        return problem, None
    inspection = Inspection.objects.visible_to(user).filter(pk=payload.inspection).first()
    if inspection is None:
        raise not_in_scope("inspection")
    return None, inspection


@router.post("/referrals", response={201: ReferralDetail, **WRITE_ERRORS})
def create_referral(request: HttpRequest, payload: ReferralCreate) -> Status[dict[str, Any]]:
    """线索移交: an office refers a problem or a visit (exactly one of `problem`,
    `inspection`) to a discipline body or the police of its region or above, with the facts
    and files of the source itself."""
    user = caller(request)
    problem, inspection = _source(user, payload)
    office = nearest_office(user, (problem or inspection).region)
    if office is None:
        raise PermissionDenied(
            _("Only the staff of an office whose jurisdiction holds the source may refer it.")
        )
    referral = do.do_refer(
        acting_user=user,
        problem=problem,
        inspection=inspection,
        receiver=choosers.RECEIVER.pick(payload.receiver, office),
        facts=payload.facts,
        evidence_ids=payload.evidence,
    )
    return Status(201, _detail(user, referral.pk))


@router.get("/referrals/{referral_id}", response={200: ReferralDetail, **READ_ERRORS})
def get_referral(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    """One referral: its facts, files, log and the actions open to the caller."""
    user = caller(request)
    referral = access_referral(user, referral_id)
    return _detail(user, referral.pk)


def etag(referral: Referral) -> str:
    """A strong tag of the referral's version; every action moves the version on."""
    return f'"{referral.pk}-{referral.version}"'


def expected_version(if_match: str | None, referral: Referral) -> int | None:
    """The version an If-Match holds the action to (None without one, or with "*")."""
    if if_match is None or if_match.strip() == "*":
        return None
    if etag(referral) not in {tag.strip() for tag in if_match.split(",")}:
        raise do.stale_version()
    return referral.version


Handler = Callable[[Referral, Any, Any, int | None], Any]

ACTIONS: dict[str, tuple[type[Body], Handler, str]] = {
    ReferralAction.ACCEPT: (
        ReferralAcceptIn,
        lambda r, u, d, v: do.do_accept(r, acting_user=u, comment=d.comment, expected_version=v),
        "受理: the receiving body takes the referral up as a case.",
    ),
    ReferralAction.DECLINE: (
        ReferralDeclineIn,
        lambda r, u, d, v: do.do_decline(r, acting_user=u, reasons=d.reasons, expected_version=v),
        "不予受理: the receiving body declines; `reasons` are required (422 naming it).",
    ),
    ReferralAction.CONCLUDE: (
        ReferralConcludeIn,
        lambda r, u, d, v: do.do_conclude(
            r, acting_user=u, outcome=d.outcome, outcome_on=d.outcome_on, expected_version=v
        ),
        "办结: the outcome and its date, not before the referral and not in the future.",
    ),
}

IF_MATCH = (
    "The referral's `etag` as the caller read it. When it is no longer the current one, the "
    "action is refused with 412 and nothing changes."
)


def _add_action_endpoint(action: str, body: type[Body], handler: Handler, doc: str) -> None:
    def act(
        request: HttpRequest,
        referral_id: int,
        payload: body,  # type: ignore[valid-type]
        if_match: str | None = Header(
            None, alias="If-Match", max_length=1000, description=IF_MATCH
        ),
    ) -> dict[str, Any]:
        user = caller(request)
        referral = access_referral(user, referral_id, action)
        handler(referral, user, payload, expected_version(if_match, referral))
        return _detail(user, referral.pk)

    act.__doc__ = doc
    router.post(
        f"/referrals/{{referral_id}}/actions/{action}",
        response={200: ReferralDetail, **WRITE_ERRORS, 412: ErrorOut},
        operation_id=f"referral_{action}",
        summary=f"Referral action: {action}",
    )(act)


for _action, (_body, _handler, _doc) in ACTIONS.items():
    _add_action_endpoint(_action, _body, _handler, _doc)

__all__ = ["router"]
