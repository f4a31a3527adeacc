"""Matters handed down over JSON: the batches with each office's progress, handing a batch
down, one batch, and the actions on a handover. Refusals match the pages' (decision 0015).

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
from ducha.core.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Body,
    ErrorOut,
    PageOut,
    PageQuery,
    Ref,
)
from ducha.core.scoping import access
from ducha.core.text import LongText, Title
from ducha.matters import actions as do
from ducha.matters import choosers
from ducha.matters.access import access_handover, allowed_actions
from ducha.matters.choices import MatterAction, SourceKind
from ducha.matters.models import MatterBatch, MatterHandover, MatterProblem
from ducha.matters.progress import progress
from ducha.problems.choosers import FOCUS_AREA

router = Router(tags=["matters"])


class MatterItemIn(Body):
    title: Title
    deadline: date
    description: LongText = ""


class MatterBatchCreate(Body):
    issuing_office: int
    offices: list[int]
    title: Title
    source_kind: SourceKind
    source_text: LongText = ""
    issued_on: date
    matters: list[MatterItemIn]


class MatterSignIn(Body):
    pass


class MatterBreakDownIn(Body):
    units: list[int]
    focus_area: int
    comment: LongText = ""


class MatterReportIn(Body):
    text: LongText
    reason: LongText = ""


class MatterCommentIn(Body):
    comment: LongText = ""


class MatterProgressOut(Schema):
    office: Ref
    matters: int
    signed: int
    reported: int
    accepted: int
    problems: int
    problems_closed: int


class MatterBatchItem(Schema):
    id: int
    issuing_office: Ref
    year: int
    number: int
    title: str
    source_kind: str
    issued_on: date
    progress: list[MatterProgressOut]


class MatterBatchPage(PageOut):
    items: list[MatterBatchItem]


class MatterOut(Schema):
    id: int
    position: int
    title: str
    description: str
    deadline: date


class MatterProblemRef(Schema):
    id: int
    state: str
    responsible_org: Ref | None


class MatterHandoverOut(Schema):
    id: int
    matter: int
    office: Ref
    state: str
    state_label: str
    signed_at: datetime | None
    report_text: str
    reported_at: datetime | None
    urged_count: int
    etag: str
    problems: list[MatterProblemRef]
    allowed_actions: list[str]


class MatterBatchDetail(MatterBatchItem):
    source_text: str
    matters: list[MatterOut]
    handovers: list[MatterHandoverOut]


class MatterBatchListQuery(PageQuery):
    pass


def _item(batch: MatterBatch, lines: list[Any]) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "issuing_office": {"id": batch.issuing_office_id, "name": batch.issuing_office.name},
        "year": batch.year,
        "number": batch.number,
        "title": batch.title,
        "source_kind": batch.source_kind,
        "issued_on": batch.issued_on,
        "progress": [line.as_dict() for line in lines],
    }


def _detail(user: Any, batch_id: int) -> dict[str, Any]:
    batch = MatterBatch.objects.select_related("issuing_office").get(pk=batch_id)
    handovers = list(
        MatterHandover.objects.visible_to(user)
        .filter(matter__batch=batch)
        .select_related("office")
        .order_by("matter__position", "office__tree_order")
    )
    problems: dict[int, list[dict[str, Any]]] = {}
    for link in MatterProblem.objects.filter(handover__in=handovers).select_related(
        "problem__responsible_org"
    ):
        org = link.problem.responsible_org
        problems.setdefault(link.handover_id, []).append(
            {
                "id": link.problem_id,
                "state": link.problem.state,
                "responsible_org": None if org is None else {"id": org.pk, "name": org.name},
            }
        )
    allowed = allowed_actions(user, handovers)
    return {
        **_item(batch, progress(user, [batch.pk])[batch.pk]),
        "source_text": batch.source_text,
        "matters": [
            {
                "id": m.pk,
                "position": m.position,
                "title": m.title,
                "description": m.description,
                "deadline": m.deadline,
            }
            for m in batch.matters.all()
        ],
        "handovers": [
            {
                "id": h.pk,
                "matter": h.matter_id,
                "office": {"id": h.office_id, "name": h.office.name},
                "state": h.state,
                "state_label": h.get_state_display(),
                "signed_at": h.signed_at,
                "report_text": h.report_text,
                "reported_at": h.reported_at,
                "urged_count": h.urged_count,
                "etag": etag(h),
                "problems": problems.get(h.pk, []),
                "allowed_actions": allowed[h.pk],
            }
            for h in handovers
        ],
    }


@router.get("/matter-batches", response={200: MatterBatchPage, **READ_ERRORS})
def list_batches(request: HttpRequest, filters: Query[MatterBatchListQuery]) -> dict[str, Any]:
    """Batches of matters in the caller's jurisdiction, each with its offices' progress."""
    user = caller(request)
    batches = MatterBatch.objects.visible_to(user).select_related("issuing_office")
    page = list(
        batches.order_by("-issued_on", "-pk")[filters.offset : filters.offset + filters.page_size]
    )
    lines = progress(user, [batch.pk for batch in page])
    return {
        "count": batches.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_item(batch, lines[batch.pk]) for batch in page],
    }


@router.post("/matter-batches", response={201: MatterBatchDetail, **WRITE_ERRORS})
def create_batch(request: HttpRequest, payload: MatterBatchCreate) -> Status[dict[str, Any]]:
    """交办: hand a batch of matters down to lower offices of the issuing office's region."""
    user = caller(request)
    if not choosers.issuing_offices(user).exists():
        raise PermissionDenied(_("Only an office's staff may hand down matters."))
    issuing_office = choosers.ISSUING_OFFICE.pick(payload.issuing_office, user)
    batch = do.do_hand_down_batch(
        acting_user=user,
        issuing_office=issuing_office,
        offices=[choosers.OFFICES.pick(pk, issuing_office) for pk in payload.offices],
        title=payload.title,
        source_kind=payload.source_kind,
        source_text=payload.source_text,
        issued_on=payload.issued_on,
        matters=[
            do.MatterInput(title=m.title, deadline=m.deadline, description=m.description)
            for m in payload.matters
        ],
    )
    return Status(201, _detail(user, batch.pk))


@router.get("/matter-batches/{batch_id}", response={200: MatterBatchDetail, **READ_ERRORS})
def get_batch(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    """One batch: its matters, the handovers the caller may see, and the actions open to it."""
    user = caller(request)
    batch = access(MatterBatch, user, batch_id).obj
    return _detail(user, batch.pk)


def etag(handover: MatterHandover) -> str:
    """A strong tag of the handover's version; every action moves the version on."""
    return f'"{handover.pk}-{handover.version}"'


def expected_version(if_match: str | None, handover: MatterHandover) -> int | None:
    """The version an If-Match holds the action to (None without one, or with "*")."""
    if if_match is None or if_match.strip() == "*":
        return None
    if etag(handover) not in {tag.strip() for tag in if_match.split(",")}:
        raise do.stale_version()
    return handover.version


def _break_down(
    handover: MatterHandover, user: Any, data: MatterBreakDownIn, version: int | None
) -> Any:
    return do.do_break_down(
        handover,
        expected_version=version,
        acting_user=user,
        units=[choosers.UNITS.pick(pk, user, handover.office) for pk in data.units],
        focus_area=FOCUS_AREA.pick(data.focus_area),
        comment=data.comment,
    )


Handler = Callable[[MatterHandover, Any, Any, int | None], Any]

ACTIONS: dict[str, tuple[type[Body], Handler]] = {
    MatterAction.SIGN: (
        MatterSignIn,
        lambda h, u, d, v: do.do_sign_matter(h, acting_user=u, expected_version=v),
    ),
    MatterAction.BREAK_DOWN: (MatterBreakDownIn, _break_down),
    MatterAction.REPORT: (
        MatterReportIn,
        lambda h, u, d, v: do.do_report_matter(
            h, acting_user=u, text=d.text, reason=d.reason, expected_version=v
        ),
    ),
    MatterAction.ACCEPT: (
        MatterCommentIn,
        lambda h, u, d, v: do.do_accept_matter(
            h, acting_user=u, comment=d.comment, expected_version=v
        ),
    ),
    MatterAction.URGE: (
        MatterCommentIn,
        lambda h, u, d, v: do.do_urge_matter(
            h, acting_user=u, comment=d.comment, expected_version=v
        ),
    ),
}

_DOCS: dict[str, str] = {
    MatterAction.SIGN: "签收: the receiving office acknowledges the matter.",
    MatterAction.BREAK_DOWN: "Break the matter down: one problem per unit, recorded and "
    "assigned (交) in the office's region, linked to the matter.",
    MatterAction.REPORT: "办结报告: report the matter done; while problems made of it are "
    "open, `reason` says why (422 naming `reason` without it).",
    MatterAction.URGE: "督: the issuing office, or one above it, presses the receiving office.",
    MatterAction.ACCEPT: "核: the issuing office, or one above it, accepts a reported matter.",
}


IF_MATCH = (
    "The handover's `etag` as the caller read it. When it is no longer the current one, the "
    "action is refused with 412 and nothing changes."
)


def _add_action_endpoint(action: str, body: type[Body], handler: Handler) -> None:
    def act(
        request: HttpRequest,
        handover_id: int,
        payload: body,  # type: ignore[valid-type]
        if_match: str | None = Header(
            None, alias="If-Match", max_length=1000, description=IF_MATCH
        ),
    ) -> dict[str, Any]:
        user = caller(request)
        handover = access_handover(user, handover_id, action)
        handler(handover, user, payload, expected_version(if_match, handover))
        return _detail(user, handover.matter.batch_id)

    act.__doc__ = _DOCS[action]
    router.post(
        f"/matter-handovers/{{handover_id}}/actions/{action}",
        response={200: MatterBatchDetail, **WRITE_ERRORS, 412: ErrorOut},
        operation_id=f"matter_{action}",
        summary=f"Matter action: {action}",
    )(act)


for _action, (_body, _handler) in ACTIONS.items():
    _add_action_endpoint(_action, _body, _handler)

__all__ = ["router"]
