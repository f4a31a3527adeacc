"""The register of forms over JSON (报表精简): the register with its reduction rate and
burden, registering a form, one form with its items and history, editing it, the office's
decision, and the analyser. Refusals match the pages' (decision 0015).

Runtime annotations (no `from __future__ import annotations`): ninja reads each endpoint's
body schema from its signature.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from ducha.accounts.auth import caller
from ducha.core.errors import InvalidInput
from ducha.core.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Body,
    Bounded,
    ErrorOut,
    PageOut,
    PageQuery,
    Ref,
)
from ducha.core.scoping import access
from ducha.core.text import Line, Name, Title
from ducha.orgs.choices import RegionLevel
from ducha.reportforms import actions as do
from ducha.reportforms import choosers
from ducha.reportforms.analysis import DEFAULT_SHARE, MAX_SHARE, MIN_SHARE, analyse, register
from ducha.reportforms.burden import Burden, burden
from ducha.reportforms.choices import MAX_ITEMS, Decision, FormAction, Frequency
from ducha.reportforms.models import ReportForm

router = Router(tags=["report forms"])


class ItemIn(Body):
    label: Name
    # Blank: made from the label. Items of two forms with one key are the same figure.
    key: Name = ""
    kind: Name = "integer"
    unit: Name = ""
    required: bool = True
    # Numbers, not text: at most two decimals (the action says so otherwise).
    min_value: float | None = None
    max_value: float | None = None
    max_length: int | None = None
    choices: list[Name] = []
    shared_figure: Name = ""


class FormCreate(Body):
    # The jurisdiction; may be left out by the staff of one office.
    region: int | None = None
    number: int
    name: Title
    department: int
    frequency: Frequency
    filled_by: int = RegionLevel.VILLAGE
    minutes: int
    items: list[ItemIn] = Field(..., max_length=MAX_ITEMS)


class FormEditIn(Body):
    number: int | None = None
    name: Title | None = None
    department: int | None = None
    frequency: Frequency | None = None
    filled_by: int | None = None
    minutes: int | None = None
    items: list[ItemIn] | None = Field(None, max_length=MAX_ITEMS)


class FormDecideIn(Body):
    decision: Decision
    merged_into: int | None = None
    reason: Line = ""


class LoadOut(Schema):
    forms: Decimal
    items: Decimal
    minutes: Decimal


class BurdenOut(Schema):
    region: Ref | None
    before: int
    after: int
    # (before − after) / before, in per cent: 精减率.
    rate: str
    dropped: int
    merged: int
    shared: int
    kept: int
    pending: int
    per_day_before: LoadOut
    per_day_after: LoadOut


class ItemOut(Schema):
    position: int
    label: str
    key: str
    kind: str
    unit: str
    required: bool
    min_value: Decimal | None
    max_value: Decimal | None
    max_length: int | None
    choices: list[str]
    shared_figure: str


class FormRef(Schema):
    id: int
    number: int
    name: str


class FormItemOut(FormRef):
    region: Ref
    department: Ref
    frequency: str
    filled_by: int
    minutes: int
    decision: str
    decision_label: str
    merged_into: FormRef | None
    items: int


class EventOut(Schema):
    action: str
    actor: str
    created_at: datetime
    from_decision: str
    to_decision: str
    comment: str


class FormDetail(FormItemOut):
    decision_reason: str
    decided_at: datetime | None
    etag: str
    item_list: list[ItemOut]
    merged: list[FormRef]
    events: list[EventOut]
    allowed_actions: list[str]


class FormPage(PageOut):
    figures: BurdenOut
    items: list[FormItemOut]


class FormListQuery(PageQuery):
    region: int | None = None
    department: int | None = None
    decision: Decision | None = None
    frequency: Frequency | None = None


class RegionQuery(Bounded):
    region: int | None = None


class AnalysisQuery(RegionQuery):
    share: float = Field(float(DEFAULT_SHARE), ge=float(MIN_SHARE), le=float(MAX_SHARE))


class RepeatedOut(Schema):
    key: str
    labels: list[str]
    forms: list[FormRef]
    departments: list[Ref]


class OverlapOut(Schema):
    first: FormRef
    second: FormRef
    common: list[str]
    percent: str


class HeldOut(Schema):
    key: str
    label: str
    figure: str
    figure_label: str
    forms: list[FormRef]
    departments: list[Ref]


class AnalysisOut(Schema):
    region: Ref | None
    share: Decimal
    forms: int
    repeated: list[RepeatedOut]
    overlaps: list[OverlapOut]
    held: list[HeldOut]


def _ref(org: Any) -> dict[str, Any] | None:
    return None if org is None else {"id": org.pk, "name": org.name}


def _form_ref(form: ReportForm | None) -> dict[str, Any] | None:
    return None if form is None else {"id": form.pk, "number": form.number, "name": form.name}


def _item(form: ReportForm) -> dict[str, Any]:
    return {
        **(_form_ref(form) or {}),
        "region": _ref(form.region),
        "department": _ref(form.department),
        "frequency": form.frequency,
        "filled_by": form.filled_by,
        "minutes": form.minutes,
        "decision": form.decision,
        "decision_label": form.get_decision_display(),
        "merged_into": _form_ref(form.merged_into),
        "items": getattr(form, "item_count", None) or form.items.count(),
    }


def etag(form: ReportForm) -> str:
    """A strong tag of the form's version; every action moves it on."""
    return f'"{form.pk}-{form.version}"'


def expected_version(if_match: str | None, form: ReportForm) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    if etag(form) not in {tag.strip() for tag in if_match.split(",")}:
        raise do.stale_version()
    return form.version


def _allowed(user: Any, form: ReportForm) -> list[str]:
    allowed = []
    for action in (FormAction.EDIT, FormAction.DECIDE):
        if ReportForm.objects.visible_to(user, action).filter(pk=form.pk).exists():
            allowed.append(action.value)
    return allowed


def _detail(user: Any, pk: int) -> dict[str, Any]:
    form = ReportForm.objects.select_related("region", "department", "merged_into").get(pk=pk)
    merged = ReportForm.objects.visible_to(user).filter(merged_into=form).order_by("number")
    return {
        **_item(form),
        "decision_reason": form.decision_reason,
        "decided_at": form.decided_at,
        "etag": etag(form),
        "item_list": [
            {
                "position": i.position,
                "label": i.label,
                "key": i.key,
                "kind": i.kind,
                "unit": i.unit,
                "required": i.required,
                "min_value": i.min_value,
                "max_value": i.max_value,
                "max_length": i.max_length,
                "choices": i.choices,
                "shared_figure": i.shared_figure,
            }
            for i in form.items.order_by("position")
        ],
        "merged": [_form_ref(m) for m in merged],
        "events": [
            {
                "action": e.action,
                "actor": str(e.actor),
                "created_at": e.created_at,
                "from_decision": e.from_decision,
                "to_decision": e.to_decision,
                "comment": e.comment,
            }
            for e in form.events.select_related("actor").order_by("created_at", "pk")
        ],
        "allowed_actions": _allowed(user, form),
    }


def burden_out(region: Any, figures: Burden | None) -> dict[str, Any]:
    figures = figures or burden(ReportForm.objects.none())
    counts = figures.decisions
    return {
        "region": _ref(region),
        "before": figures.before,
        "after": figures.after,
        "rate": figures.rate,
        "dropped": counts[Decision.DROP],
        "merged": counts[Decision.MERGE],
        "shared": counts[Decision.SHARED],
        "kept": counts[Decision.KEEP],
        "pending": counts[Decision.PENDING],
        "per_day_before": vars(figures.per_day_before),
        "per_day_after": vars(figures.per_day_after),
    }


@router.get("/report-forms", response={200: FormPage, **READ_ERRORS})
def list_forms(request: HttpRequest, filters: Query[FormListQuery]) -> dict[str, Any]:
    """The forms of a jurisdiction the caller sees (the caller's first when `region` is left
    out), by number, with the reduction rate and burden of the whole register (before the
    filters)."""
    user = caller(request)
    region, forms = register(user, filters.region)
    figures = burden(forms) if region is not None else None
    rows = forms
    if filters.department is not None:
        rows = rows.filter(department_id=filters.department)
    if filters.decision is not None:
        rows = rows.filter(decision=filters.decision)
    if filters.frequency is not None:
        rows = rows.filter(frequency=filters.frequency)
    rows = rows.select_related("region", "department", "merged_into").order_by("number", "pk")
    page = rows.annotate(item_count=Count("items"))[
        filters.offset : filters.offset + filters.page_size
    ]
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "figures": burden_out(region, figures),
        "items": [_item(form) for form in page],
    }


def _items(items: list[ItemIn]) -> list[dict[str, Any]]:
    return [item.model_dump(exclude_unset=True) for item in items]


@router.post("/report-forms", response={201: FormDetail, **WRITE_ERRORS})
def create_form(request: HttpRequest, payload: FormCreate) -> Status[dict[str, Any]]:
    """An office registers a form a department of its jurisdiction demands, with its items
    (1 to 200; a refused item is named in the message: "Item 3: …")."""
    user = caller(request)
    regions = choosers.registering_regions(user)
    if not regions.exists():
        raise PermissionDenied(_("Only the office of a jurisdiction registers its forms."))
    if payload.region is None:
        if regions.count() != 1:
            raise InvalidInput(_("This field is required."), "region")
        region = regions.get()
    else:
        region = choosers.REGION.pick(payload.region, user)
    form = do.do_register_form(
        acting_user=user,
        region=region,
        number=payload.number,
        name=payload.name,
        department=choosers.DEPARTMENT.pick(payload.department, region),
        frequency=payload.frequency,
        filled_by=payload.filled_by,
        minutes=payload.minutes,
        items=_items(payload.items),
    )
    return Status(201, _detail(user, form.pk))


@router.get("/report-forms/analysis", response={200: AnalysisOut, **READ_ERRORS})
def analysis(request: HttpRequest, filters: Query[AnalysisQuery]) -> dict[str, Any]:
    """Items requested by more than one form, pairs of forms whose common items make at
    least `share` of the smaller one's, and items the platform already holds."""
    user = caller(request)
    region, forms = register(user, filters.region)
    found = analyse(forms, Decimal(str(filters.share)))
    return {
        "region": _ref(region),
        "share": found.share,
        "forms": found.forms,
        "repeated": [
            {
                "key": row.key,
                "labels": row.labels,
                "forms": [_form_ref(f) for f in row.forms],
                "departments": [_ref(d) for d in row.departments],
            }
            for row in found.repeated
        ],
        "overlaps": [
            {
                "first": _form_ref(row.first),
                "second": _form_ref(row.second),
                "common": row.common,
                "percent": row.percent,
            }
            for row in found.overlaps
        ],
        "held": [
            {
                "key": row.key,
                "label": row.label,
                "figure": row.figure,
                "figure_label": row.figure_label,
                "forms": [_form_ref(f) for f in row.forms],
                "departments": [_ref(d) for d in row.departments],
            }
            for row in found.held
        ],
    }


@router.get("/report-forms/burden", response={200: BurdenOut, **READ_ERRORS})
def burden_of(request: HttpRequest, filters: Query[RegionQuery]) -> dict[str, Any]:
    """Forms before and after the decisions, the reduction rate (精减率), the count of each
    decision, and what a village fills per day before and after."""
    region, forms = register(caller(request), filters.region)
    return burden_out(region, burden(forms) if region is not None else None)


@router.get("/report-forms/{form_id}", response={200: FormDetail, **READ_ERRORS})
def get_form(request: HttpRequest, form_id: int) -> dict[str, Any]:
    """One form: its items, its decision, the forms merged into it, its history and the
    actions open to the caller."""
    user = caller(request)
    form = access(ReportForm, user, form_id).obj
    return _detail(user, form.pk)


IF_MATCH = (
    "The form's `etag` as the caller read it. When it is no longer the current one, the "
    "action is refused with 412 and nothing changes."
)


@router.post(
    "/report-forms/{form_id}/actions/edit",
    response={200: FormDetail, **WRITE_ERRORS, 412: ErrorOut},
)
def edit(
    request: HttpRequest,
    form_id: int,
    payload: FormEditIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """Correct a form: the fields sent change; `items`, when sent, replace all items."""
    user = caller(request)
    form = access(ReportForm, user, form_id, FormAction.EDIT).obj
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    if "department" in changes:
        changes["department"] = choosers.DEPARTMENT.pick(payload.department, form.region)
    if payload.items is not None:
        changes["items"] = _items(payload.items)
    do.do_edit_form(
        form, acting_user=user, expected_version=expected_version(if_match, form), **changes
    )
    return _detail(user, form.pk)


@router.post(
    "/report-forms/{form_id}/actions/decide",
    response={200: FormDetail, **WRITE_ERRORS, 412: ErrorOut},
)
def decide(
    request: HttpRequest,
    form_id: int,
    payload: FormDecideIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """The office's decision: keep, drop, merge (naming `merged_into`, a form of the same
    jurisdiction still filled) or shared (every item held by the platform)."""
    user = caller(request)
    form = access(ReportForm, user, form_id, FormAction.DECIDE).obj
    target = None
    if payload.merged_into is not None:
        target = choosers.MERGE_TARGET.pick(payload.merged_into, user)
    do.do_decide_form(
        form,
        acting_user=user,
        decision=payload.decision,
        merged_into=target,
        reason=payload.reason,
        expected_version=expected_version(if_match, form),
    )
    return _detail(user, form.pk)


__all__ = ["router"]
