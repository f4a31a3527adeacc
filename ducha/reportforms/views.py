"""Pages of the register of forms (报表精简): the register with its reduction rate and
burden, registering a form, one form with its items and history, the office's decision,
and the analyser.

Lists start from `visible_to`; single rows come through `access`; changes only through the
`do_*` actions.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput
from ducha.core.forms import put_error, run_action
from ducha.core.scoping import access
from ducha.orgs.models import Org
from ducha.reportforms import actions, choosers
from ducha.reportforms.analysis import DEFAULT_SHARE, analyse, jurisdictions, register
from ducha.reportforms.burden import burden
from ducha.reportforms.choices import FormAction
from ducha.reportforms.forms import EXAMPLE, AnalysisFilters, DecideForm, Filters, RegisterForm
from ducha.reportforms.models import ReportForm
from ducha.reportforms.shared import FIGURES


def may_register(user: Any) -> bool:
    return choosers.registering_regions(user).exists()


def _region_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("region", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    try:
        region, forms_ = register(request.user, _region_id(request))
    except InvalidInput:
        region, forms_ = register(request.user)
    departments = Org.objects.filter(pk__in=forms_.values("department")).order_by("name")
    filters = Filters(request.GET or None, departments=departments)
    data = filters.cleaned_data if filters.is_valid() else {}
    summary = burden(forms_) if region is not None else None
    rows = forms_
    if data.get("department"):
        rows = rows.filter(department=data["department"])
    for field in ("decision", "frequency"):
        if data.get(field):
            rows = rows.filter(**{field: data[field]})
    rows = rows.select_related("department", "merged_into").order_by("number", "pk")
    page = Paginator(rows, settings.DUCHA_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reportforms/list.html",
        {
            "region": region,
            "page": page,
            "filters": filters,
            "burden": summary,
            "regions": jurisdictions(request.user),
            "may_register": may_register(request.user),
        },
        status=400 if filters.is_bound and not filters.is_valid() else 200,
    )


def _register(*, lines: list[int], **kwargs: Any) -> ReportForm:
    """The action, with a refused item told by the line it was written on."""
    try:
        return actions.do_register_form(**kwargs)
    except actions.ItemRefused as error:
        line = lines[error.position - 1] if error.position <= len(lines) else error.position
        raise InvalidInput(
            _("Line %(line)s: %(message)s") % {"line": line, "message": error.detail}, "items"
        ) from error


@login_required
def form_create(request: HttpRequest) -> HttpResponse:
    if not may_register(request.user):
        raise PermissionDenied(_("Only the office of a jurisdiction registers its forms."))
    form = RegisterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_action(
            request,
            form,
            _register,
            lines=form.lines,
            acting_user=request.user,
            region=data["region"],
            number=data["number"],
            name=data["name"],
            department=data["department"],
            frequency=data["frequency"],
            filled_by=data["filled_by"],
            minutes=data["minutes"],
            items=data["items"],
        )
        if outcome.ok:
            messages.success(request, _("The form was registered."))
            return redirect("reportforms:detail", pk=outcome.result.pk)
    status = 422 if form.is_bound else 200
    context = {"form": form, "example": EXAMPLE, "figures": sorted(FIGURES.items())}
    return render(request, "reportforms/create.html", context, status=status)


def _page(request: HttpRequest, report_form: ReportForm, **forms_: Any) -> dict[str, Any]:
    user = request.user
    may_decide = (
        ReportForm.objects.visible_to(user, FormAction.DECIDE).filter(pk=report_form.pk).exists()
    )
    visible = ReportForm.objects.visible_to(user)
    initial = {
        "version": report_form.version,
        "decision": report_form.decision,
        "merged_into": report_form.merged_into_id,
        "reason": report_form.decision_reason,
    }
    return {
        "report_form": report_form,
        "items": [
            (item, FIGURES.get(item.shared_figure))
            for item in report_form.items.order_by("position")
        ],
        "merged": visible.filter(merged_into=report_form).select_related("department"),
        "events": report_form.events.select_related("actor").order_by("created_at", "pk"),
        "decide_form": forms_.get("decide_form")
        or (DecideForm(initial=initial, user=user) if may_decide else None),
    }


@login_required
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report_form = access(ReportForm, request.user, pk).obj
    return render(request, "reportforms/detail.html", _page(request, report_form))


@login_required
def form_decide(request: HttpRequest, pk: int) -> HttpResponse:
    report_form = access(ReportForm, request.user, pk, FormAction.DECIDE).obj
    if request.method != "POST":
        return redirect("reportforms:detail", pk=pk)
    form = DecideForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        outcome = run_action(
            request,
            form,
            actions.do_decide_form,
            report_form,
            acting_user=request.user,
            decision=data["decision"],
            merged_into=data["merged_into"],
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        if outcome.ok or outcome.refused_state:
            if outcome.ok:
                messages.success(request, _("The decision was recorded."))
            return redirect("reportforms:detail", pk=pk)
    report_form.refresh_from_db()
    context = _page(request, report_form, decide_form=form)
    return render(request, "reportforms/detail.html", context, status=422)


@login_required
def form_analysis(request: HttpRequest) -> HttpResponse:
    filters = AnalysisFilters(request.GET or None)
    valid = filters.is_valid() if filters.is_bound else True
    data = filters.cleaned_data if filters.is_bound and valid else {}
    try:
        region, forms_ = register(request.user, data.get("region"))
    except InvalidInput as error:
        put_error(filters, error)
        region, forms_ = register(request.user)
        valid = False
    share = data.get("share") or DEFAULT_SHARE
    return render(
        request,
        "reportforms/analysis.html",
        {
            "region": region,
            "filters": filters,
            "regions": jurisdictions(request.user),
            "analysis": analyse(forms_, share) if region is not None else None,
        },
        status=200 if valid else 400,
    )
