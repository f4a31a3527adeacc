"""Pages of cadre observation: observations (list, record form, one with its history) for
team members and the organisation department, and the department's lists of candidates.

Lists start from `visible_to`; single rows come through the access helpers, which write the
read trail; changes only through the `do_*` actions. A role with no part in this work gets
404 on every page, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ducha.cadres import actions
from ducha.cadres.access import may_keep_lists, may_observe, open_candidate, open_observation
from ducha.cadres.choices import ALLOWED_FROM, CadreAction, CandidateList, CandidateState, Verdict
from ducha.cadres.forms import CandidateForm, MarkUsedForm, ObservationForm, RemoveForm
from ducha.cadres.models import CadreCandidate, CadreObservation
from ducha.cadres.querysets import named
from ducha.core.errors import InvalidInput
from ducha.core.forms import put_error, run_action
from ducha.core.text import SEARCH, text_error
from ducha.fieldwork.models import Inspection
from ducha.problems.models import Problem


def _observer(request: HttpRequest) -> None:
    if not may_observe(request.user):
        raise Http404


def _keeper(request: HttpRequest) -> None:
    if not may_keep_lists(request.user):
        raise Http404


def _choice(request: HttpRequest, name: str, choices: Any) -> str:
    value = request.GET.get(name, "")
    return value if value in choices.values else ""


def _search(request: HttpRequest) -> str:
    value = request.GET.get("q", "").strip()
    return "" if text_error(value, max_length=SEARCH, multiline=False) else value


@login_required
def observation_list(request: HttpRequest) -> HttpResponse:
    _observer(request)
    verdict, q = _choice(request, "verdict", Verdict), _search(request)
    rows = CadreObservation.objects.visible_to(request.user).select_related(
        "org", "team", "recorded_by"
    )
    if verdict:
        rows = rows.filter(verdict=verdict)
    if q:
        rows = named(rows, q)
    page = Paginator(rows.order_by("-observed_on", "-pk"), settings.DUCHA_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cadres/list.html",
        {
            "page": page,
            "verdicts": Verdict.choices,
            "verdict": verdict,
            "q": q,
            "may_keep_lists": may_keep_lists(request.user),
        },
    )


@login_required
def observation_create(request: HttpRequest) -> HttpResponse:
    _observer(request)
    form = ObservationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problems, inspections = form.linked("problems"), form.linked("inspections")
        except InvalidInput as error:
            put_error(form, error)
        else:
            outcome = run_action(
                request,
                form,
                actions.do_observe,
                acting_user=request.user,
                person_name=data["person_name"],
                person_post=data["person_post"],
                org=data["org"],
                verdict=data["verdict"],
                facts=data["facts"],
                evidence=data["evidence"],
                team=data["team"],
                observed_on=data["observed_on"],
                problems=problems,
                inspections=inspections,
            )
            if outcome.ok:
                messages.success(request, _("The observation was recorded."))
                return redirect("cadres:detail", pk=outcome.result.pk)
    status = 400 if form.is_bound else 200
    return render(request, "cadres/observe.html", {"form": form}, status=status)


@login_required
def observation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    observation = open_observation(request, request.user, pk)
    # Links are shown to a reader who may see them; the others are counted.
    problems = observation.problems.all()
    inspections = observation.inspections.all()
    seen_problems = Problem.objects.visible_to(request.user).filter(pk__in=problems.values("pk"))
    seen_inspections = Inspection.objects.visible_to(request.user).filter(
        pk__in=inspections.values("pk")
    )
    candidates = (
        observation.candidates.all()
        if may_keep_lists(request.user)
        else CadreCandidate.objects.none()
    )
    return render(
        request,
        "cadres/detail.html",
        {
            "observation": observation,
            "problems": seen_problems,
            "inspections": seen_inspections,
            "unseen": problems.count()
            + inspections.count()
            - seen_problems.count()
            - seen_inspections.count(),
            "candidates": candidates,
            "events": observation.events.select_related("actor"),
            "may_keep_lists": may_keep_lists(request.user),
        },
    )


@login_required
def candidate_list(request: HttpRequest) -> HttpResponse:
    _keeper(request)
    list_kind = _choice(request, "list", CandidateList)
    state = _choice(request, "state", CandidateState)
    rows = CadreCandidate.objects.visible_to(request.user).select_related("org")
    if list_kind:
        rows = rows.filter(list_kind=list_kind)
    if state:
        rows = rows.filter(state=state)
    page = Paginator(rows.order_by("-listed_at", "-pk"), settings.DUCHA_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cadres/candidates.html",
        {
            "page": page,
            "lists": CandidateList.choices,
            "states": CandidateState.choices,
            "list_kind": list_kind,
            "state": state,
        },
    )


def _prefill(request: HttpRequest) -> dict[str, Any]:
    """Listing from an observation: its cadre, and the observation ticked."""
    try:
        pk = int(request.GET.get("observation", ""))
    except ValueError:
        return {}
    observation = CadreObservation.objects.visible_to(request.user).filter(pk=pk).first()
    if observation is None:
        return {}
    return {
        "person_name": observation.person_name,
        "person_post": observation.person_post,
        "org": observation.org_id,
        "observations": [observation.pk],
        "list_kind": (
            CandidateList.USE
            if observation.verdict == Verdict.OUTSTANDING
            else CandidateList.ACCOUNTABILITY
        ),
    }


@login_required
def candidate_create(request: HttpRequest) -> HttpResponse:
    _keeper(request)
    form = CandidateForm(request.POST or None, user=request.user, initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_action(
            request,
            form,
            actions.do_list_candidate,
            acting_user=request.user,
            list_kind=data["list_kind"],
            person_name=data["person_name"],
            person_post=data["person_post"],
            org=data["org"],
            observations=list(data["observations"]),
            reasons=data["reasons"],
        )
        if outcome.ok:
            messages.success(request, _("The cadre was put on the list."))
            return redirect("cadres:candidate", pk=outcome.result.pk)
    status = 400 if form.is_bound else 200
    return render(request, "cadres/candidate_form.html", {"form": form}, status=status)


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = open_candidate(request, request.user, pk)
    steps = []
    if candidate.state in ALLOWED_FROM[CadreAction.REMOVE]:
        steps = [
            (step, CadreAction(step).label) for step in (CadreAction.MARK_USED, CadreAction.REMOVE)
        ]
    return render(
        request,
        "cadres/candidate.html",
        {
            "candidate": candidate,
            "observations": candidate.observations.select_related("org", "team"),
            "events": candidate.events.select_related("actor"),
            "steps": steps,
        },
    )


STEP_FORMS: dict[str, Any] = {CadreAction.REMOVE: RemoveForm, CadreAction.MARK_USED: MarkUsedForm}


@login_required
def candidate_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEP_FORMS:
        raise Http404
    candidate = open_candidate(request, request.user, pk, step)
    form = STEP_FORMS[step](
        request.POST if request.method == "POST" else None, initial={"version": candidate.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if step == CadreAction.REMOVE:
            outcome = run_action(
                request,
                form,
                actions.do_remove_candidate,
                candidate,
                acting_user=request.user,
                reason=data["reason"],
                expected_version=data.get("version"),
            )
        else:
            outcome = run_action(
                request,
                form,
                actions.do_mark_used,
                candidate,
                acting_user=request.user,
                comment=data["comment"],
                expected_version=data.get("version"),
            )
        if outcome.ok or outcome.refused_state:
            if outcome.ok:
                messages.success(
                    request, _("Done: %(action)s.") % {"action": CadreAction(step).label}
                )
            return redirect("cadres:candidate", pk=candidate.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "candidate": candidate, "label": CadreAction(step).label}
    return render(request, "cadres/act.html", context, status=status)
