"""一表通 over JSON: what a collection asks, filling it (and filling it again), the returns,
a department's view and a form produced from shared data. Refusals match the pages'.

Runtime annotations (no `from __future__ import annotations`): ninja reads each endpoint's
body schema from its signature.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BeforeValidator

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
from ducha.core.scoping import access, not_in_scope
from ducha.core.text import Line, Name
from ducha.orgs.models import Org
from ducha.reportforms import collection, filling
from ducha.reportforms.choices import FormAction
from ducha.reportforms.models import FormItem, FormReturn, ReportForm

router = Router(tags=["report forms: collection"])


def _as_text(value: Any) -> Any:
    """A JSON number or true/false as the text a page would send: the action reads both
    alike, so the API and the page refuse the same answer the same way."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    return value


# One answer: text, a number or true/false (null: left blank).
Value = Annotated[Line, BeforeValidator(_as_text)]


class ItemOut(Schema):
    key: str
    label: str
    kind: str
    unit: str
    required: bool
    min_value: Decimal | None
    max_value: Decimal | None
    max_length: int | None
    choices: list[str]


class ReturnOut(Schema):
    id: int
    form: Ref
    region: Ref
    org: Ref
    period: date
    values: dict[str, Any]
    submitted_at: datetime
    submitted_by: str
    version: int
    etag: str


class CollectionOut(Schema):
    form: Ref
    frequency: str
    period: date
    items: list[ItemOut]
    # The caller's committees and their return of the current period, if filled.
    returns: list[ReturnOut]


class ReturnPage(PageOut):
    items: list[ReturnOut]


class FillIn(Body):
    # The committee filled for; may be left out by a handler of exactly one committee.
    org: int | None = None
    # Any day of the period (normalised to the form's frequency); today's period if absent.
    period: date | None = None
    values: dict[Name, Value]


class RefillIn(Body):
    values: dict[Name, Value]


class ReturnQuery(PageQuery):
    period: date | None = None


class ViewQuery(Bounded):
    period: date | None = None


class DayQuery(Bounded):
    day: date | None = None


class ColumnOut(Schema):
    key: str
    label: str
    unit: str
    kind: str
    header: str


class RowOut(Schema):
    region: Ref
    period: date
    values: list[Any]


class ViewOut(Schema):
    form: Ref
    title: str
    header: list[str]
    columns: list[ColumnOut]
    rows: list[RowOut]


def etag(filled: FormReturn) -> str:
    """A strong tag of the return's version; every new filling moves it on."""
    return f'"return-{filled.pk}-{filled.version}"'


def expected_version(if_match: str | None, filled: FormReturn) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    if etag(filled) not in {tag.strip() for tag in if_match.split(",")}:
        raise filling.stale_version()
    return filled.version


def _return(filled: FormReturn) -> dict[str, Any]:
    return {
        "id": filled.pk,
        "form": {"id": filled.form_id, "name": filled.form.name},
        "region": {"id": filled.region_id, "name": filled.region.name},
        "org": {"id": filled.org_id, "name": filled.org.name},
        "period": filled.period,
        "values": filled.values,
        "submitted_at": filled.submitted_at,
        "submitted_by": str(filled.submitted_by),
        "version": filled.version,
        "etag": etag(filled),
    }


def _item(item: FormItem) -> dict[str, Any]:
    return {
        "key": item.key,
        "label": item.label,
        "kind": item.kind,
        "unit": item.unit,
        "required": item.required,
        "min_value": item.min_value,
        "max_value": item.max_value,
        "max_length": item.max_length,
        "choices": [str(choice) for choice in item.choices],
    }


def _view(view: collection.View) -> dict[str, Any]:
    return {
        "form": {"id": view.form.pk, "name": view.form.name},
        "title": view.title,
        "header": view.header,
        "columns": [{**column.__dict__, "header": column.header} for column in view.columns],
        "rows": [
            {
                "region": {"id": row.region_id, "name": row.region},
                "period": row.period,
                "values": row.values,
            }
            for row in view.rows
        ],
    }


def _related(rows: Any) -> Any:
    return rows.select_related("form", "region", "org", "submitted_by")


def _committee(user: Any, form: ReportForm, org_id: int | None) -> Org:
    """The committee the caller fills for: the one named, or their only one."""
    committees = [org for org in collection.committees_of(user) if collection.fills(org, form)]
    if not committees:
        raise PermissionDenied(_("Only the committees that fill this form fill it."))
    if org_id is None:
        if len(committees) != 1:
            raise InvalidInput(_("Name the committee you fill the form for."), "org")
        return committees[0]
    for org in committees:
        if org.pk == org_id:
            return org
    raise not_in_scope("org")


@router.get("/report-forms/{form_id}/collection", response={200: CollectionOut, **READ_ERRORS})
def get_collection(request: HttpRequest, form_id: int) -> dict[str, Any]:
    """一表通: the items a committee answers in this form's collection (its own and those of
    the forms merged into it), and the caller's returns of the current period."""
    user = caller(request)
    form = collection.collection_form(access(ReportForm, user, form_id, FormAction.FILL).obj)
    period = collection.period_of(form.frequency, timezone.localdate())
    mine = [org.pk for org in collection.committees_of(user)]
    returns = FormReturn.objects.filter(form=form, period=period, org_id__in=mine)
    return {
        "form": {"id": form.pk, "name": form.name},
        "frequency": form.frequency,
        "period": period,
        "items": [_item(item) for item in collection.collection_items(form)],
        "returns": [_return(filled) for filled in _related(returns)],
    }


@router.post(
    "/report-forms/{form_id}/returns", response={200: ReturnOut, 201: ReturnOut, **WRITE_ERRORS}
)
def fill(request: HttpRequest, form_id: int, payload: FillIn) -> Status[dict[str, Any]]:
    """填报: a village or community committee's handler fills the collection for a period
    (201); filling the same period again updates that return (200). Every refused value is
    a 422 naming `values.<key>` and the item's label."""
    user = caller(request)
    form = access(ReportForm, user, form_id, FormAction.FILL).obj
    org = _committee(user, form, payload.org)
    region = collection.region_of(org)
    period = payload.period or timezone.localdate()
    before = FormReturn.objects.filter(
        form=form, region=region, period=collection.period_of(form.frequency, period)
    ).exists()
    filled = filling.do_fill_return(
        form,
        acting_user=user,
        region=region,
        org=org,
        period=period,
        values=payload.values,
    )
    return Status(200 if before else 201, _return(_related(FormReturn.objects).get(pk=filled.pk)))


@router.get("/report-forms/{form_id}/returns", response={200: ReturnPage, **READ_ERRORS})
def list_returns(request: HttpRequest, form_id: int, filters: Query[ReturnQuery]) -> dict[str, Any]:
    """The returns of the collection: all of the jurisdiction's for its office, leaders and
    command HQ; a committee's own for its handler. A department reads its columns through
    `/view`, not here."""
    user = caller(request)
    found = access(ReportForm, user, form_id)
    form = collection.collection_form(found.obj)
    rows = FormReturn.objects.visible_to(user).filter(form=form)
    if not found.roles & collection.JURISDICTION_READERS:
        rows = rows.filter(org_id__in=[org.pk for org in collection.committees_of(user)])
    if filters.period is not None:
        rows = rows.filter(period=collection.period_of(form.frequency, filters.period))
    rows = _related(rows).order_by("-period", "region__tree_order", "pk")
    page = rows[filters.offset : filters.offset + filters.page_size]
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_return(filled) for filled in page],
    }


IF_MATCH = (
    "The return's `etag` as the caller read it. When it is no longer the current one, the "
    "filling is refused with 412 and nothing changes."
)


@router.get("/report-form-returns/{return_id}", response={200: ReturnOut, **READ_ERRORS})
def get_return(request: HttpRequest, return_id: int) -> dict[str, Any]:
    """One return with its `etag`: for the committee that filled it and the jurisdiction's
    office, leaders and command HQ."""
    user = caller(request)
    found = access(FormReturn, user, return_id)
    filled = found.obj
    if not (
        found.roles & collection.JURISDICTION_READERS or collection.handles(user, filled.org_id)
    ):
        # A department reads its columns through its view, never a whole return.
        raise Http404
    return _return(_related(FormReturn.objects).get(pk=filled.pk))


@router.post(
    "/report-form-returns/{return_id}/actions/refill",
    response={200: ReturnOut, **WRITE_ERRORS, 412: ErrorOut},
)
def refill(
    request: HttpRequest,
    return_id: int,
    payload: RefillIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """The committee that filled a return fills it again (same place, same period)."""
    user = caller(request)
    filled = access(FormReturn, user, return_id, FormAction.FILL).obj
    if not collection.handles(user, filled.org_id):
        raise PermissionDenied(_("Only the committee that filled a return may change it."))
    filling.do_fill_return(
        filled.form,
        acting_user=user,
        region=filled.region,
        org=filled.org,
        period=filled.period,
        values=payload.values,
        expected_version=expected_version(if_match, filled),
    )
    return _return(_related(FormReturn.objects).get(pk=filled.pk))


def _readable(user: Any, form_id: int) -> ReportForm:
    found = access(ReportForm, user, form_id)
    if not collection.may_read_view(user, found.obj, found.roles):
        raise PermissionDenied(_("A department reads the view of its own forms."))
    return found.obj


@router.get("/report-forms/{form_id}/view", response={200: ViewOut, **READ_ERRORS, 403: ErrorOut})
def department_view(request: HttpRequest, form_id: int, filters: Query[ViewQuery]) -> Any:
    """部门视图: the returns of the collection this form is filled in, read in the form's own
    layout (its items, its order), one row per place and period."""
    user = caller(request)
    form = _readable(user, form_id)
    if collection.is_shared(form):
        raise HttpError(404, _("This form is produced from shared data: read it at /shared."))
    returns = collection.view_returns(user, form, filters.period)
    return _view(collection.department_view(form, returns))


@router.get("/report-forms/{form_id}/shared", response={200: ViewOut, **READ_ERRORS, 403: ErrorOut})
def shared_view(request: HttpRequest, form_id: int, filters: Query[DayQuery]) -> Any:
    """数据共享: a form served from shared data, produced for a day (today if absent) from
    the problems, inspections and enterprise ledger of its jurisdiction."""
    user = caller(request)
    form = _readable(user, form_id)
    if not collection.is_shared(form):
        raise HttpError(404, _("This form is not served from shared data."))
    return _view(collection.shared_view(form, filters.day or timezone.localdate()))


__all__ = ["router"]
