"""The 复工复产 ledger over JSON: the list with its counts, one enterprise, its history and
its epidemic-management ledger, registering one, and the actions on it. Refusals match the
pages' (decision 0015).

Runtime annotations (no `from __future__ import annotations`): ninja reads each endpoint's
body schema from its signature.
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from pydantic import StringConstraints

from ducha.accounts.auth import caller
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS, Body, ErrorOut, PageOut, PageQuery, Ref
from ducha.core.scoping import access
from ducha.core.text import Line, LongText, Name, Search, Title
from ducha.problems.models import Problem
from ducha.resumption import actions as do
from ducha.resumption import choosers, listing
from ducha.resumption.access import allowed_actions, may_register
from ducha.resumption.actions import UNIT
from ducha.resumption.choices import Category, EnterpriseAction, EnterpriseKind, NeedKind
from ducha.resumption.choices import Status as EnterpriseStatus
from ducha.resumption.models import Enterprise, EnterpriseLedger

router = Router(tags=["resumption"])

Unit = Annotated[str, StringConstraints(max_length=UNIT)]


class EnterpriseCreate(Body):
    kind: EnterpriseKind
    name: Title
    category: Category
    region: int
    registered_on: date
    # 统一社会信用代码: 18 digits and capital letters, when known.
    credit_code: Name = ""
    area: Name = ""
    supervisor: int | None = None
    supervised: bool = True
    # Needed when `supervised` is false.
    excluded_reason: Line = ""
    address: Line = ""


class EnterpriseEditIn(Body):
    # Only the fields sent are changed; `supervisor: null` takes the supervising body away.
    kind: EnterpriseKind | None = None
    name: Title | None = None
    category: Category | None = None
    region: int | None = None
    registered_on: date | None = None
    credit_code: Name | None = None
    area: Name | None = None
    supervisor: int | None = None
    address: Line | None = None


class StatusIn(Body):
    # The day the status took effect; today when not given.
    on: date | None = None


class ExcludeIn(Body):
    reason: Line


class EmptyIn(Body):
    pass


class SupplyIn(Body):
    name: Name
    quantity: float
    unit: Unit = ""
    days: int = 0


class LedgerIn(Body):
    staff_total: int
    staff_screened: int
    staff_isolated: int = 0
    supplies: list[SupplyIn] = []
    plan: LongText = ""
    responsible_person: Name
    responsible_phone: Unit = ""


class NeedIn(Body):
    kind: NeedKind
    text: LongText


class CountsOut(Schema):
    total: int
    supervised: int
    excluded: int
    not_filed: int
    filed: int
    resumed: int
    stopped: int


class EnterpriseItem(Schema):
    id: int
    kind: str
    name: str
    credit_code: str
    category: str
    category_label: str
    region: Ref
    area: str
    supervisor: Ref | None
    supervised: bool
    registered_on: date
    filed_on: date | None
    status: str
    status_label: str
    status_on: date | None


class EnterprisePage(PageOut):
    counts: CountsOut
    items: list[EnterpriseItem]


class SupplyOut(Schema):
    name: str
    quantity: float
    unit: str
    days: int


class LedgerOut(Schema):
    id: int
    recorded_at: datetime
    recorded_by: str
    staff_total: int
    staff_screened: int
    staff_isolated: int
    supplies: list[SupplyOut]
    plan: str
    responsible_person: str
    responsible_phone: str


class LedgerPage(PageOut):
    items: list[LedgerOut]


class ProblemRef(Schema):
    id: int
    title: str
    state: str


class NeedOut(Schema):
    id: int
    kind: str
    text: str
    reported_at: datetime
    reported_by: str
    # None when the problem lies outside what the reader sees.
    problem: ProblemRef | None


class EnterpriseDetail(EnterpriseItem):
    excluded_reason: str
    address: str
    site: int | None
    etag: str
    ledger: LedgerOut | None
    needs: list[NeedOut]
    allowed_actions: list[str]


class EventOut(Schema):
    action: str
    action_label: str
    actor: str
    created_at: datetime
    on: date | None
    from_status: str
    to_status: str
    payload: dict[str, Any]


class EnterpriseListQuery(PageQuery):
    kind: EnterpriseKind | None = None
    category: Category | None = None
    area: Name | None = None
    status: EnterpriseStatus | None = None
    region: int | None = None
    supervised: bool | None = None
    q: Search | None = None


def _ref(org: Any) -> dict[str, Any] | None:
    return None if org is None else {"id": org.pk, "name": org.name}


def _item(e: Enterprise) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "name": e.name,
        "credit_code": e.credit_code,
        "category": e.category,
        "category_label": e.get_category_display(),
        "region": _ref(e.region),
        "area": e.area,
        "supervisor": _ref(e.supervisor),
        "supervised": e.supervised,
        "registered_on": e.registered_on,
        "filed_on": e.filed_on,
        "status": e.status,
        "status_label": e.get_status_display(),
        "status_on": e.status_on,
    }


def _ledger(entry: EnterpriseLedger) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "recorded_at": entry.recorded_at,
        "recorded_by": str(entry.recorded_by),
        "staff_total": entry.staff_total,
        "staff_screened": entry.staff_screened,
        "staff_isolated": entry.staff_isolated,
        "supplies": entry.supplies,
        "plan": entry.plan,
        "responsible_person": entry.responsible_person,
        "responsible_phone": entry.responsible_phone,
    }


def etag(enterprise: Enterprise) -> str:
    """A strong tag of the enterprise's version; every action moves it on."""
    return f'"{enterprise.pk}-{enterprise.version}"'


def expected_version(if_match: str | None, enterprise: Enterprise) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    if etag(enterprise) not in {tag.strip() for tag in if_match.split(",")}:
        raise do.stale_version()
    return enterprise.version


def _detail(user: Any, pk: int) -> dict[str, Any]:
    e = Enterprise.objects.select_related("region", "supervisor").get(pk=pk)
    latest = e.ledger.select_related("recorded_by").first()
    visible = set(
        Problem.objects.visible_to(user)
        .filter(enterprise_need__enterprise=e)
        .values_list("pk", flat=True)
    )
    needs = e.needs.select_related("reported_by", "problem")
    return {
        **_item(e),
        "excluded_reason": e.excluded_reason,
        "address": e.address,
        "site": e.site_id,
        "etag": etag(e),
        "ledger": _ledger(latest) if latest is not None else None,
        "needs": [
            {
                "id": n.pk,
                "kind": n.kind,
                "text": n.text,
                "reported_at": n.reported_at,
                "reported_by": str(n.reported_by),
                "problem": (
                    {"id": n.problem.pk, "title": n.problem.title, "state": n.problem.state}
                    if n.problem_id in visible
                    else None
                ),
            }
            for n in needs
        ],
        "allowed_actions": allowed_actions(user, e),
    }


@router.get("/enterprises", response={200: EnterprisePage, **READ_ERRORS})
def list_enterprises(request: HttpRequest, filters: Query[EnterpriseListQuery]) -> dict[str, Any]:
    """Enterprises and projects of the ledger the caller sees, by name, with the counts of
    the filtered set by where each stands now (before the status filter)."""
    user = caller(request)
    rows = listing.filtered(
        Enterprise.objects.visible_to(user),
        kind=filters.kind,
        category=filters.category,
        area=filters.area,
        region=filters.region,
        supervised=filters.supervised,
        q=filters.q,
    )
    counts = listing.counts(rows)
    if filters.status is not None:
        rows = rows.filter(status=filters.status)
    rows = listing.with_related(rows)
    page = rows[filters.offset : filters.offset + filters.page_size]
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "counts": counts.as_dict(),
        "items": [_item(e) for e in page],
    }


@router.post("/enterprises", response={201: EnterpriseDetail, **WRITE_ERRORS})
def register_enterprise(request: HttpRequest, payload: EnterpriseCreate) -> Status[dict[str, Any]]:
    """登记: the office registers an enterprise or a construction project of its
    jurisdiction (422 naming the field for a region or supervising body outside it)."""
    user = caller(request)
    if not may_register(user):
        raise PermissionDenied(_("Only an office's staff register enterprises."))
    supervisor = None
    if payload.supervisor is not None:
        supervisor = choosers.SUPERVISOR.pick(payload.supervisor, user)
    enterprise = do.do_register_enterprise(
        acting_user=user,
        kind=payload.kind,
        name=payload.name,
        category=payload.category,
        region=choosers.REGION.pick(payload.region, user),
        registered_on=payload.registered_on,
        credit_code=payload.credit_code,
        area=payload.area,
        supervisor=supervisor,
        supervised=payload.supervised,
        excluded_reason=payload.excluded_reason,
        address=payload.address,
    )
    return Status(201, _detail(user, enterprise.pk))


@router.get("/enterprises/{enterprise_id}", response={200: EnterpriseDetail, **READ_ERRORS})
def get_enterprise(request: HttpRequest, enterprise_id: int) -> dict[str, Any]:
    """One enterprise: where it stands, its current ledger entry, its needs (with their
    problems where the caller sees them) and the actions open to the caller."""
    user = caller(request)
    enterprise = access(Enterprise, user, enterprise_id).obj
    return _detail(user, enterprise.pk)


@router.get("/enterprises/{enterprise_id}/history", response={200: list[EventOut], **READ_ERRORS})
def enterprise_history(request: HttpRequest, enterprise_id: int) -> list[dict[str, Any]]:
    """Every action on the enterprise, oldest first; a status carries `on`, the day it took
    effect."""
    enterprise = access(Enterprise, caller(request), enterprise_id).obj
    return [
        {
            "action": e.action,
            "action_label": e.get_action_display(),
            "actor": str(e.actor),
            "created_at": e.created_at,
            "on": e.on,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "payload": e.payload,
        }
        for e in enterprise.events.select_related("actor").order_by("created_at", "pk")
    ]


@router.get("/enterprises/{enterprise_id}/ledger", response={200: LedgerPage, **READ_ERRORS})
def enterprise_ledger(
    request: HttpRequest, enterprise_id: int, paging: Query[PageQuery]
) -> dict[str, Any]:
    """一企一台账: the entries of the epidemic-management ledger, newest first."""
    enterprise = access(Enterprise, caller(request), enterprise_id).obj
    rows = enterprise.ledger.select_related("recorded_by").order_by("-recorded_at", "-pk")
    return {
        "count": rows.count(),
        "page": paging.page,
        "page_size": paging.page_size,
        "items": [_ledger(e) for e in rows[paging.offset : paging.offset + paging.page_size]],
    }


IF_MATCH = (
    "The enterprise's `etag` as the caller read it. When it is no longer the current one, "
    "the action is refused with 412 and nothing changes."
)
ACTION_ANSWERS = {200: EnterpriseDetail, **WRITE_ERRORS, 412: ErrorOut}


def _acting(request: HttpRequest, enterprise_id: int, action: str) -> tuple[Any, Enterprise]:
    user = caller(request)
    return user, access(Enterprise, user, enterprise_id, action).obj


@router.post("/enterprises/{enterprise_id}/actions/edit", response=ACTION_ANSWERS)
def edit(
    request: HttpRequest,
    enterprise_id: int,
    payload: EnterpriseEditIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """The office corrects the enterprise; only the fields sent change."""
    user, enterprise = _acting(request, enterprise_id, EnterpriseAction.EDIT)
    changes = {field: getattr(payload, field) for field in payload.model_fields_set}
    if "region" in changes:
        changes["region"] = choosers.REGION.pick(payload.region, user)
    if payload.supervisor is not None:
        changes["supervisor"] = choosers.SUPERVISOR.pick(payload.supervisor, user)
    do.do_edit_enterprise(
        enterprise,
        acting_user=user,
        expected_version=expected_version(if_match, enterprise),
        **changes,
    )
    return _detail(user, enterprise.pk)


def _status(
    request: HttpRequest, enterprise_id: int, action: str, payload: StatusIn, if_match: str | None
) -> dict[str, Any]:
    user, enterprise = _acting(request, enterprise_id, action)
    do.do_change_status(
        enterprise,
        acting_user=user,
        action=action,
        on=payload.on or timezone.localdate(),
        expected_version=expected_version(if_match, enterprise),
    )
    return _detail(user, enterprise.pk)


@router.post("/enterprises/{enterprise_id}/actions/file", response=ACTION_ANSWERS)
def file(
    request: HttpRequest,
    enterprise_id: int,
    payload: StatusIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """备案: the enterprise filed its resumption plan on `on`."""
    return _status(request, enterprise_id, EnterpriseAction.FILE, payload, if_match)


@router.post("/enterprises/{enterprise_id}/actions/resume", response=ACTION_ANSWERS)
def resume(
    request: HttpRequest,
    enterprise_id: int,
    payload: StatusIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """复工 on `on`. Without a filing: 409 where the jurisdiction requires filing first;
    otherwise recorded, and made a problem where its rule says so."""
    return _status(request, enterprise_id, EnterpriseAction.RESUME, payload, if_match)


@router.post("/enterprises/{enterprise_id}/actions/stop", response=ACTION_ANSWERS)
def stop(
    request: HttpRequest,
    enterprise_id: int,
    payload: StatusIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """停工: a working enterprise stopped again on `on` (409 when it is not working)."""
    return _status(request, enterprise_id, EnterpriseAction.STOP, payload, if_match)


@router.post("/enterprises/{enterprise_id}/actions/exclude", response=ACTION_ANSWERS)
def exclude(
    request: HttpRequest,
    enterprise_id: int,
    payload: ExcludeIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """不在本级监管范围: out of the jurisdiction's supervision and rates, with the reason."""
    user, enterprise = _acting(request, enterprise_id, EnterpriseAction.EXCLUDE)
    do.do_exclude(
        enterprise,
        acting_user=user,
        reason=payload.reason,
        expected_version=expected_version(if_match, enterprise),
    )
    return _detail(user, enterprise.pk)


@router.post("/enterprises/{enterprise_id}/actions/include", response=ACTION_ANSWERS)
def include(
    request: HttpRequest,
    enterprise_id: int,
    payload: EmptyIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """Back under the jurisdiction's supervision and into its rates."""
    user, enterprise = _acting(request, enterprise_id, EnterpriseAction.INCLUDE)
    do.do_include(
        enterprise, acting_user=user, expected_version=expected_version(if_match, enterprise)
    )
    return _detail(user, enterprise.pk)


@router.post("/enterprises/{enterprise_id}/actions/record-ledger", response=ACTION_ANSWERS)
def record_ledger(
    request: HttpRequest,
    enterprise_id: int,
    payload: LedgerIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """一企一台账: a new entry; staff screened and under observation never exceed the staff,
    at most 30 supply lines (422 naming the field, and the line)."""
    user, enterprise = _acting(request, enterprise_id, EnterpriseAction.RECORD_LEDGER)
    do.do_record_ledger(
        enterprise,
        acting_user=user,
        staff_total=payload.staff_total,
        staff_screened=payload.staff_screened,
        staff_isolated=payload.staff_isolated,
        supplies=[line.model_dump() for line in payload.supplies],
        plan=payload.plan,
        responsible_person=payload.responsible_person,
        responsible_phone=payload.responsible_phone,
        expected_version=expected_version(if_match, enterprise),
    )
    return _detail(user, enterprise.pk)


@router.post("/enterprises/{enterprise_id}/actions/report-need", response=ACTION_ANSWERS)
def report_need(
    request: HttpRequest,
    enterprise_id: int,
    payload: NeedIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """物资短缺, 用工, 物流: the need becomes a problem at the enterprise's site, for the
    office to assign."""
    user, enterprise = _acting(request, enterprise_id, EnterpriseAction.REPORT_NEED)
    do.do_report_need(
        enterprise,
        acting_user=user,
        kind=payload.kind,
        text=payload.text,
        expected_version=expected_version(if_match, enterprise),
    )
    return _detail(user, enterprise.pk)


__all__ = ["router"]
