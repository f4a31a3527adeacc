"""The field-work API's input and output shapes, and the functions that fill them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from ducha.core.schemas import MAX_ITEMS, AwareDatetime, Body, Bounded, PageOut, PageQuery, Ref, ref
from ducha.core.search import FullTextSearch
from ducha.core.text import Line, LongText, Title
from ducha.fieldwork.choices import AnswerResult, Method, RevisitState, TaskState
from ducha.fieldwork.evidence import PhotoTaken
from ducha.fieldwork.models import ChecklistItem, Inspection, Meeting, Revisit, Task
from ducha.fieldwork.overlap import Overlap, SiteBurden
from ducha.problems.choices import Nature, Urgency

# --- checklists ------------------------------------------------------------------------------


class ChecklistQuery(PageQuery):
    focus_area: int | None = None
    office: int | None = None
    include_inactive: bool = False


class ChecklistItemOut(Schema):
    id: int
    focus_area: Ref
    office: Ref | None
    text: str
    proposed_title: str
    problem_title: str = Field(
        ..., description="What a failed answer proposes: `proposed_title`, else one built."
    )
    position: int
    active: bool
    replaces: int | None
    replaced_by: int | None


class ChecklistPage(PageOut):
    items: list[ChecklistItemOut]


class ChecklistItemIn(Body):
    focus_area: int
    office: int | None = Field(None, description="Default: the caller's office.")
    text: Line
    proposed_title: Title = Field("", description="The title a failed answer proposes.")
    position: int = Field(0, ge=0, le=32767)


class ChecklistReviseIn(Body):
    text: Line
    proposed_title: Title | None = Field(None, description="Default: the old version's.")
    position: int | None = Field(None, ge=0, le=32767)


def checklist_item_data(item: ChecklistItem) -> dict[str, Any]:
    replaced_by = getattr(item, "replaced_by", None)
    return {
        "id": item.pk,
        "focus_area": ref(item.focus_area),
        "office": ref(item.office),
        "text": item.text,
        "proposed_title": item.proposed_title,
        "problem_title": item.problem_title(),
        "position": item.position,
        "active": item.active,
        "replaces": item.replaces_id,
        "replaced_by": replaced_by.pk if replaced_by else None,
    }


# --- meetings --------------------------------------------------------------------------------


class MeetingQuery(PageQuery):
    held_on: date | None = None


class MeetingOut(Schema):
    id: int
    office: Ref
    held_on: date
    title: str
    attendees: str
    decisions: str
    created_by: str
    tasks: list[int]


class MeetingPage(PageOut):
    items: list[MeetingOut]


class MeetingIn(Body):
    office: int | None = Field(None, description="Default: the caller's office.")
    held_on: date
    title: Title
    attendees: LongText = ""
    decisions: LongText = ""


def meeting_data(meeting: Meeting, task_ids: list[int]) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "office": ref(meeting.office),
        "held_on": meeting.held_on,
        "title": meeting.title,
        "attendees": meeting.attendees,
        "decisions": meeting.decisions,
        "created_by": str(meeting.created_by),
        "tasks": task_ids,
    }


# --- tasks -----------------------------------------------------------------------------------


class TaskQuery(PageQuery):
    day: date | None = None
    team: int | None = None
    state: TaskState | None = None
    mine: bool = Field(False, description="Only the tasks of the caller's own teams.")


class TaskOut(Schema):
    id: int
    day: date
    method: str
    method_label: str
    state: str
    state_label: str
    office: Ref
    team: Ref
    meeting: Ref | None
    sites: list[Ref]
    regions: list[Ref]
    focus_areas: list[Ref]
    participants: list[Ref]
    notes: str
    allowed_actions: list[str]


class TaskPage(PageOut):
    items: list[TaskOut]


class TaskIn(Body):
    office: int | None = Field(None, description="Default: the caller's office.")
    team: int
    day: date
    method: Method
    focus_areas: list[int] = Field(..., min_length=1)
    sites: list[int] = []
    regions: list[int] = []
    meeting: int | None = None
    notes: LongText = ""
    confirm_overlap: bool = Field(
        False, description="Plan even though another team visits a site within the window."
    )


class JoinIn(Body):
    org: int | None = Field(None, description="Default: the caller's own office or unit.")
    focus_areas: list[int] = Field(..., min_length=1)


class CancelIn(Body):
    reason: LongText


class OverlapQuery(Bounded):
    site: list[int] = Field(..., min_length=1)
    day: date
    exclude_team: int | None = None


class OverlapOut(Schema):
    kind: str
    id: int
    day: date
    team: str
    office: str
    site: str
    site_id: int
    team_id: int


class OverlapErrorOut(Schema):
    detail: str
    field: str | None = None
    visits: list[OverlapOut]


def _refs(rows: Any) -> list[dict[str, Any]]:
    return [{"id": row.pk, "name": str(row)} for row in rows]


def task_data(task: Task, allowed: list[str]) -> dict[str, Any]:
    return {
        "id": task.pk,
        "day": task.day,
        "method": task.method,
        "method_label": str(Method(task.method).label),
        "state": task.state,
        "state_label": str(TaskState(task.state).label),
        "office": ref(task.office),
        "team": ref(task.team),
        "meeting": ref(task.meeting),
        "sites": _refs(task.sites.all()),
        "regions": _refs(task.regions.all()),
        "focus_areas": _refs(task.focus_areas.all()),
        "participants": _refs(task.participants.all()),
        "notes": task.notes,
        "allowed_actions": allowed,
    }


def overlap_data(visit: Overlap) -> dict[str, Any]:
    return visit.as_dict()


# --- inspections -----------------------------------------------------------------------------


class InspectionQuery(PageQuery):
    q: FullTextSearch = Field("", description="Words of the visit's notes or its answers' notes.")
    day: date | None = None
    team: int | None = None
    site: int | None = None


class AnswerIn(Body):
    item: int
    result: AnswerResult
    note: LongText = ""
    fixed_on_spot: bool = False
    evidence_text: LongText = ""
    urgency: Urgency = Urgency.NORMAL
    nature: Nature = Nature.INDIVIDUAL
    title: Title = Field(
        "", description="A failed answer's problem title. Default: the question's proposal."
    )


PHOTO_NAME = r"^(visit|item-[0-9]{1,18})-[0-9]{1,2}$"


class PhotoTakenIn(Body):
    """When and where the phone took one photo sent with the visit."""

    photo: str = Field(
        ...,
        pattern=PHOTO_NAME,
        max_length=40,
        description="`visit-<n>` for the n-th of `photos` (from 0), `item-<id>-<n>` for the "
        "n-th of `item_<id>_photos`.",
    )
    captured_at: AwareDatetime | None = Field(None, description="The phone's clock.")
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    accuracy: int | None = Field(None, ge=0, le=100_000, description="Metres.")


class InspectionIn(Body):
    client_key: UUID = Field(
        ..., description="Generated by the client once per submission; a retry sends it again."
    )
    task: int | None = None
    team: int | None = Field(None, description="Default: the task's team.")
    method: Method | None = Field(None, description="Default: the task's method.")
    visited_at: AwareDatetime
    sites: list[int] = Field(default_factory=list, description="Default: the task's sites.")
    members_present: list[int] = []
    notes: LongText = ""
    answers: list[AnswerIn] = []
    photos_taken: list[PhotoTakenIn] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="What the phone said of the photos sent (multipart only).",
    )


def photos_taken(rows: list[PhotoTakenIn]) -> dict[str, PhotoTaken]:
    return {
        row.photo: PhotoTaken(
            captured_at=row.captured_at,
            latitude=None if row.latitude is None else _degrees(row.latitude),
            longitude=None if row.longitude is None else _degrees(row.longitude),
            accuracy=row.accuracy,
        )
        for row in rows
    }


def _degrees(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.000001"))


class AnswerOut(Schema):
    item: int
    question: str
    result: str
    note: str
    problem: int | None


class InspectionOut(Schema):
    id: int
    team: Ref
    task: int | None
    method: str
    visited_at: datetime
    region: Ref
    sites: list[Ref]
    members_present: list[Ref]
    notes: str
    recorded_by: str
    client_key: UUID | None
    answers: list[AnswerOut]
    problems: list[int]


INSPECTION_RELATED = ("team", "region", "recorded_by")
INSPECTION_PREFETCH = ("answers__item", "sites", "members_present")


class InspectionPage(PageOut):
    items: list[InspectionOut]


def inspection_data(inspection: Inspection) -> dict[str, Any]:
    # Callers prefetch "answers__item", "sites" and "members_present" (INSPECTION_PREFETCH).
    answers = list(inspection.answers.all())
    return {
        "id": inspection.pk,
        "team": ref(inspection.team),
        "task": inspection.task_id,
        "method": inspection.method,
        "visited_at": inspection.visited_at,
        "region": ref(inspection.region),
        "sites": _refs(inspection.sites.all()),
        "members_present": _refs(inspection.members_present.all()),
        "notes": inspection.notes,
        "recorded_by": str(inspection.recorded_by),
        "client_key": inspection.client_key,
        "answers": [
            {
                "item": answer.item_id,
                "question": answer.item.text,
                "result": answer.result,
                "note": answer.note,
                "problem": answer.problem_id,
            }
            for answer in answers
        ],
        "problems": [answer.problem_id for answer in answers if answer.problem_id],
    }


# --- revisits --------------------------------------------------------------------------------


class RevisitQuery(PageQuery):
    state: RevisitState | None = None
    due_by: date | None = None
    sampled: bool | None = None


class RevisitOut(Schema):
    id: int
    problem: Ref
    due_on: date
    sampled: bool
    state: str
    state_label: str
    inspection: int | None
    note: str


class RevisitPage(PageOut):
    items: list[RevisitOut]


class SampleIn(Body):
    office: int | None = Field(None, description="Default: the caller's office.")
    size: int = Field(..., ge=1, le=100)
    closed_within_days: int = Field(30, ge=1, le=366)


class RevisitResultIn(Body):
    passed: bool
    note: LongText = ""
    inspection: int | None = None


def revisit_data(revisit: Revisit) -> dict[str, Any]:
    return {
        "id": revisit.pk,
        "problem": ref(revisit.problem),
        "due_on": revisit.due_on,
        "sampled": revisit.sampled,
        "state": revisit.state,
        "state_label": str(RevisitState(revisit.state).label),
        "inspection": revisit.inspection_id,
        "note": revisit.note,
    }


# --- burden ----------------------------------------------------------------------------------


class BurdenQuery(Bounded):
    weeks: int = Field(8, ge=1, le=53)


class WeekOut(Schema):
    week: str
    monday: date
    count: int
    visits: list[OverlapOut]


class BurdenOut(Schema):
    site: Ref
    total: int
    weeks: list[WeekOut]


def burden_data(burden: SiteBurden) -> dict[str, Any]:
    return {
        "site": ref(burden.site),
        "total": burden.total,
        "weeks": [
            {
                "week": week.label,
                "monday": week.monday,
                "count": week.count,
                "visits": [v.as_dict() for v in week.visits],
            }
            for week in burden.weeks
        ],
    }
