"""Accountability records and commendations over JSON: the lists, a proposal, one record,
the actions on it, and the offices' own kinds. Refusals match the pages' (decision 0015);
reading names leaves the same trail as the pages (docs/accountability.md).

Runtime annotations (no `from __future__ import annotations`): ninja reads each endpoint's
body schema from its signature.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from ducha.accountability import actions as do
from ducha.accountability import choosers
from ducha.accountability.access import access_record, allowed_actions, list_read, read_record
from ducha.accountability.choices import (
    MAX_LINKS,
    CommendationKind,
    RecordAction,
    RecordState,
    SubjectKind,
)
from ducha.accountability.filters import filtered
from ducha.accountability.models import Accountability, AccountabilityKind, Commendation
from ducha.accounts.auth import caller
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS, Body, ErrorOut, PageOut, PageQuery, Ref
from ducha.core.text import LongText, Name, Title

router = Router(tags=["accountability"])


class ProposeIn(Body):
    subject_kind: SubjectKind
    org: int
    person_name: Name = ""
    person_post: Title = ""
    reason: LongText
    problems: list[int] = Field(default_factory=list, max_length=MAX_LINKS)


class AccountabilityIn(ProposeIn):
    kind: int
    referrals: list[int] = Field(default_factory=list, max_length=MAX_LINKS)


class CommendationIn(ProposeIn):
    kind: CommendationKind
    inspections: list[int] = Field(default_factory=list, max_length=MAX_LINKS)


class DecideIn(Body):
    decided_on: date
    comment: LongText = ""


class CarryOutIn(Body):
    carried_out_on: date | None = None
    comment: LongText = ""


class WithdrawIn(Body):
    reason: LongText


class KindIn(Body):
    office: int
    name: Name


class KindOut(Schema):
    id: int
    name: str
    office: Ref | None


class RecordItem(Schema):
    id: int
    kind: str
    kind_label: str
    subject_kind: str
    person_name: str
    person_post: str
    org: Ref
    region: Ref
    state: str
    state_label: str
    proposed_at: datetime
    decided_on: date | None


class RecordEventOut(Schema):
    action: str
    actor: str
    created_at: datetime
    from_state: str
    to_state: str
    comment: str


class RecordDetail(RecordItem):
    reason: str
    keeper: Ref
    carried_out_on: date | None
    problems: list[int]
    referrals: list[int]
    inspections: list[int]
    etag: str
    allowed_actions: list[str]
    events: list[RecordEventOut]


class RecordPage(PageOut):
    items: list[RecordItem]


class RecordListQuery(PageQuery):
    kind: str | None = Field(None, max_length=32)
    state: RecordState | None = None
    since: date | None = None
    until: date | None = None


def _ref(org: Any) -> dict[str, Any]:
    return {"id": org.pk, "name": org.name}


def _item(record: Any) -> dict[str, Any]:
    return {
        "id": record.pk,
        "kind": str(record.kind_id if isinstance(record, Accountability) else record.kind),
        "kind_label": record.kind_label,
        "subject_kind": record.subject_kind,
        "person_name": record.person_name,
        "person_post": record.person_post,
        "org": _ref(record.org),
        "region": _ref(record.region),
        "state": record.state,
        "state_label": record.get_state_display(),
        "proposed_at": record.proposed_at,
        "decided_on": record.decided_on,
    }


def etag(record: Any) -> str:
    """A strong tag of the record's version; every action moves the version on."""
    return f'"{record.pk}-{record.version}"'


def _detail(user: Any, record: Any) -> dict[str, Any]:
    record = type(record).objects.select_related("org", "region", "keeper").get(pk=record.pk)
    accountability = isinstance(record, Accountability)
    return {
        **_item(record),
        "reason": record.reason,
        "keeper": _ref(record.keeper),
        "carried_out_on": record.carried_out_on if accountability else None,
        "problems": list(record.problems.order_by("pk").values_list("pk", flat=True)),
        "referrals": (
            list(record.referrals.order_by("pk").values_list("pk", flat=True))
            if accountability
            else []
        ),
        "inspections": (
            []
            if accountability
            else list(record.inspections.order_by("pk").values_list("pk", flat=True))
        ),
        "etag": etag(record),
        "allowed_actions": allowed_actions(user, record),
        "events": [
            {
                "action": event.action,
                "actor": str(event.actor),
                "created_at": event.created_at,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "comment": event.comment,
            }
            for event in record.events.select_related("actor").order_by("created_at", "pk")
        ],
    }


def _list(request: HttpRequest, model: type[Any], filters: RecordListQuery) -> dict[str, Any]:
    user = caller(request)
    rows = model.objects.visible_to(user).select_related("org", "region")
    if model is Accountability:
        rows = rows.select_related("kind")
    rows = filtered(rows, filters.dict())
    page = list(
        rows.order_by("-proposed_at", "-pk")[filters.offset : filters.offset + filters.page_size]
    )
    list_read(request, user, model, [record.pk for record in page if record.person_name])
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_item(record) for record in page],
    }


def _may_propose(user: Any) -> None:
    if not choosers.may_propose(user):
        raise PermissionDenied(str(choosers.NOT_A_PROPOSER))


@router.get("/accountability", response={200: RecordPage, **READ_ERRORS})
def list_accountability(request: HttpRequest, filters: Query[RecordListQuery]) -> dict[str, Any]:
    """问责 records of the caller's jurisdiction, with names: discipline bodies, leaders and
    offices only (others get an empty list). Each reading is kept in the audit trail."""
    return _list(request, Accountability, filters)


@router.post("/accountability", response={201: RecordDetail, **WRITE_ERRORS})
def propose_accountability(
    request: HttpRequest, payload: AccountabilityIn
) -> Status[dict[str, Any]]:
    """Propose a measure about a person or a unit of the caller's jurisdiction."""
    user = caller(request)
    _may_propose(user)
    record = do.do_propose_accountability(
        acting_user=user,
        kind=choosers.KIND.pick(payload.kind, user),
        subject_kind=payload.subject_kind,
        org=choosers.ORG.pick(payload.org, user),
        person_name=payload.person_name,
        person_post=payload.person_post,
        reason=payload.reason,
        problems=payload.problems,
        referrals=payload.referrals,
    )
    return Status(201, _detail(user, record))


@router.get("/accountability/{record_id}", response={200: RecordDetail, **READ_ERRORS})
def get_accountability(request: HttpRequest, record_id: int) -> dict[str, Any]:
    """One record; opening a named person's record is kept in the audit trail."""
    user = caller(request)
    return _detail(user, read_record(request, user, Accountability, record_id))


@router.get("/commendations", response={200: RecordPage, **READ_ERRORS})
def list_commendations(request: HttpRequest, filters: Query[RecordListQuery]) -> dict[str, Any]:
    """Commendations of the caller's jurisdiction, under the same rules as accountability."""
    return _list(request, Commendation, filters)


@router.post("/commendations", response={201: RecordDetail, **WRITE_ERRORS})
def propose_commendation(request: HttpRequest, payload: CommendationIn) -> Status[dict[str, Any]]:
    """Propose to commend a unit (先进集体) or a person (先进个人) of the jurisdiction."""
    user = caller(request)
    _may_propose(user)
    record = do.do_propose_commendation(
        acting_user=user,
        kind=payload.kind,
        subject_kind=payload.subject_kind,
        org=choosers.ORG.pick(payload.org, user),
        person_name=payload.person_name,
        person_post=payload.person_post,
        reason=payload.reason,
        problems=payload.problems,
        inspections=payload.inspections,
    )
    return Status(201, _detail(user, record))


@router.get("/commendations/{record_id}", response={200: RecordDetail, **READ_ERRORS})
def get_commendation(request: HttpRequest, record_id: int) -> dict[str, Any]:
    """One commendation; opening a named person's is kept in the audit trail."""
    user = caller(request)
    return _detail(user, read_record(request, user, Commendation, record_id))


@router.get("/accountability-kinds", response={200: list[KindOut], **READ_ERRORS})
def list_kinds(request: HttpRequest) -> list[dict[str, Any]]:
    """The kinds of accountability the caller's records may take."""
    user = caller(request)
    return [
        {"id": kind.pk, "name": str(kind), "office": _ref(kind.office) if kind.office else None}
        for kind in choosers.kinds_for(user).select_related("office")
    ]


@router.post("/accountability-kinds", response={201: KindOut, **WRITE_ERRORS})
def add_kind(request: HttpRequest, payload: KindIn) -> Status[dict[str, Any]]:
    """An office's own kind of accountability, for its jurisdiction."""
    user = caller(request)
    if not choosers.own_offices(user).exists():
        raise PermissionDenied(_("Only an office's staff may add a kind."))
    kind: AccountabilityKind = do.do_add_kind(
        acting_user=user, office=choosers.OFFICE.pick(payload.office, user), name=payload.name
    )
    return Status(201, {"id": kind.pk, "name": str(kind), "office": _ref(kind.office)})


def expected_version(if_match: str | None, record: Any) -> int | None:
    """The version an If-Match holds the action to (None without one, or with "*")."""
    if if_match is None or if_match.strip() == "*":
        return None
    if etag(record) not in {tag.strip() for tag in if_match.split(",")}:
        raise do.stale_version()
    return int(record.version)


Handler = Callable[[Any, Any, Any, int | None], Any]

ACTIONS: dict[str, tuple[type[Body], Handler]] = {
    RecordAction.DECIDE: (
        DecideIn,
        lambda r, u, d, v: do.do_decide(
            r, acting_user=u, decided_on=d.decided_on, comment=d.comment, expected_version=v
        ),
    ),
    RecordAction.CARRY_OUT: (
        CarryOutIn,
        lambda r, u, d, v: do.do_carry_out(
            r,
            acting_user=u,
            carried_out_on=d.carried_out_on,
            comment=d.comment,
            expected_version=v,
        ),
    ),
    RecordAction.WITHDRAW: (
        WithdrawIn,
        lambda r, u, d, v: do.do_withdraw(r, acting_user=u, reason=d.reason, expected_version=v),
    ),
}

_DOCS: dict[str, str] = {
    RecordAction.DECIDE: "Decide a proposed record (accountability: the discipline body or a "
    "leader; a commendation: a leader or the office), dated on or after the proposal.",
    RecordAction.CARRY_OUT: "Record that a decided measure was carried out (accountability: "
    "`carried_out_on`, not before the decision).",
    RecordAction.WITHDRAW: "Withdraw a proposed or decided record, with the reason: its "
    "proposer's org, or a decider.",
}

IF_MATCH = (
    "The record's `etag` as the caller read it. When it is no longer the current one, the "
    "action is refused with 412 and nothing changes."
)


def _add_action_endpoint(
    model: type[Any], base: str, action: str, body: type[Body], handler: Handler
) -> None:
    def act(
        request: HttpRequest,
        record_id: int,
        payload: body,  # type: ignore[valid-type]
        if_match: str | None = Header(
            None, alias="If-Match", max_length=1000, description=IF_MATCH
        ),
    ) -> dict[str, Any]:
        user = caller(request)
        record = access_record(user, model, record_id, action)
        record = handler(record, user, payload, expected_version(if_match, record))
        return _detail(user, record)

    act.__doc__ = _DOCS[action]
    router.post(
        f"/{base}/{{record_id}}/actions/{action}",
        response={200: RecordDetail, **WRITE_ERRORS, 412: ErrorOut},
        operation_id=f"{model._meta.model_name}_{action}",
        summary=f"{model._meta.verbose_name}: {action}",
    )(act)


for _model, _base in ((Accountability, "accountability"), (Commendation, "commendations")):
    for _action, (_body, _handler) in ACTIONS.items():
        _add_action_endpoint(_model, _base, _action, _body, _handler)

__all__ = ["router"]
