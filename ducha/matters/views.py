"""Pages of matters handed down: the batches with each office's progress, one batch, the
hand-down form and the forms of the handovers' actions (sign, break down, report, urge).

Lists start from `visible_to`; single rows come through the access helpers; state changes
only through the `do_*` actions.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ducha.core.forms import run_action
from ducha.core.scoping import access
from ducha.matters import actions, choosers
from ducha.matters.access import access_handover, allowed_actions
from ducha.matters.choices import MatterAction
from ducha.matters.forms import (
    AcceptForm,
    BreakDownForm,
    HandDownForm,
    ReportForm,
    SignForm,
    UrgeForm,
)
from ducha.matters.models import MatterBatch, MatterHandover, MatterProblem
from ducha.matters.progress import progress


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = (
        MatterBatch.objects.visible_to(request.user)
        .select_related("issuing_office")
        .order_by("-issued_on", "-pk")
    )
    page = Paginator(batches, settings.DUCHA_PAGE_SIZE).get_page(request.GET.get("page"))
    lines = progress(request.user, [batch.pk for batch in page])
    rows = [(batch, lines[batch.pk]) for batch in page]
    return render(
        request,
        "matters/list.html",
        {
            "page": page,
            "rows": rows,
            "may_hand_down": choosers.issuing_offices(request.user).exists(),
        },
    )


@login_required
def batch_create(request: HttpRequest) -> HttpResponse:
    if not choosers.issuing_offices(request.user).exists():
        raise PermissionDenied(_("Only an office's staff may hand down matters."))
    form = HandDownForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_action(
            request,
            form,
            actions.do_hand_down_batch,
            acting_user=request.user,
            issuing_office=data["issuing_office"],
            offices=list(data["offices"]),
            title=data["title"],
            source_kind=data["source_kind"],
            source_text=data["source_text"],
            issued_on=data["issued_on"],
            matters=data["matters"],
        )
        if outcome.ok:
            messages.success(request, _("The matters were handed down."))
            return redirect("matters:detail", pk=outcome.result.pk)
    status = 400 if form.is_bound else 200
    return render(request, "matters/create.html", {"form": form}, status=status)


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access(MatterBatch, request.user, pk).obj
    handovers = list(
        MatterHandover.objects.visible_to(request.user)
        .filter(matter__batch=batch)
        .select_related("matter", "office", "signed_by", "reported_by")
        .order_by("matter__position", "office__tree_order")
    )
    links: dict[int, list[Any]] = {}
    for link in MatterProblem.objects.filter(handover__in=handovers).select_related(
        "problem__responsible_org"
    ):
        links.setdefault(link.handover_id, []).append(link.problem)
    allowed = allowed_actions(request.user, handovers)
    rows = [
        (h, links.get(h.pk, []), [(a, MatterAction(a).label) for a in allowed[h.pk]])
        for h in handovers
    ]
    # Another office's handovers, and what was done on them, stay out of sight.
    events = batch.events.filter(Q(handover__isnull=True) | Q(handover__in=handovers))
    return render(
        request,
        "matters/detail.html",
        {
            "batch": batch,
            "matters": batch.matters.all(),
            "rows": rows,
            "progress": progress(request.user, [batch.pk])[batch.pk],
            "events": events.select_related("actor", "handover__office").order_by(
                "created_at", "pk"
            ),
        },
    )


FORMS: dict[str, Any] = {
    MatterAction.SIGN: SignForm,
    MatterAction.BREAK_DOWN: BreakDownForm,
    MatterAction.REPORT: ReportForm,
    MatterAction.URGE: UrgeForm,
    MatterAction.ACCEPT: AcceptForm,
}


def _run(request: HttpRequest, step: str, form: Any, handover: MatterHandover) -> Any:
    data, user = form.cleaned_data, request.user
    version = {"expected_version": data.get("version")}
    if step == MatterAction.SIGN:
        return run_action(
            request, form, actions.do_sign_matter, handover, acting_user=user, **version
        )
    if step == MatterAction.BREAK_DOWN:
        return run_action(
            request,
            form,
            actions.do_break_down,
            handover,
            acting_user=user,
            units=list(data["units"]),
            focus_area=data["focus_area"],
            comment=data["comment"],
            **version,
        )
    if step == MatterAction.REPORT:
        return run_action(
            request,
            form,
            actions.do_report_matter,
            handover,
            acting_user=user,
            text=data["text"],
            reason=data["reason"],
            **version,
        )
    if step == MatterAction.ACCEPT:
        return run_action(
            request,
            form,
            actions.do_accept_matter,
            handover,
            acting_user=user,
            comment=data["comment"],
            **version,
        )
    return run_action(
        request,
        form,
        actions.do_urge_matter,
        handover,
        acting_user=user,
        comment=data["comment"],
        **version,
    )


def _form(step: str, request: HttpRequest, handover: MatterHandover) -> Any:
    data = request.POST if request.method == "POST" else None
    initial = {"version": handover.version}
    if step == MatterAction.BREAK_DOWN:
        return BreakDownForm(data, initial=initial, user=request.user, office=handover.office)
    return FORMS[step](data, initial=initial)


@login_required
def handover_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in FORMS:
        raise Http404
    handover = access_handover(request.user, pk, step)
    form = _form(step, request, handover)
    if request.method == "POST" and form.is_valid():
        outcome = _run(request, step, form, handover)
        if outcome.ok:
            messages.success(request, _("Done: %(action)s.") % {"action": MatterAction(step).label})
            return redirect("matters:detail", pk=handover.matter.batch_id)
        if outcome.refused_state:
            return redirect("matters:detail", pk=handover.matter.batch_id)
    status = 400 if form.is_bound else 200
    context = {"form": form, "handover": handover, "step": step, "label": MatterAction(step).label}
    return render(request, "matters/act.html", context, status=status)
