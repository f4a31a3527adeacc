"""Pages of referrals (线索移交): the list, one referral with its log and the forms of the
actions open to the reader, the refer form reached from a problem or a visit, and the
receiving body's queue (快查快结).

Lists start from `visible_to`; single rows come through the access helpers; state changes
only through the `do_*` actions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ducha.accounts.choices import Role
from ducha.accounts.choices import SecurityEventKind as Audit
from ducha.accounts.trail import recorded
from ducha.core.forms import run_action
from ducha.fieldwork.access import access_inspection
from ducha.fieldwork.evidence_views import file_response
from ducha.orgs.models import Org
from ducha.orgs.offices import nearest_office
from ducha.problems.access import access_problem
from ducha.problems.models import Problem
from ducha.referrals import actions
from ducha.referrals.access import access_referral, allowed_actions
from ducha.referrals.choices import ReferralAction, ReferralState
from ducha.referrals.choosers import RECEIVER_KINDS
from ducha.referrals.figures import timing
from ducha.referrals.forms import AcceptForm, ConcludeForm, DeclineForm, FilterForm, ReferForm
from ducha.referrals.models import Referral

# How far back the queue shows concluded cases.
RECENT_DAYS = 30
QUEUE_ROWS = 50

LIST_RELATED = ("problem", "inspection", "region", "referring_office", "receiver")


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    visible = Referral.objects.visible_to(request.user)
    # Bodies that received one, and those the filter's picker offers (any body of the kind
    # the user sees): one picked that received nothing yet shows an empty list, not an error.
    offered = Org.objects.visible_to(request.user).filter(kind__in=RECEIVER_KINDS)
    receivers = Org.objects.filter(
        Q(pk__in=visible.values("receiver")) | Q(pk__in=offered.values("pk"))
    ).order_by("tree_order")
    form = FilterForm(request.GET or None, receivers=receivers)
    rows = visible.select_related(*LIST_RELATED)
    if form.is_valid():
        if form.cleaned_data["state"]:
            rows = rows.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["receiver"] is not None:
            rows = rows.filter(receiver=form.cleaned_data["receiver"])
    page = Paginator(rows.order_by("-referred_at", "-pk"), settings.DUCHA_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "referrals/list.html", {"page": page, "form": form})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The receiving body's desk: what waits for a decision, the cases still open, what was
    concluded lately, and how fast (快查快结)."""
    visible = Referral.objects.visible_to(request.user)
    rows = visible.select_related(*LIST_RELATED)
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    sections = [
        (
            "waiting",
            _("Waiting for a decision"),
            rows.filter(state=ReferralState.REFERRED).order_by("referred_at", "pk"),
        ),
        (
            "open",
            _("Cases open"),
            rows.filter(state=ReferralState.ACCEPTED).order_by("decided_at", "pk"),
        ),
        (
            "concluded",
            _("Concluded in the last %(days)s days") % {"days": RECENT_DAYS},
            rows.filter(state=ReferralState.CONCLUDED, concluded_at__gte=since).order_by(
                "-concluded_at", "-pk"
            ),
        ),
    ]
    return render(
        request,
        "referrals/queue.html",
        {
            "sections": [(key, title, list(found[:QUEUE_ROWS])) for key, title, found in sections],
            "figures": timing(visible),
        },
    )


FORMS: dict[str, Any] = {
    ReferralAction.ACCEPT: AcceptForm,
    ReferralAction.DECLINE: DeclineForm,
    ReferralAction.CONCLUDE: ConcludeForm,
}


def _action_forms(referral: Referral, allowed: list[str], bound: Any = None) -> list[Any]:
    forms = []
    for action in allowed:
        form = bound if bound is not None and bound.action == action else None
        if form is None:
            form = FORMS[action](initial={"version": referral.version})
            form.action = action
        form.label = ReferralAction(action).label
        forms.append(form)
    return forms


def _detail(
    request: HttpRequest, referral: Referral, bound: Any = None, status: int = 200
) -> HttpResponse:
    allowed = allowed_actions(request.user, [referral])[referral.pk]
    problem_visible = (
        referral.problem_id is not None
        and Problem.objects.visible_to(request.user).filter(pk=referral.problem_id).exists()
    )
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "source": actions.source_label(referral),
            "problem_visible": problem_visible,
            "evidence": referral.evidence.order_by("uploaded_at", "pk"),
            "events": referral.events.select_related("actor").order_by("created_at", "pk"),
            "action_forms": _action_forms(referral, allowed, bound),
            # The office that may refer also writes the referral letter (线索移交函).
            "may_draft_letter": Role.OFFICE_STAFF
            in Referral.objects.roles_on(request.user, referral.pk),
        },
        status=status,
    )


@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_referral(request.user, pk))


def _run(request: HttpRequest, step: str, form: Any, referral: Referral) -> Any:
    data, user = form.cleaned_data, request.user
    version = {"expected_version": data.get("version")}
    if step == ReferralAction.ACCEPT:
        return run_action(
            request,
            form,
            actions.do_accept,
            referral,
            acting_user=user,
            comment=data["comment"],
            **version,
        )
    if step == ReferralAction.DECLINE:
        return run_action(
            request,
            form,
            actions.do_decline,
            referral,
            acting_user=user,
            reasons=data["reasons"],
            **version,
        )
    return run_action(
        request,
        form,
        actions.do_conclude,
        referral,
        acting_user=user,
        outcome=data["outcome"],
        outcome_on=data["outcome_on"],
        **version,
    )


@login_required
def referral_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in FORMS:
        raise Http404
    referral = access_referral(request.user, pk, step)
    if request.method != "POST":
        return redirect("referrals:detail", pk=referral.pk)
    form = FORMS[step](request.POST)
    form.action = step
    if form.is_valid():
        outcome = _run(request, step, form, referral)
        if outcome.ok:
            messages.success(
                request, _("Done: %(action)s.") % {"action": ReferralAction(step).label}
            )
            return redirect("referrals:detail", pk=referral.pk)
        if outcome.refused_state:
            return redirect("referrals:detail", pk=referral.pk)
    return _detail(request, referral, bound=form, status=400)


def _source(request: HttpRequest) -> tuple[Any, Any]:
    """The problem or the visit the refer form was opened from (404 when not seen)."""
    params = request.GET  # the form posts back to its own address, query included
    if params.get("problem"):
        return access_problem(request.user, params["problem"]), None
    if params.get("inspection"):
        return None, access_inspection(request.user, params["inspection"])
    raise Http404


@login_required
def referral_create(request: HttpRequest) -> HttpResponse:
    problem, inspection = _source(request)
    region = (problem or inspection).region
    office = nearest_office(request.user, region)
    if office is None:
        raise PermissionDenied(
            _("Only the staff of an office whose jurisdiction holds the source may refer it.")
        )
    form = ReferForm(
        request.POST or None,
        user=request.user,
        office=office,
        problem=problem,
        inspection=inspection,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_action(
            request,
            form,
            actions.do_refer,
            acting_user=request.user,
            problem=problem,
            inspection=inspection,
            receiver=data["receiver"],
            facts=data["facts"],
            evidence_ids=[item.pk for item in data["evidence"]],
        )
        if outcome.ok:
            messages.success(request, _("The referral was sent."))
            return redirect("referrals:detail", pk=outcome.result.pk)
    status = 400 if form.is_bound else 200
    context = {
        "form": form,
        "office": office,
        "problem": problem,
        "inspection": inspection,
        "source_region": region,
    }
    return render(request, "referrals/create.html", context, status=status)


@require_safe
@login_required
def referral_evidence(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    """A file handed over with the referral, for everyone who sees the referral (the police
    reads the files it was given, not the problem's)."""
    referral = access_referral(request.user, pk)
    evidence = referral.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    response = file_response(evidence)
    return recorded(response, request, Audit.DOWNLOAD, "evidence", id=evidence_id)
