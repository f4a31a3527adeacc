"""The inspection form a team fills in on a phone at the site, and the recorded visit.

A submission either records everything (the visit, its answers, the problems of failed
items, the photos) or nothing; a retry with the same hidden key returns the first result.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ducha.core.forms import Outcome, run_action
from ducha.fieldwork import actions
from ducha.fieldwork.access import access_inspection, access_task
from ducha.fieldwork.choices import FieldAction, TaskState
from ducha.fieldwork.forms import InspectionForm, VisitStartForm, task_sites, team_sites
from ducha.fieldwork.models import ChecklistItem, Evidence, Inspection, Task
from ducha.fieldwork.views import may
from ducha.problems.models import Problem

# Field names used by the actions, as named on the form.
ERROR_FIELDS: dict[str, str | None] = {"client_key": None, "answers": None}


def checklist_for(user: Any, focus_areas: Any) -> list[ChecklistItem]:
    """The active questions of these focus areas that the user's jurisdiction asks."""
    return list(
        ChecklistItem.objects.visible_to(user)
        .filter(active=True, focus_area__in=focus_areas)
        .select_related("focus_area", "office")
        .order_by("focus_area__position", "focus_area__pk", "position", "pk")
    )


def _record(request: HttpRequest, form: InspectionForm, task: Task | None) -> Outcome[Inspection]:
    """The visit with its answers and photos: one action, all or nothing."""
    data = form.cleaned_data
    return run_action(
        request,
        form,
        actions.do_record_inspection,
        acting_user=request.user,
        team=data["team"],
        method=data["method"],
        visited_at=data["visited_at"],
        sites=list(data["sites"]),
        answers=[actions.AnswerInput(**answer) for answer in form.answers()],
        task=task,
        members_present=list(data["members_present"]),
        notes=data["notes"],
        client_key=data["client_key"],
        photos=data["photos"],
        item_photos=form.item_photos(),
        aliases=ERROR_FIELDS,
    )


@login_required
def record_inspection(request: HttpRequest) -> HttpResponse:
    """The form of a visit: for a planned task (?task=), or a visit without one."""
    task_id = request.GET.get("task")
    if not task_id:
        return _visit_without_task(request)
    task = access_task(request.user, task_id, FieldAction.RECORD_INSPECTION)
    if task.state != TaskState.PLANNED:
        done = task.inspections.filter(
            pk__in=Inspection.objects.visible_to(request.user).values("pk")
        ).first()
        if task.state == TaskState.DONE and done is not None:
            messages.info(request, _("This task has been recorded already."))
            return redirect("fieldwork:inspection", pk=done.pk)
        messages.error(request, _("This task was cancelled; there is nothing to record."))
        return redirect("fieldwork:task", pk=task.pk)
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        team=task.team,
        sites=task_sites(request.user, task),
        items=checklist_for(request.user, task.focus_areas.all()),
        task=task,
    )
    return _submit(request, form, task, {"task": task})


def _visit_without_task(request: HttpRequest) -> HttpResponse:
    """First the team and focus areas (a GET form), then the visit's own form."""
    if not may(request.user, FieldAction.RECORD_INSPECTION):
        raise PermissionDenied(_("Your roles may not do this."))
    start = VisitStartForm(request.GET or None, user=request.user)
    if not start.is_bound or not start.is_valid():
        status = 422 if start.is_bound else 200
        return render(request, "fieldwork/inspection_start.html", {"start": start}, status=status)
    team = start.cleaned_data["team"]
    areas = start.cleaned_data["focus_areas"]
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        team=team,
        sites=team_sites(request.user, team),
        items=checklist_for(request.user, areas),
    )
    return _submit(request, form, None, {"team": team, "focus_areas": areas})


def _submit(
    request: HttpRequest, form: InspectionForm, task: Task | None, context: dict[str, Any]
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            outcome = _record(request, form, task)
            if outcome.ok:
                inspection = outcome.result
                count = inspection.answers.filter(problem__isnull=False).count()
                messages.success(
                    request,
                    ngettext(
                        "The visit was recorded; %(count)s problem was found.",
                        "The visit was recorded; %(count)s problems were found.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("fieldwork:inspection", pk=inspection.pk)
            status = outcome.status
    context = {"form": form, "task": None, **context}
    return render(request, "fieldwork/inspection_form.html", context, status=status)


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = access_inspection(user, pk)
    answers = inspection.answers.select_related("item", "item__focus_area", "problem")
    visible_problems = set(
        Problem.objects.visible_to(user).filter(inspection=inspection).values_list("pk", flat=True)
    )
    photos = Evidence.objects.visible_to(user).filter(inspection=inspection)
    problem_photos = (
        Evidence.objects.visible_to(user)
        .filter(problem__inspection=inspection)
        .select_related("problem")
    )
    context = {
        "inspection": inspection,
        "answers": answers,
        "visible_problems": visible_problems,
        "sites": inspection.sites.select_related("region"),
        "members": inspection.members_present.all(),
        "photos": photos,
        "problem_photos": problem_photos,
    }
    return render(request, "fieldwork/inspection.html", context)
