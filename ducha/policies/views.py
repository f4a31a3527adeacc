"""Pages of policies (政策措施): the HQ's queue of kinds waiting for a policy, one kind's
problems with the form that answers them, the list of policies, and one policy with its
problems, its issued document, and the forms that link more and attach the document.

Lists start from `visible_to`; single rows come through the access helpers; changes only
through the `do_*` actions.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ducha.accounts.choices import SecurityEventKind as Audit
from ducha.accounts.trail import recorded
from ducha.core.errors import TransitionRefused
from ducha.core.forms import run_action
from ducha.core.scoping import object_pk
from ducha.core.search import TextQuery, parse_query
from ducha.policies import actions
from ducha.policies.access import access_policy, may_adopt, may_attach, may_link
from ducha.policies.choices import MAX_PROBLEMS, PolicyAction
from ducha.policies.files import file_response
from ducha.policies.forms import AdoptForm, AttachForm, KindFilterForm, LinkForm
from ducha.policies.kinds import shared_words, waiting_kinds, waiting_problems
from ducha.policies.models import Policy
from ducha.problems.models import FocusArea, Problem

ROW_RELATED = ("region", "site", "responsible_org", "focus_area")
# A kind's problems shown at once, oldest first: as many as one action answers.
KIND_ROWS = MAX_PROBLEMS


def _query(form: KindFilterForm) -> TextQuery | None:
    return parse_query(form.cleaned_data["q"]) if form.is_valid() else None


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    rows = Policy.objects.visible_to(request.user).select_related("issuing_body", "focus_area")
    page = Paginator(rows.order_by("-issued_on", "-pk"), settings.DUCHA_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "policies/list.html", {"page": page, "may_adopt": may_adopt(request.user)}
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The HQ's desk: kinds of common problems still waiting for a policy, oldest first."""
    form = KindFilterForm(request.GET or None)
    kinds = waiting_kinds(request.user, _query(form))
    return render(
        request,
        "policies/queue.html",
        {"form": form, "kinds": kinds, "may_adopt": may_adopt(request.user)},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _kind_rows(request: HttpRequest, focus_area: FocusArea, form: KindFilterForm) -> Any:
    rows = waiting_problems(request.user, _query(form)).filter(focus_area=focus_area)
    ordered = rows.select_related(*ROW_RELATED).order_by("found_at", "pk")
    return list(ordered[:KIND_ROWS])


def _chosen(form: Any) -> set[int]:
    """The problems ticked on a form sent back (kept ticked when it is refused)."""
    return set(getattr(form, "cleaned_data", {}).get("problems", [])) if form else set()


def _focus_area(pk: Any) -> FocusArea:
    found = FocusArea.objects.filter(pk=object_pk(pk)).first()
    if found is None:
        raise Http404
    return found


@login_required
def kind(request: HttpRequest, focus_area_id: int) -> HttpResponse:
    """One kind's waiting problems, the words they share, and (for the HQ) the form that
    answers the ticked ones with one policy."""
    focus_area = _focus_area(focus_area_id)
    filters = KindFilterForm(request.GET or None)
    adopt = may_adopt(request.user)
    status = 0
    form = AdoptForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
        initial={"issued_on": timezone.localdate()},
    )
    if request.method == "POST":
        if not adopt:
            raise PermissionDenied(_("Only a command HQ adopts a policy."))
        if form.is_valid():
            data = form.cleaned_data
            outcome = run_action(
                request,
                form,
                actions.do_adopt_policy,
                acting_user=request.user,
                title=data["title"],
                text=data["text"],
                issuing_body=data["issuing_body"],
                issued_on=data["issued_on"],
                reference=data["reference"],
                problem_ids=data["problems"],
                expected_versions=form.expected_versions(request.POST),
                document=data["document"],
                # A refused state (a problem ruled meanwhile, a stale version) is said
                # above the form, which keeps what was typed.
                say={TransitionRefused: None},
            )
            if outcome.ok:
                messages.success(
                    request,
                    _("The policy was recorded; its problems took it as their lasting rule."),
                )
                return redirect("policies:detail", pk=outcome.result.pk)
            if outcome.refusal is not None and outcome.refused_state:
                form.add_error(None, outcome.refusal.message)
                status = outcome.status
    rows = _kind_rows(request, focus_area, filters)
    if status == 0:
        status = (
            422 if form.is_bound else 400 if filters.is_bound and not filters.is_valid() else 200
        )
    return render(
        request,
        "policies/kind.html",
        {
            "focus_area": focus_area,
            "filters": filters,
            "rows": rows,
            "words": shared_words([row.title for row in rows]),
            "form": form if adopt else None,
            "chosen": _chosen(form),
        },
        status=status,
    )


def _detail(
    request: HttpRequest,
    policy: Policy,
    form: LinkForm | None = None,
    status: int = 200,
    attach: AttachForm | None = None,
) -> HttpResponse:
    visible = Problem.objects.visible_to(request.user)
    problems = visible.filter(pk__in=policy.links.values("problem")).select_related(*ROW_RELATED)
    linkable = may_link(request.user, policy)
    candidates: list[Problem] = []
    if linkable:
        candidates = list(
            waiting_problems(request.user)
            .filter(focus_area_id=policy.focus_area_id)
            .select_related(*ROW_RELATED)
            .order_by("found_at", "pk")[:KIND_ROWS]
        )
        form = form or LinkForm(initial={"version": policy.version})
    attachable = may_attach(request.user, policy)
    if attachable:
        attach = attach or AttachForm(initial={"version": policy.version})
    return render(
        request,
        "policies/detail.html",
        {
            "policy": policy,
            "problems": problems.order_by("found_at", "pk"),
            "linked_count": policy.links.count(),
            "events": policy.events.select_related("actor").order_by("created_at", "pk"),
            "form": form if linkable else None,
            "document": policy.document,
            "attach_form": attach if attachable else None,
            "candidates": candidates,
            "chosen": _chosen(form),
        },
        status=status,
    )


@login_required
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_policy(request.user, pk))


@login_required
@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    policy = access_policy(request.user, pk, PolicyAction.LINK)
    form = LinkForm(request.POST)
    if form.is_valid():
        outcome = run_action(
            request,
            form,
            actions.do_link_problems,
            policy,
            acting_user=request.user,
            problem_ids=form.cleaned_data["problems"],
            expected_versions=form.expected_versions(request.POST),
            expected_version=form.cleaned_data["version"],
        )
        if outcome.ok:
            messages.success(request, _("The problems took the policy as their lasting rule."))
            return redirect("policies:detail", pk=policy.pk)
        if outcome.refused_state:
            return _detail(request, access_policy(request.user, pk), status=outcome.status)
    return _detail(request, policy, form=form, status=422)


@login_required
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    policy = access_policy(request.user, pk, PolicyAction.ATTACH)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        outcome = run_action(
            request,
            form,
            actions.do_attach_policy_document,
            policy,
            acting_user=request.user,
            document=form.cleaned_data["document"],
            expected_version=form.cleaned_data["version"],
        )
        if outcome.ok:
            messages.success(request, _("The issued document was attached."))
            return redirect("policies:detail", pk=policy.pk)
        if outcome.refused_state:
            return _detail(request, access_policy(request.user, pk), status=outcome.status)
    return _detail(request, policy, attach=form, status=422)


@require_safe
@login_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    """The issued document's file, for whoever may read the policy."""
    row = access_policy(request.user, pk).document
    if row is None:
        raise Http404
    response = file_response(row)
    return recorded(response, request, Audit.DOWNLOAD, "policy_document", id=pk, file=row.pk)
