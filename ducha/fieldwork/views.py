"""Pages of field work: tasks of the day, meetings and what they decide, checklists,
site burden and revisits. The inspection form lives in `inspection_views`.

Lists start from `visible_to(user)`; single objects come only through the `access_*`
helpers; every change goes through a `do_*` action.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ducha.accounts.choices import Role
from ducha.accounts.choices import SecurityEventKind as Audit
from ducha.accounts.trail import recorded
from ducha.core.dates import date_error
from ducha.core.forms import run_action
from ducha.core.scope import grants_for, roles_of
from ducha.core.scoping import access
from ducha.fieldwork import actions, choosers
from ducha.fieldwork.access import (
    access_checklist_item,
    access_meeting,
    access_revisit,
    access_task,
    allowed_field_actions,
)
from ducha.fieldwork.choices import FIELD_ACTION_ROLES, FieldAction, RevisitState, TaskState
from ducha.fieldwork.exports import XLSX_CONTENT_TYPE, tasks_workbook
from ducha.fieldwork.forms import (
    LAST_PLANNABLE_DAY,
    CancelTaskForm,
    ChecklistItemForm,
    JoinForm,
    MeetingForm,
    ReviseItemForm,
    RevisitFilterForm,
    RevisitResultForm,
    SampleForm,
    TaskForm,
)
from ducha.fieldwork.models import ChecklistItem, Inspection, Meeting, Revisit, Task
from ducha.fieldwork.overlap import (
    Overlap,
    VisitOverlap,
    find_overlaps,
    site_burden,
    week_mondays,
)
from ducha.orgs.models import Site, Team
from ducha.problems.models import FocusArea, Problem

TASK_RELATIONS = ("team", "office", "meeting")
TASK_PREFETCH = ("sites", "regions", "focus_areas", "participants")
BURDEN_WEEKS = 8
WINDOW_MARGIN = timedelta(days=366)


def may(user: Any, action: str) -> bool:
    """Whether any of the user's roles may take this field-work action somewhere."""
    return bool(roles_of(user) & FIELD_ACTION_ROLES[action])


def acting_orgs(user: Any, action: str) -> Any:
    """The orgs the user may act for when taking this action (their own offices, or for
    joining a visit their units too), as the API chooses them."""
    if action == FieldAction.JOIN_TASK:
        return choosers.JOINING_ORG.choices(user)
    return choosers.acting_office(action).choices(user)


def next_day_of(meeting: Meeting) -> date:
    """The day a meeting's decisions are usually for: the next one, and never a past one."""
    return max(meeting.held_on + timedelta(days=1), timezone.localdate())


def require(user: Any, action: str) -> None:
    if not may(user, action):
        raise PermissionDenied(_("Your roles may not do this."))


# --- Tasks ------------------------------------------------------------------------------


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """Today and tomorrow: a team's own tasks, or for an office every task it may see."""
    user = request.user
    today = timezone.localdate()
    is_member = any(g.role == Role.TEAM_MEMBER for g in grants_for(user))
    tomorrow = today + timedelta(days=1)

    def tasks_of(day: date) -> list[Task]:
        tasks = Task.objects.for_member(user, day) if is_member else Task.objects.of_day(user, day)
        return list(tasks)

    on_today, on_tomorrow = tasks_of(today), tasks_of(tomorrow)
    # A task of tomorrow already visited is work done, not work ahead: it is listed with
    # today's, marked as done early, and tomorrow keeps only what is left to do.
    early = [task for task in on_tomorrow if task.state == TaskState.DONE]
    days = [
        {"day": today, "title": _("Today"), "tasks": on_today + early},
        {
            "day": tomorrow,
            "title": _("Tomorrow"),
            "tasks": [task for task in on_tomorrow if task.state != TaskState.DONE],
        },
    ]
    context = {
        "done_early": {task.pk for task in early},
        "days": days,
        "is_member": is_member,
        "may_plan": may(user, FieldAction.PLAN_TASK),
        "may_record": may(user, FieldAction.RECORD_INSPECTION),
    }
    return render(request, "fieldwork/my_tasks.html", context)


@login_required
def day_pick(request: HttpRequest) -> HttpResponse:
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    return redirect("fieldwork:day", day=day.isoformat())


@login_required
def day_view(request: HttpRequest, day: str) -> HttpResponse:
    try:
        the_day = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if date_error(the_day):
        raise Http404
    tasks = list(Task.objects.of_day(request.user, the_day).order_by("team__sort_key", "pk"))
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(tasks_workbook(the_day, tasks), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="tasks-{the_day}.xlsx"'
        ids = [task.pk for task in tasks]
        return recorded(response, request, Audit.EXPORT, "tasks", rows=len(ids), ids=ids[:500])
    counts = {state: sum(1 for t in tasks if t.state == state) for state in TaskState.values}
    context = {
        "day": the_day,
        "tasks": tasks,
        "counts": counts,
        "previous": the_day - timedelta(days=1),
        "next": the_day + timedelta(days=1),
        "today": timezone.localdate(),
        "may_plan": may(request.user, FieldAction.PLAN_TASK),
    }
    return render(request, "fieldwork/day.html", context)


def _overlap_context(user: Any, overlaps: list[Overlap], form: TaskForm) -> dict[str, Any]:
    """The other visits, and which of them the user may join with the form's office."""
    task_ids = [visit.id for visit in overlaps if visit.kind == "task"]
    joinable = set(
        Task.objects.visible_to(user, FieldAction.JOIN_TASK)
        .filter(pk__in=task_ids, state=TaskState.PLANNED)
        .values_list("pk", flat=True)
    )
    data = form.cleaned_data
    return {
        "overlaps": overlaps,
        "joinable": joinable,
        "join_org": data.get("office"),
        "join_focus_areas": list(data.get("focus_areas") or []),
    }


def _plan(request: HttpRequest, form: TaskForm, meeting: Meeting | None) -> dict[str, Any]:
    """Plan the task from a valid form; returns the overlap warning to show, if any.

    The action checks the input first and only then the other visits, so the warning comes
    with a form that is otherwise correct.
    """
    data = form.cleaned_data
    outcome = run_action(
        request,
        form,
        actions.do_plan_task,
        acting_user=request.user,
        office=data["office"],
        team=data["team"],
        day=data["day"],
        method=data["method"],
        focus_areas=list(data["focus_areas"]),
        sites=list(data["sites"]),
        regions=list(data["regions"]),
        meeting=meeting,
        notes=data["notes"],
        confirm_overlap=bool(data.get("confirm_overlap")),
        say={VisitOverlap: None},
    )
    if isinstance(outcome.refusal, VisitOverlap):
        return _overlap_context(request.user, outcome.refusal.visits, form)
    if not outcome.ok:
        return {}
    task = outcome.result
    messages.success(
        request,
        _("Task planned for %(team)s on %(day)s.") % {"team": task.team.name, "day": task.day},
    )
    return {"planned": task}


@login_required
def plan_task(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(user, FieldAction.PLAN_TASK)
    offices = acting_orgs(user, FieldAction.PLAN_TASK)
    meeting = None
    meeting_id = request.POST.get("meeting") or request.GET.get("meeting")
    if meeting_id:
        meeting = access_meeting(user, meeting_id, FieldAction.PLAN_TASK)
    initial: dict[str, Any] = {}
    if meeting is not None:
        initial = {
            "meeting": meeting.pk,
            "office": meeting.office_id,
            "day": next_day_of(meeting),
        }
    form = TaskForm(request.POST or None, user=user, offices=offices, initial=initial)
    context: dict[str, Any] = {"form": form, "meeting": meeting}
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            outcome = _plan(request, form, meeting)
            if "planned" in outcome:
                if meeting is not None:
                    return redirect("fieldwork:meeting", pk=meeting.pk)
                return redirect("fieldwork:task", pk=outcome["planned"].pk)
            if "overlaps" in outcome:
                status = 409
            context |= outcome
    template = "fieldwork/meeting.html" if meeting is not None else "fieldwork/plan_task.html"
    if meeting is not None:
        context |= _meeting_context(user, meeting)
    return render(request, template, context, status=status)


@login_required
def plan_overlaps(request: HttpRequest) -> HttpResponse:
    """The 1+N hint while the plan form is filled in (htmx); the POST checks again anyway."""
    user = request.user
    require(user, FieldAction.PLAN_TASK)
    overlaps: list[Overlap] = []
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = None
    site_ids = [value for value in request.GET.getlist("sites") if value.isdigit()]
    if day is not None and site_ids and date.min + WINDOW_MARGIN < day < LAST_PLANNABLE_DAY:
        sites = list(Site.objects.visible_to(user).filter(pk__in=site_ids))
        team_id = request.GET.get("team", "")
        team = (
            Team.objects.visible_to(user).filter(pk=team_id).first() if team_id.isdigit() else None
        )
        overlaps = find_overlaps(sites, day, exclude_team=team, viewer=user) if sites else []
    return render(request, "fieldwork/_overlap_hint.html", {"overlaps": overlaps})


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = access(Task, request.user, pk)
    return _render_task(request, found.obj, roles=found.roles)


def _render_task(
    request: HttpRequest,
    task: Task,
    join_form: JoinForm | None = None,
    cancel_form: CancelTaskForm | None = None,
    status: int = 200,
    roles: frozenset[str] | None = None,
) -> HttpResponse:
    user = request.user
    planned = task.state == TaskState.PLANNED
    allowed = set(allowed_field_actions(user, task, roles)) if planned else set()
    join_orgs = acting_orgs(user, FieldAction.JOIN_TASK).exclude(pk=task.office_id)
    join_orgs = join_orgs.exclude(pk__in=task.participants.values("pk"))
    if FieldAction.JOIN_TASK in allowed and join_orgs.exists():
        join_form = join_form or JoinForm(orgs=join_orgs)
    else:
        join_form = None
    if FieldAction.CANCEL_TASK not in allowed:
        cancel_form = None
    elif cancel_form is None:
        cancel_form = CancelTaskForm()
    inspections = (
        Inspection.objects.visible_to(user).filter(task=task).select_related("team", "region")
    )
    context = {
        "task": task,
        "sites": task.sites.select_related("region"),
        "regions": task.regions.all(),
        "focus_areas": task.focus_areas.all(),
        "participants": task.participants.all(),
        "inspections": inspections,
        "may_record": FieldAction.RECORD_INSPECTION in allowed,
        "join_form": join_form,
        "cancel_form": cancel_form,
    }
    return render(request, "fieldwork/task.html", context, status=status)


@login_required
@require_POST
def task_join(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk, FieldAction.JOIN_TASK)
    orgs = acting_orgs(request.user, FieldAction.JOIN_TASK)
    form = JoinForm(request.POST, orgs=orgs)
    if not form.is_valid():
        return _render_task(request, task, join_form=form, status=422)
    outcome = run_action(
        request,
        form,
        actions.do_join_task,
        task,
        acting_user=request.user,
        org=form.cleaned_data["org"],
        focus_areas=list(form.cleaned_data["focus_areas"]),
    )
    if outcome.ok:
        messages.success(
            request, _("%(org)s joins this visit.") % {"org": form.cleaned_data["org"].name}
        )
        return redirect("fieldwork:task", pk=task.pk)
    if outcome.refused_state:
        return _render_task(request, task, status=outcome.status)
    return _render_task(request, task, join_form=form, status=outcome.status)


@login_required
@require_POST
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk, FieldAction.CANCEL_TASK)
    form = CancelTaskForm(request.POST)
    if not form.is_valid():
        return _render_task(request, task, cancel_form=form, status=422)
    outcome = run_action(
        request, form, actions.do_cancel_task, task, acting_user=request.user, **form.cleaned_data
    )
    if outcome.ok:
        messages.success(request, _("The task was cancelled."))
        return redirect("fieldwork:task", pk=task.pk)
    if outcome.refused_state:
        return _render_task(request, task, status=outcome.status)
    return _render_task(request, task, cancel_form=form, status=outcome.status)


# --- Meetings ---------------------------------------------------------------------------


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    rows = (
        Meeting.objects.visible_to(request.user)
        .select_related("office")
        .order_by("-held_on", "-pk")[:100]
    )
    context = {"meetings": rows, "may_record": may(request.user, FieldAction.RECORD_MEETING)}
    return render(request, "fieldwork/meetings.html", context)


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(user, FieldAction.RECORD_MEETING)
    offices = acting_orgs(user, FieldAction.RECORD_MEETING)
    # Coming from the day's agenda: its office and title are filled in already.
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    initial |= {name: request.GET[name] for name in ("office", "title") if request.GET.get(name)}
    form = MeetingForm(request.POST or None, user=user, offices=offices, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            outcome = run_action(
                request, form, actions.do_record_meeting, acting_user=user, **form.cleaned_data
            )
            if outcome.ok:
                messages.success(
                    request, _("The meeting was recorded. Now turn its decisions into tasks.")
                )
                return redirect("fieldwork:meeting", pk=outcome.result.pk)
            status = outcome.status
    return render(request, "fieldwork/meeting_form.html", {"form": form}, status=status)


def _meeting_context(user: Any, meeting: Meeting) -> dict[str, Any]:
    tasks = (
        Task.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related(*TASK_RELATIONS)
        .prefetch_related(*TASK_PREFETCH)
    )
    return {"meeting": meeting, "tasks": tasks}


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = access(Meeting, user, pk)
    meeting = found.obj
    context = _meeting_context(user, meeting)
    if FieldAction.PLAN_TASK in allowed_field_actions(user, meeting, found.roles):
        context["form"] = TaskForm(
            user=user,
            offices=acting_orgs(user, FieldAction.PLAN_TASK),
            initial={
                "meeting": meeting.pk,
                "office": meeting.office_id,
                "day": next_day_of(meeting),
            },
        )
    return render(request, "fieldwork/meeting.html", context)


# --- Site burden ------------------------------------------------------------------------


def _weeks(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("weeks", BURDEN_WEEKS)), 26))
    except ValueError:
        return BURDEN_WEEKS


@login_required
def burden(request: HttpRequest) -> HttpResponse:
    """Visits per site per week: the sites visited most come first."""
    weeks = _weeks(request)
    mondays = week_mondays(weeks)
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    # Only sites with a visit in the period are counted, not every site of the jurisdiction.
    planned = Task.sites.through.objects.filter(task__day__gte=first, task__day__lte=last)
    since = timezone.make_aware(datetime.combine(first, time.min))
    visited = Inspection.sites.through.objects.filter(inspection__visited_at__gte=since)
    sites = (
        Site.objects.visible_to(request.user)
        .filter(Q(pk__in=planned.values("site_id")) | Q(pk__in=visited.values("site_id")))
        .select_related("region")
        .order_by("name")
    )
    rows = [row for row in site_burden(sites, weeks, viewer=request.user) if row.total]
    rows.sort(key=lambda row: (-max(w.count for w in row.weeks), -row.total, row.site.name))
    context = {"rows": rows, "mondays": mondays, "weeks": weeks}
    return render(request, "fieldwork/burden.html", context)


@login_required
def site_burden_view(request: HttpRequest, pk: int) -> HttpResponse:
    site = Site.objects.visible_to(request.user).select_related("region").filter(pk=pk).first()
    if site is None:
        raise Http404
    weeks = _weeks(request)
    (row,) = site_burden(Site.objects.filter(pk=site.pk), weeks, viewer=request.user)
    context = {"site": site, "row": row, "weeks": weeks}
    return render(request, "fieldwork/site_burden.html", context)


# --- Checklists -------------------------------------------------------------------------


def _checklists(
    request: HttpRequest,
    add_form: ChecklistItemForm | None = None,
    bound: ReviseItemForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    show_retired = request.GET.get("retired") == "1"
    items = ChecklistItem.objects.visible_to(user).select_related("focus_area", "office")
    if not show_retired:
        items = items.filter(active=True)
    editable = set(ChecklistItem.objects.editable_by(user).values_list("pk", flat=True))
    may_edit = may(user, FieldAction.EDIT_CHECKLIST)
    groups: dict[int, dict[str, Any]] = {}
    for area in FocusArea.objects.filter(active=True):
        groups[area.pk] = {"area": area, "items": []}
    for item in items.order_by("focus_area__position", "position", "pk"):
        group = groups.setdefault(item.focus_area_id, {"area": item.focus_area, "items": []})
        form = None
        if may_edit and item.pk in editable and item.active:
            form = bound if bound is not None and bound.item.pk == item.pk else None
            form = form or ReviseItemForm(item=item)
        group["items"].append({"item": item, "form": form})
    offices = acting_orgs(user, FieldAction.EDIT_CHECKLIST)
    if may_edit and add_form is None:
        add_form = ChecklistItemForm(offices=offices)
    context = {
        "groups": [group for group in groups.values() if group["items"] or may_edit],
        "add_form": add_form if may_edit else None,
        "show_retired": show_retired,
    }
    return render(request, "fieldwork/checklists.html", context, status=status)


@login_required
def checklists(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _checklists(request)
    require(request.user, FieldAction.EDIT_CHECKLIST)
    form = ChecklistItemForm(
        request.POST, offices=acting_orgs(request.user, FieldAction.EDIT_CHECKLIST)
    )
    if not form.is_valid():
        return _checklists(request, add_form=form, status=422)
    outcome = run_action(
        request, form, actions.do_add_checklist_item, acting_user=request.user, **form.cleaned_data
    )
    if outcome.ok:
        messages.success(request, _("The question was added."))
        return redirect("fieldwork:checklists")
    return _checklists(request, add_form=form, status=outcome.status)


@login_required
@require_POST
def checklist_revise(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_checklist_item(request.user, pk, FieldAction.EDIT_CHECKLIST)
    form = ReviseItemForm(request.POST, item=item)
    if not form.is_valid():
        return _checklists(request, bound=form, status=422)
    outcome = run_action(
        request,
        form,
        actions.do_revise_checklist_item,
        item,
        acting_user=request.user,
        **form.cleaned_data,
    )
    if outcome.ok:
        messages.success(
            request, _("The question was revised; earlier answers keep the old wording.")
        )
        return redirect("fieldwork:checklists")
    if outcome.refused_state:
        return _checklists(request, status=outcome.status)
    return _checklists(request, bound=form, status=outcome.status)


@login_required
@require_POST
def checklist_retire(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_checklist_item(request.user, pk, FieldAction.EDIT_CHECKLIST)
    outcome = run_action(
        request, None, actions.do_retire_checklist_item, item, acting_user=request.user
    )
    if not outcome.ok:
        return _checklists(request, status=outcome.status)
    messages.success(request, _("The question is no longer asked."))
    return redirect("fieldwork:checklists")


# --- Revisits ---------------------------------------------------------------------------


def _revisits(
    request: HttpRequest,
    sample_form: SampleForm | None = None,
    bound: RevisitResultForm | None = None,
    bound_id: int | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    visible = Revisit.objects.visible_to(user).select_related(
        "problem", "problem__region", "problem__site", "problem__focus_area"
    )
    today = timezone.localdate()
    filters = RevisitFilterForm(request.GET or None, user=user)
    rows = visible.filter(state=RevisitState.DUE)
    if filters.is_bound and not filters.is_valid():
        rows, status = rows.none(), 400 if status == 200 else status
    elif filters.is_bound:
        chosen = filters.problem_filter().apply(Problem.objects.all())
        rows = rows.filter(problem__in=chosen.values("pk"))
        if filters.cleaned_data["late"]:
            rows = rows.filter(due_on__lt=today)
    page = Paginator(rows.order_by("due_on", "pk"), settings.DUCHA_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    recordable = set(
        Revisit.objects.visible_to(user, FieldAction.RECORD_REVISIT)
        .filter(state=RevisitState.DUE, pk__in=[revisit.pk for revisit in page])
        .values_list("pk", flat=True)
    )
    due = []
    for revisit in page:
        form = None
        if revisit.pk in recordable:
            form = bound if bound is not None and bound_id == revisit.pk else None
            form = form or RevisitResultForm(revisit_id=revisit.pk)
        due.append({"revisit": revisit, "form": form})
    done = visible.exclude(state=RevisitState.DUE).order_by("-due_on", "-pk")[:50]
    if may(user, FieldAction.DRAW_SAMPLE) and sample_form is None:
        sample_form = SampleForm(offices=acting_orgs(user, FieldAction.DRAW_SAMPLE))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "due": due,
        "page": page,
        "filters": filters,
        # The filters and page, kept by each row's form so the member returns where they were.
        "here": request.GET.urlencode(),
        "query": f"{query.urlencode()}&" if query else "",
        "done": done,
        "today": today,
        "sample_form": sample_form,
    }
    return render(request, "fieldwork/revisits.html", context, status=status)


@login_required
def revisits(request: HttpRequest) -> HttpResponse:
    return _revisits(request)


@login_required
@require_POST
def revisit_sample(request: HttpRequest) -> HttpResponse:
    require(request.user, FieldAction.DRAW_SAMPLE)
    form = SampleForm(request.POST, offices=acting_orgs(request.user, FieldAction.DRAW_SAMPLE))
    status = 422
    if form.is_valid():
        outcome = run_action(
            request,
            form,
            actions.do_draw_revisit_sample,
            acting_user=request.user,
            **form.cleaned_data,
        )
        status = outcome.status
        if outcome.ok:
            drawn = outcome.result
            if drawn:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s problem drawn for a surprise revisit.",
                        "%(count)s problems drawn for a surprise revisit.",
                        len(drawn),
                    )
                    % {"count": len(drawn)},
                )
            else:
                messages.info(request, _("No recently closed problem was left to draw."))
            return redirect("fieldwork:revisits")
    return _revisits(request, sample_form=form, status=status)


@login_required
@require_POST
def revisit_result(request: HttpRequest, pk: int) -> HttpResponse:
    revisit = access_revisit(request.user, pk, FieldAction.RECORD_REVISIT)
    form = RevisitResultForm(request.POST, revisit_id=revisit.pk)
    if not form.is_valid():
        return _revisits(request, bound=form, bound_id=revisit.pk, status=422)
    outcome = run_action(
        request,
        form,
        actions.do_record_revisit,
        revisit,
        acting_user=request.user,
        **form.cleaned_data,
    )
    if outcome.ok:
        if form.cleaned_data["passed"]:
            messages.success(request, _("Revisit recorded: still fixed."))
        else:
            messages.warning(
                request, _("Revisit recorded: the problem is reopened and marked recurring.")
            )
        here = request.GET.urlencode()
        return redirect(f"{reverse('fieldwork:revisits')}?{here}" if here else "fieldwork:revisits")
    if outcome.refused_state:
        return _revisits(request, status=outcome.status)
    return _revisits(request, bound=form, bound_id=revisit.pk, status=outcome.status)
