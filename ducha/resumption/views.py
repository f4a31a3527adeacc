"""Pages of the 复工复产 ledger: the list with its counts, one enterprise with its status
timeline, ledger and needs, registering and correcting one, the street's phone page for its
status, the ledger entry, a need, supervision, and the jurisdiction's rule.

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
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.forms import run_action
from ducha.core.scoping import access
from ducha.problems.models import Problem
from ducha.resumption import actions, choosers, listing
from ducha.resumption.access import allowed_actions, may_register, may_set_rule
from ducha.resumption.choices import EnterpriseAction
from ducha.resumption.forms import (
    RULE_MODES,
    EnterpriseForm,
    ExcludeForm,
    Filters,
    IncludeForm,
    LedgerForm,
    NeedForm,
    RuleForm,
    StatusForm,
    mode_of,
)
from ducha.resumption.models import Enterprise


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = Enterprise.objects.visible_to(user)
    filters = Filters(request.GET or None, regions=choosers.filter_regions(user))
    data = filters.cleaned_data if filters.is_valid() else {}
    region = data.get("region")
    supervised = {"yes": True, "no": False}.get(data.get("supervised") or "")
    rows = listing.filtered(
        rows,
        kind=data.get("kind"),
        category=data.get("category"),
        area=data.get("area"),
        region=region.pk if region is not None else None,
        supervised=supervised,
        q=data.get("q"),
    )
    counts = listing.counts(rows)
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    page = Paginator(listing.with_related(rows), settings.DUCHA_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "resumption/list.html",
        {
            "page": page,
            "filters": filters,
            "counts": counts,
            "query": query.urlencode(),
            "may_register": may_register(user),
            "may_set_rule": may_set_rule(user),
        },
        status=400 if filters.is_bound and not filters.is_valid() else 200,
    )


@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    if not may_register(request.user):
        raise PermissionDenied(_("Only an office's staff register enterprises."))
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_action(
            request,
            form,
            actions.do_register_enterprise,
            acting_user=request.user,
            kind=data["kind"],
            name=data["name"],
            category=data["category"],
            region=data["region"],
            registered_on=data["registered_on"],
            credit_code=data["credit_code"],
            area=data["area"],
            supervisor=data["supervisor"],
            supervised=data["supervised"],
            excluded_reason=data["excluded_reason"],
            address=data["address"],
        )
        if outcome.ok:
            messages.success(request, _("The enterprise was registered."))
            return redirect("resumption:detail", pk=outcome.result.pk)
    return render(
        request,
        "resumption/form.html",
        {"form": form, "title": _("Register an enterprise"), "submit": _("Register")},
        status=400 if form.is_bound else 200,
    )


def _page(request: HttpRequest, enterprise: Enterprise) -> dict[str, Any]:
    user = request.user
    events = enterprise.events.select_related("actor").order_by("created_at", "pk")
    visible = Problem.objects.visible_to(user).values("pk")
    return {
        "enterprise": enterprise,
        "allowed": allowed_actions(user, enterprise),
        # The status page is offered whatever the status: it says why a change is refused.
        "may_record_status": Enterprise.objects.visible_to(user, EnterpriseAction.RESUME)
        .filter(pk=enterprise.pk)
        .exists(),
        "timeline": [event for event in events if event.on is not None],
        "events": events,
        "ledger": enterprise.ledger.select_related("recorded_by").order_by("-recorded_at", "-pk"),
        "needs": enterprise.needs.select_related("reported_by", "problem"),
        "visible_problems": set(
            Problem.objects.filter(
                pk__in=visible, enterprise_need__enterprise=enterprise
            ).values_list("pk", flat=True)
        ),
    }


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access(Enterprise, request.user, pk).obj
    return render(request, "resumption/detail.html", _page(request, enterprise))


def _form_page(
    request: HttpRequest, enterprise: Enterprise, form: Any, title: str, submit: str, status: int
) -> HttpResponse:
    context = {"enterprise": enterprise, "form": form, "title": title, "submit": submit}
    return render(request, "resumption/form.html", context, status=status)


def _done(request: HttpRequest, outcome: Any, pk: int, said: str) -> HttpResponse | None:
    """Back to the enterprise when the action was taken, or refused for its state (the
    message says why); None to show the form again with its errors."""
    if outcome.ok or outcome.refused_state:
        if outcome.ok:
            messages.success(request, said)
        return redirect("resumption:detail", pk=pk)
    return None


@login_required
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access(Enterprise, request.user, pk, EnterpriseAction.EDIT).obj
    initial = {
        field: getattr(enterprise, field)
        for field in ("kind", "name", "credit_code", "category", "area", "address")
    }
    initial |= {
        "region": enterprise.region_id,
        "supervisor": enterprise.supervisor_id,
        "registered_on": enterprise.registered_on,
        "version": enterprise.version,
    }
    form = EnterpriseForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {field: data[field] for field in actions.EDITABLE}
        outcome = run_action(
            request,
            form,
            actions.do_edit_enterprise,
            enterprise,
            acting_user=request.user,
            expected_version=data.get("version"),
            **changes,
        )
        if (done := _done(request, outcome, pk, _("The enterprise was corrected."))) is not None:
            return done
    return _form_page(
        request,
        enterprise,
        form,
        _("Correct the enterprise"),
        _("Save"),
        400 if form.is_bound else 200,
    )


@login_required
def enterprise_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The street's phone page: 备案, 复工 or 停工, dated today unless said otherwise."""
    # Filing, resuming and stopping are taken by the same roles; the action says which.
    enterprise = access(Enterprise, request.user, pk, EnterpriseAction.RESUME).obj
    form = StatusForm(request.POST or None, initial={"version": enterprise.version})
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_action(
            request,
            form,
            actions.do_change_status,
            enterprise,
            acting_user=request.user,
            action=data["action"],
            on=data["on"] or timezone.localdate(),
            expected_version=data.get("version"),
        )
        if outcome.ok:
            messages.success(request, _("The status was recorded."))
            return redirect("resumption:detail", pk=pk)
        if outcome.refused_state:
            # The message is on top of the page; the form starts again from the enterprise
            # as it stands now.
            enterprise.refresh_from_db()
            form = StatusForm(initial={"version": enterprise.version, "on": data["on"]})
            status = outcome.status
    context = {"enterprise": enterprise, "form": form, "rule": actions.rule_for(enterprise.region)}
    return render(request, "resumption/status.html", context, status=status)


@login_required
def enterprise_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access(Enterprise, request.user, pk, EnterpriseAction.RECORD_LEDGER).obj
    latest = enterprise.ledger.first()
    initial: dict[str, Any] = {"version": enterprise.version}
    if latest is not None:
        initial |= {
            "staff_total": latest.staff_total,
            "staff_screened": latest.staff_screened,
            "staff_isolated": latest.staff_isolated,
            "supplies": "\n".join(
                f"{s['name']}，{s['quantity']}，{s['unit']}，{s['days']}" for s in latest.supplies
            ),
            "plan": latest.plan,
            "responsible_person": latest.responsible_person,
            "responsible_phone": latest.responsible_phone,
        }
    form = LedgerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_action(
            request,
            form,
            actions.do_record_ledger,
            enterprise,
            acting_user=request.user,
            staff_total=data["staff_total"],
            staff_screened=data["staff_screened"],
            staff_isolated=data["staff_isolated"] or 0,
            supplies=data["supplies"],
            plan=data["plan"],
            responsible_person=data["responsible_person"],
            responsible_phone=data["responsible_phone"],
            expected_version=data.get("version"),
        )
        if (done := _done(request, outcome, pk, _("The ledger entry was recorded."))) is not None:
            return done
    title = _("Epidemic-management ledger")
    return _form_page(request, enterprise, form, title, _("Record"), 400 if form.is_bound else 200)


@login_required
def enterprise_need(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access(Enterprise, request.user, pk, EnterpriseAction.REPORT_NEED).obj
    form = NeedForm(request.POST or None, initial={"version": enterprise.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_action(
            request,
            form,
            actions.do_report_need,
            enterprise,
            acting_user=request.user,
            kind=data["kind"],
            text=data["text"],
            expected_version=data.get("version"),
        )
        said = _("The need was reported; it is a problem for the office to assign.")
        if (done := _done(request, outcome, pk, said)) is not None:
            return done
    title = _("Report a need")
    return _form_page(request, enterprise, form, title, _("Report"), 400 if form.is_bound else 200)


@login_required
def enterprise_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access(Enterprise, request.user, pk, EnterpriseAction.EXCLUDE).obj
    form = ExcludeForm(request.POST or None, initial={"version": enterprise.version})
    if request.method == "POST" and form.is_valid():
        outcome = run_action(
            request,
            form,
            actions.do_exclude,
            enterprise,
            acting_user=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data.get("version"),
        )
        said = _("The enterprise is now listed outside the supervision.")
        if (done := _done(request, outcome, pk, said)) is not None:
            return done
    title = _("Take out of supervision")
    return _form_page(request, enterprise, form, title, _("Confirm"), 400 if form.is_bound else 200)


@login_required
def enterprise_include(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access(Enterprise, request.user, pk, EnterpriseAction.INCLUDE).obj
    if request.method != "POST":
        return redirect("resumption:detail", pk=pk)
    form = IncludeForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    outcome = run_action(
        request,
        None,
        actions.do_include,
        enterprise,
        acting_user=request.user,
        expected_version=version,
    )
    if outcome.ok:
        messages.success(request, _("The enterprise is under supervision again."))
    return redirect("resumption:detail", pk=pk)


@login_required
def resumption_rule(request: HttpRequest) -> HttpResponse:
    """The jurisdiction's rule for a resumption without a filed plan."""
    if not may_set_rule(request.user):
        raise PermissionDenied(_("Only an office's staff set their jurisdiction's rule."))
    regions = choosers.rule_regions(request.user)
    current = actions.rule_for(regions[0])
    initial = {"region": regions[0].pk, "mode": mode_of(current)}
    form = RuleForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        filing_first, problem_when_unfiled = RULE_MODES[form.cleaned_data["mode"]]
        outcome = run_action(
            request,
            form,
            actions.do_set_resumption_rule,
            form.cleaned_data["region"],
            acting_user=request.user,
            filing_first=filing_first,
            problem_when_unfiled=problem_when_unfiled,
            aliases={"problem_when_unfiled": "mode"},
        )
        if outcome.ok:
            messages.success(request, _("The rule was saved."))
            return redirect("resumption:rule")
    rules = [(region, actions.rule_for(region)) for region in regions]
    return render(
        request,
        "resumption/rule.html",
        {"form": form, "rules": rules},
        status=400 if form.is_bound else 200,
    )
