"""Pages of sweeps (举一反三): the list, launching one from a problem, one sweep's progress,
a unit's queue of self-checks and its answer.

Lists start from `visible_to`; single rows come through the access helpers; changes only
through the `do_*` actions, whose refusals the pages show on the field they name.
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
from django.views.decorators.http import require_POST

from ducha.core.forms import run_action
from ducha.core.scoping import access
from ducha.orgs.models import Org
from ducha.orgs.offices import nearest_office
from ducha.problems.models import FocusArea, Problem
from ducha.problems.similar import similar_problems
from ducha.sweeps import actions
from ducha.sweeps.access import access_self_check, access_sweep, progress
from ducha.sweeps.choices import CheckState, SweepAction
from ducha.sweeps.forms import AnswerForm, LaunchForm
from ducha.sweeps.models import SelfCheck, Sweep, SweepProblem

LIST_RELATED = ("origin", "office", "focus_area")


@login_required
def sweep_list(request: HttpRequest) -> HttpResponse:
    rows = Sweep.objects.visible_to(request.user).select_related(*LIST_RELATED)
    page = Paginator(rows.order_by("-launched_at", "-pk"), settings.DUCHA_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "sweeps/list.html", {"page": page})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """A unit's self-checks: those waiting first, then the answered ones."""
    checks = SelfCheck.objects.visible_to(request.user, SweepAction.ANSWER).select_related(
        "sweep", "sweep__origin", "unit", "site"
    )
    waiting = list(checks.filter(state=CheckState.WAITING).order_by("sweep__launched_at", "pk"))
    answered = list(
        checks.exclude(state=CheckState.WAITING).order_by("-answered_at", "-pk")[
            : settings.DUCHA_PAGE_SIZE
        ]
    )
    return render(request, "sweeps/queue.html", {"waiting": waiting, "answered": answered})


def _launch_form(request: HttpRequest, office: Org, data: Any = None) -> LaunchForm:
    return LaunchForm(
        data, user=request.user, office=office, areas=FocusArea.objects.filter(active=True)
    )


@login_required
def launch(request: HttpRequest, problem_id: int) -> HttpResponse:
    origin = access(Problem, request.user, problem_id).obj
    office = nearest_office(request.user, origin.region)
    if office is None or office.region is None:
        raise PermissionDenied(_("Only the office may launch a sweep."))
    form = _launch_form(request, office, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            outcome = run_action(
                request,
                form,
                actions.do_launch_sweep,
                acting_user=request.user,
                origin=origin,
                check_text=form.cleaned_data["check_text"],
                title=form.cleaned_data["title"],
                choice=form.choice(),
                aliases={"sites": "units", "check_text": "check_text"},
            )
            if outcome.ok:
                messages.success(request, _("The sweep was launched."))
                return redirect("sweeps:detail", pk=outcome.result.pk)
            status = outcome.status
    context = {
        "form": form,
        "origin": origin,
        "office": office,
        "similar": similar_problems(request.user, origin),
    }
    return render(request, "sweeps/launch.html", context, status=status)


@login_required
def sweep_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sweep = access_sweep(request.user, pk)
    checks = (
        SelfCheck.objects.visible_to(request.user)
        .filter(sweep=sweep)
        .select_related("unit", "site", "document", "answered_by")
        .order_by("state", "unit__tree_order", "pk")
    )
    found = (
        SweepProblem.objects.filter(sweep=sweep, self_check__in=checks.values("pk"))
        .select_related("problem", "self_check__unit")
        .order_by("pk")
    )
    origin_visible = Problem.objects.visible_to(request.user).filter(pk=sweep.origin_id).exists()
    context = {
        "sweep": sweep,
        "checks": checks,
        "found": found,
        "progress": progress(request.user, sweep),
        "origin_visible": origin_visible,
    }
    return render(request, "sweeps/detail.html", context)


def _render_check(
    request: HttpRequest, check: SelfCheck, form: AnswerForm | None = None, status: int = 200
) -> HttpResponse:
    may_answer = (
        check.state == CheckState.WAITING
        and SelfCheck.objects.visible_to(request.user, SweepAction.ANSWER)
        .filter(pk=check.pk)
        .exists()
    )
    if form is None and may_answer:
        form = AnswerForm(initial={"version": check.version, "outcome": CheckState.NONE_FOUND})
    found = SweepProblem.objects.filter(self_check=check).select_related("problem")
    return render(
        request,
        "sweeps/check.html",
        {"check": check, "form": form if may_answer else None, "found": found},
        status=status,
    )


@login_required
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_check(request, access_self_check(request.user, pk))


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    check = access_self_check(request.user, pk, SweepAction.ANSWER)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render_check(request, check, form, status=422)
    outcome = run_action(
        request,
        form,
        actions.do_answer_self_check,
        check,
        acting_user=request.user,
        outcome=form.cleaned_data["outcome"],
        note=form.cleaned_data["note"],
        problems=[actions.FoundProblem(title=title) for title in form.found_titles()],
        expected_version=form.cleaned_data["version"],
        aliases=lambda field: "problems" if field.startswith("problems") else field,
    )
    if outcome.ok:
        messages.success(request, _("Your answer was recorded."))
        return redirect("sweeps:check", pk=check.pk)
    if outcome.refused_state:
        # Answered meanwhile, or changed: the page shows the self-check as it is now.
        return _render_check(request, access_self_check(request.user, pk), status=outcome.status)
    return _render_check(request, check, form, status=outcome.status)
