"""Field work over JSON: checklists, meetings, tasks (with 1+N overlaps), inspections,
revisits and each site's burden. Lists start from `visible_to`; single objects come through
the access helpers; every change goes through `ducha.fieldwork.actions`."""

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from ducha.accounts.auth import caller
from ducha.accounts.choices import Role
from ducha.core.choosers import Chooser
from ducha.core.errors import InvalidInput
from ducha.core.fulltext import matching_or_characters
from ducha.core.lookups import pick
from ducha.core.multipart import json_body, refuse_unknown_fields
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, PageQuery
from ducha.core.scope import grants_for
from ducha.core.scoping import not_in_scope
from ducha.core.search import parse_query
from ducha.fieldwork import actions as do
from ducha.fieldwork import choosers
from ducha.fieldwork import schemas as s
from ducha.fieldwork.access import (
    access_checklist_item,
    access_inspection,
    access_meeting,
    access_revisit,
    access_task,
)
from ducha.fieldwork.choices import FIELD_ACTION_ROLES, FieldAction, TaskState
from ducha.fieldwork.models import ChecklistItem, Inspection, Meeting, Revisit, Task
from ducha.fieldwork.overlap import VisitOverlap, find_overlaps, site_burden
from ducha.orgs.models import Org, Site, Team
from ducha.problems.choosers import TEAM
from ducha.problems.models import FocusArea

router = Router(tags=["field work"])

TASK_RELATED = ("office", "team", "meeting")
TASK_PREFETCH = ("sites", "regions", "focus_areas", "participants")


def _page(query: PageQuery, rows: QuerySet[Any], shape: Any) -> dict[str, Any]:
    return {
        "count": rows.count(),
        "page": query.page,
        "page_size": query.page_size,
        "items": [shape(row) for row in rows[query.offset : query.offset + query.page_size]],
    }


def _acting(user: Any, org_id: int | None, chooser: Chooser[Org]) -> Org:
    """The office (or unit) the caller acts for, named or by default their highest one."""
    choices = chooser.choices(user)
    default = choices.first()
    if default is None:
        raise PermissionDenied(_("Your role may not take this action here."))
    return default if org_id is None else chooser.pick(org_id, user)


def _office(user: Any, org_id: int | None, action: str) -> Org:
    return _acting(user, org_id, choosers.acting_office(action))


def _pick_all(queryset: QuerySet[Any], ids: list[int], field: str) -> list[Any]:
    found = queryset.in_bulk(list(dict.fromkeys(ids)))
    if len(found) != len(set(ids)):
        raise not_in_scope(field)
    return [found[pk] for pk in dict.fromkeys(ids)]


def _focus_areas(ids: list[int]) -> list[FocusArea]:
    return _pick_all(FocusArea.objects.filter(active=True), ids, "focus_areas")


# --- checklists ------------------------------------------------------------------------------


def _items(user: Any) -> QuerySet[ChecklistItem]:
    return ChecklistItem.objects.visible_to(user).select_related(
        "focus_area", "office", "replaced_by"
    )


@router.get("/checklist-items", response={200: s.ChecklistPage, **READ_ERRORS})
def list_checklist_items(request: HttpRequest, filters: Query[s.ChecklistQuery]) -> Any:
    """Checklist questions that apply in the caller's jurisdiction (in use, unless asked)."""
    items = _items(caller(request))
    if not filters.include_inactive:
        items = items.filter(active=True)
    if filters.focus_area is not None:
        items = items.filter(focus_area_id=filters.focus_area)
    if filters.office is not None:
        items = items.filter(office_id=filters.office)
    return _page(filters, items, s.checklist_item_data)


@router.post("/checklist-items", response={201: s.ChecklistItemOut, **WRITE_ERRORS})
def add_checklist_item(request: HttpRequest, payload: s.ChecklistItemIn) -> Any:
    """Add a question to the caller's office's checklist for a focus area."""
    user = caller(request)
    office = _office(user, payload.office, FieldAction.EDIT_CHECKLIST)
    item = do.do_add_checklist_item(
        acting_user=user,
        focus_area=pick(FocusArea.objects.filter(active=True), payload.focus_area, "focus_area"),
        office=office,
        text=payload.text,
        position=payload.position,
        proposed_title=payload.proposed_title,
    )
    return Status(201, s.checklist_item_data(_items(user).get(pk=item.pk)))


@router.get("/checklist-items/{item_id}", response={200: s.ChecklistItemOut, **READ_ERRORS})
def get_checklist_item(request: HttpRequest, item_id: int) -> Any:
    user = caller(request)
    access_checklist_item(user, item_id)
    return s.checklist_item_data(_items(user).get(pk=item_id))


@router.post(
    "/checklist-items/{item_id}/revise", response={201: s.ChecklistItemOut, **WRITE_ERRORS}
)
def revise_checklist_item(request: HttpRequest, item_id: int, payload: s.ChecklistReviseIn) -> Any:
    """A new version of the question; answers given so far keep the old wording."""
    user = caller(request)
    item = access_checklist_item(user, item_id, FieldAction.EDIT_CHECKLIST)
    new = do.do_revise_checklist_item(
        item,
        acting_user=user,
        text=payload.text,
        position=payload.position,
        proposed_title=payload.proposed_title,
    )
    return Status(201, s.checklist_item_data(_items(user).get(pk=new.pk)))


@router.post(
    "/checklist-items/{item_id}/retire", response={200: s.ChecklistItemOut, **WRITE_ERRORS}
)
def retire_checklist_item(request: HttpRequest, item_id: int) -> Any:
    user = caller(request)
    item = access_checklist_item(user, item_id, FieldAction.EDIT_CHECKLIST)
    do.do_retire_checklist_item(item, acting_user=user)
    return s.checklist_item_data(_items(user).get(pk=item_id))


# --- meetings --------------------------------------------------------------------------------


def _meeting_out(user: Any, meeting: Meeting) -> dict[str, Any]:
    task_ids = list(
        Task.objects.visible_to(user)
        .filter(meeting=meeting)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return s.meeting_data(meeting, task_ids)


@router.get("/meetings", response={200: s.MeetingPage, **READ_ERRORS})
def list_meetings(request: HttpRequest, filters: Query[s.MeetingQuery]) -> Any:
    """Meetings of the offices in the caller's jurisdiction, latest first."""
    user = caller(request)
    meetings = Meeting.objects.visible_to(user).select_related("office", "created_by")
    if filters.held_on is not None:
        meetings = meetings.filter(held_on=filters.held_on)
    page = list(meetings[filters.offset : filters.offset + filters.page_size])
    tasks: dict[int, list[int]] = {meeting.pk: [] for meeting in page}
    rows = Task.objects.visible_to(user).filter(meeting__in=page).values_list("meeting_id", "pk")
    for meeting_id, task_id in rows.order_by("pk"):
        tasks[meeting_id].append(task_id)
    return {
        "count": meetings.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [s.meeting_data(meeting, tasks[meeting.pk]) for meeting in page],
    }


@router.post("/meetings", response={201: s.MeetingOut, **WRITE_ERRORS})
def record_meeting(request: HttpRequest, payload: s.MeetingIn) -> Any:
    """会商会: record the meeting; its decisions become tasks (POST /tasks with `meeting`)."""
    user = caller(request)
    meeting = do.do_record_meeting(
        acting_user=user,
        office=_office(user, payload.office, FieldAction.RECORD_MEETING),
        held_on=payload.held_on,
        title=payload.title,
        attendees=payload.attendees,
        decisions=payload.decisions,
    )
    return Status(201, _meeting_out(user, meeting))


@router.get("/meetings/{meeting_id}", response={200: s.MeetingOut, **READ_ERRORS})
def get_meeting(request: HttpRequest, meeting_id: int) -> Any:
    user = caller(request)
    return _meeting_out(user, access_meeting(user, meeting_id))


# --- tasks -----------------------------------------------------------------------------------

TASK_ACTIONS = (FieldAction.JOIN_TASK, FieldAction.CANCEL_TASK, FieldAction.RECORD_INSPECTION)


def _actionable(user: Any, task_ids: list[int]) -> dict[str, set[int]]:
    """For each task action, which of these tasks the caller may take it on (one query each)."""
    return {
        action: set(
            Task.objects.visible_to(user, action)
            .filter(pk__in=task_ids, state=TaskState.PLANNED)
            .values_list("pk", flat=True)
        )
        for action in TASK_ACTIONS
    }


def _task_out(task: Task, actionable: dict[str, set[int]]) -> dict[str, Any]:
    return s.task_data(task, [a for a in TASK_ACTIONS if task.pk in actionable[a]])


def _task_detail(user: Any, task_id: int) -> dict[str, Any]:
    task = Task.objects.select_related(*TASK_RELATED).prefetch_related(*TASK_PREFETCH)
    return _task_out(task.get(pk=task_id), _actionable(user, [task_id]))


@router.get("/tasks", response={200: s.TaskPage, **READ_ERRORS})
def list_tasks(request: HttpRequest, filters: Query[s.TaskQuery]) -> Any:
    """Tasks the caller may see: a day's sheet (`day`), or their own teams' (`mine`)."""
    user = caller(request)
    tasks = Task.objects.visible_to(user)
    if filters.mine:
        team_ids = [g.team_id for g in grants_for(user) if g.role == Role.TEAM_MEMBER]
        tasks = tasks.filter(team_id__in=[pk for pk in team_ids if pk])
    if filters.day is not None:
        tasks = tasks.filter(day=filters.day)
    if filters.team is not None:
        tasks = tasks.filter(team_id=filters.team)
    if filters.state is not None:
        tasks = tasks.filter(state=filters.state)
    tasks = tasks.select_related(*TASK_RELATED).prefetch_related(*TASK_PREFETCH)
    page = list(tasks[filters.offset : filters.offset + filters.page_size])
    actionable = _actionable(user, [task.pk for task in page])
    return {
        "count": tasks.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_task_out(task, actionable) for task in page],
    }


@router.post("/tasks", response={**WRITE_ERRORS, 201: s.TaskOut, 409: s.OverlapErrorOut})
def plan_task(request: HttpRequest, payload: s.TaskIn) -> Any:
    """责任清单: plan a visit. 409 lists other teams' visits of the same sites in the window;
    send `confirm_overlap: true` to plan anyway, or join one of them (POST /tasks/{id}/join)."""
    user = caller(request)
    office = _office(user, payload.office, FieldAction.PLAN_TASK)
    meeting = None
    if payload.meeting is not None:
        meeting = pick(Meeting.objects.visible_to(user), payload.meeting, "meeting")
    try:
        task = do.do_plan_task(
            acting_user=user,
            office=office,
            team=TEAM.pick(payload.team, user),
            day=payload.day,
            method=payload.method,
            focus_areas=_focus_areas(payload.focus_areas),
            sites=_pick_all(Site.objects.visible_to(user), payload.sites, "sites"),
            regions=_pick_all(Org.objects.visible_to(user).regions(), payload.regions, "regions"),
            meeting=meeting,
            notes=payload.notes,
            confirm_overlap=payload.confirm_overlap,
        )
    except VisitOverlap as overlap:
        return Status(
            409,
            {
                "detail": overlap.message,
                "field": overlap.field,
                "visits": [visit.as_dict() for visit in overlap.visits],
            },
        )
    return Status(201, _task_detail(user, task.pk))


@router.get("/tasks/overlaps", response={200: list[s.OverlapOut], **READ_ERRORS})
def task_overlaps(request: HttpRequest, params: Query[s.OverlapQuery]) -> Any:
    """Other visits of these sites within the window around `day` (before planning)."""
    user = caller(request)
    sites = _pick_all(Site.objects.visible_to(user), params.site, "site")
    return [
        visit.as_dict()
        for visit in find_overlaps(sites, params.day, exclude_team=params.exclude_team, viewer=user)
    ]


@router.get("/tasks/{task_id}", response={200: s.TaskOut, **READ_ERRORS})
def get_task(request: HttpRequest, task_id: int) -> Any:
    user = caller(request)
    task = access_task(user, task_id)
    return _task_detail(user, task.pk)


@router.post("/tasks/{task_id}/join", response={200: s.TaskOut, **WRITE_ERRORS})
def join_task(request: HttpRequest, task_id: int, payload: s.JoinIn) -> Any:
    """1+N: the caller's office or unit joins this visit with its own focus areas."""
    user = caller(request)
    task = access_task(user, task_id, FieldAction.JOIN_TASK)
    org = _acting(user, payload.org, choosers.JOINING_ORG)
    do.do_join_task(task, acting_user=user, org=org, focus_areas=_focus_areas(payload.focus_areas))
    return _task_detail(user, task.pk)


@router.post("/tasks/{task_id}/cancel", response={200: s.TaskOut, **WRITE_ERRORS})
def cancel_task(request: HttpRequest, task_id: int, payload: s.CancelIn) -> Any:
    user = caller(request)
    task = access_task(user, task_id, FieldAction.CANCEL_TASK)
    do.do_cancel_task(task, acting_user=user, reason=payload.reason)
    return _task_detail(user, task.pk)


# --- inspections -----------------------------------------------------------------------------


def _inspection_out(pk: int) -> dict[str, Any]:
    inspection = Inspection.objects.select_related(*s.INSPECTION_RELATED).prefetch_related(
        *s.INSPECTION_PREFETCH
    )
    return s.inspection_data(inspection.get(pk=pk))


@router.get("/inspections", response={200: s.InspectionPage, **READ_ERRORS})
def list_inspections(request: HttpRequest, filters: Query[s.InspectionQuery]) -> Any:
    inspections = (
        Inspection.objects.visible_to(caller(request))
        .select_related(*s.INSPECTION_RELATED)
        .prefetch_related(*s.INSPECTION_PREFETCH)
    )
    if filters.day is not None:
        inspections = inspections.filter(visited_at__date=filters.day)
    if filters.team is not None:
        inspections = inspections.filter(team_id=filters.team)
    if filters.site is not None:
        inspections = inspections.filter(sites=filters.site)
    if (query := parse_query(filters.q)) is not None:
        inspections, _query = matching_or_characters(inspections, query)
    return _page(filters, inspections, s.inspection_data)


def _inspecting_team(user: Any, team_id: int | None) -> Team:
    """A team the caller may record for: their own team, or (office staff) one they see."""
    if team_id is None:
        raise InvalidInput(_("This field is required."), "team")
    team = pick(Team.objects.visible_to(user), team_id, "team")
    roles = FIELD_ACTION_ROLES[FieldAction.RECORD_INSPECTION]
    for grant in grants_for(user):
        if grant.role not in roles:
            continue
        if grant.role != Role.TEAM_MEMBER or grant.team_id == team.pk:
            return team
    raise PermissionDenied(_("Your role may not take this action here."))


def _record_inspection(
    user: Any,
    payload: s.InspectionIn,
    photos: list[Any] | None = None,
    item_photos: dict[int, list[Any]] | None = None,
) -> Status[dict[str, Any]]:
    existing = do.existing_inspection(payload.client_key, user)
    if existing is not None:
        return Status(200, _inspection_out(existing.pk))
    task = None
    if payload.task is not None:
        task = access_task(user, payload.task, FieldAction.RECORD_INSPECTION)
        if payload.team is not None and payload.team != task.team_id:
            raise InvalidInput(_("This task belongs to another team."), "team")
        team = task.team
    else:
        team = _inspecting_team(user, payload.team)
    method = payload.method or (task.method if task else None)
    if method is None:
        raise InvalidInput(_("This field is required."), "method")
    if payload.sites:
        sites = _pick_all(Site.objects.visible_to(user), payload.sites, "sites")
    elif task is not None:
        sites = list(task.sites.all())
    else:
        raise InvalidInput(_("Choose the sites visited."), "sites")
    members = _pick_all(team.members.all(), payload.members_present, "members_present")
    items = ChecklistItem.objects.visible_to(user).in_bulk([a.item for a in payload.answers])
    answers = []
    for answer in payload.answers:
        if answer.item not in items:
            raise InvalidInput(_("This question does not exist."), "answers")
        answers.append(
            do.AnswerInput(
                item=items[answer.item],
                result=answer.result,
                note=answer.note,
                fixed_on_spot=answer.fixed_on_spot,
                evidence_text=answer.evidence_text,
                urgency=answer.urgency,
                nature=answer.nature,
                title=answer.title,
            )
        )
    inspection = do.do_record_inspection(
        acting_user=user,
        team=team,
        method=method,
        visited_at=payload.visited_at,
        sites=sites,
        answers=answers,
        task=task,
        members_present=members,
        notes=payload.notes,
        client_key=payload.client_key,
        photos=photos or [],
        item_photos=item_photos or {},
        photos_taken=s.photos_taken(payload.photos_taken),
    )
    return Status(201, _inspection_out(inspection.pk))


@router.post(
    "/inspections",
    response={200: s.InspectionOut, 201: s.InspectionOut, **WRITE_ERRORS},
)
def record_inspection(request: HttpRequest, payload: s.InspectionIn) -> Any:
    """督查: record a visit with its answers. Failed answers become problems linked to it.

    A retry with the same `client_key` answers 200 with the first result and creates nothing.
    """
    return _record_inspection(caller(request), payload)


ITEM_PHOTOS = re.compile(r"^item_(\d+)_photos$")


@router.post(
    "/inspections/with-photos",
    response={200: s.InspectionOut, 201: s.InspectionOut, **WRITE_ERRORS, 429: ErrorOut},
)
def record_inspection_with_photos(
    request: HttpRequest,
    payload: Form[str],
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """督查 with its photos, all in one transaction, as multipart: `payload` holds the JSON
    body of POST /inspections, `photos` the photos of the visit (at most 10), and
    `item_<id>_photos` those of the failed question `<id>` (at most 10 each; they are kept
    with the problem its answer creates). A refused photo (422 naming its part) records
    nothing. A retry with the same `client_key` answers 200 with the first result."""
    user = caller(request)
    item_photos = {
        int(match.group(1)): request.FILES.getlist(name)
        for name in request.FILES
        if (match := ITEM_PHOTOS.match(name))
    }
    refuse_unknown_fields(
        request, ["payload", "photos", *(f"item_{pk}_photos" for pk in item_photos)]
    )
    return _record_inspection(user, json_body(s.InspectionIn, payload), photos, item_photos)


@router.get("/inspections/{inspection_id}", response={200: s.InspectionOut, **READ_ERRORS})
def get_inspection(request: HttpRequest, inspection_id: int) -> Any:
    inspection = access_inspection(caller(request), inspection_id)
    return _inspection_out(inspection.pk)


# --- revisits --------------------------------------------------------------------------------


@router.get("/revisits", response={200: s.RevisitPage, **READ_ERRORS})
def list_revisits(request: HttpRequest, filters: Query[s.RevisitQuery]) -> Any:
    """Revisits of problems in the caller's jurisdiction, soonest due first."""
    revisits = Revisit.objects.visible_to(caller(request)).select_related("problem")
    if filters.state is not None:
        revisits = revisits.filter(state=filters.state)
    if filters.due_by is not None:
        revisits = revisits.filter(due_on__lte=filters.due_by)
    if filters.sampled is not None:
        revisits = revisits.filter(sampled=filters.sampled)
    return _page(filters, revisits, s.revisit_data)


@router.post("/revisits/sample", response={201: list[s.RevisitOut], **WRITE_ERRORS})
def draw_sample(request: HttpRequest, payload: s.SampleIn) -> Any:
    """杀回马枪: draw a random sample of problems closed recently in the office's jurisdiction."""
    user = caller(request)
    revisits = do.do_draw_revisit_sample(
        acting_user=user,
        office=_office(user, payload.office, FieldAction.DRAW_SAMPLE),
        size=payload.size,
        closed_within_days=payload.closed_within_days,
    )
    rows = Revisit.objects.select_related("problem").filter(pk__in=[r.pk for r in revisits])
    return Status(201, [s.revisit_data(r) for r in rows])


@router.post("/revisits/{revisit_id}/result", response={200: s.RevisitOut, **WRITE_ERRORS})
def record_revisit(request: HttpRequest, revisit_id: int, payload: s.RevisitResultIn) -> Any:
    """The result of a revisit; a failed one reopens the problem and marks it recurring."""
    user = caller(request)
    revisit = access_revisit(user, revisit_id, FieldAction.RECORD_REVISIT)
    inspection = None
    if payload.inspection is not None:
        inspection = pick(Inspection.objects.visible_to(user), payload.inspection, "inspection")
    do.do_record_revisit(
        revisit, acting_user=user, passed=payload.passed, note=payload.note, inspection=inspection
    )
    return s.revisit_data(Revisit.objects.select_related("problem").get(pk=revisit.pk))


@router.get("/revisits/{revisit_id}", response={200: s.RevisitOut, **READ_ERRORS})
def get_revisit(request: HttpRequest, revisit_id: int) -> Any:
    return s.revisit_data(access_revisit(caller(request), revisit_id))


# --- burden ----------------------------------------------------------------------------------


@router.get("/sites/{site_id}/burden", response={200: s.BurdenOut, **READ_ERRORS})
def burden(request: HttpRequest, site_id: int, params: Query[s.BurdenQuery]) -> Any:
    """Visits of one site per ISO week (planned tasks and inspections), and by whom."""
    user = caller(request)
    sites = Site.objects.visible_to(user).filter(pk=site_id)
    if not sites.exists():
        raise Http404
    [found] = site_burden(sites, params.weeks, viewer=user)
    return s.burden_data(found)
