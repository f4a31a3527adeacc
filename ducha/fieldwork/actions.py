"""Every change in field work. Atomic; one FieldEvent per call.

Callers (pages, API) check access first (`ducha.fieldwork.access`); these functions check
what only they can: states of locked rows and the meaning of the input. Bad input raises
InvalidInput naming the field; a wrong state raises TransitionRefused; a second visit of a
site raises VisitOverlap unless confirmed.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.errors import InvalidInput, TransitionRefused
from ducha.core.forms import MAX_PHOTOS, too_many_photos
from ducha.core.search import stored_words
from ducha.fieldwork import notifying
from ducha.fieldwork.choices import AnswerResult, Method, RevisitState, TaskState
from ducha.fieldwork.evidence import PhotoTaken, attach_as
from ducha.fieldwork.models import (
    Answer,
    ChecklistItem,
    FieldEvent,
    Inspection,
    Meeting,
    Revisit,
    Task,
)
from ducha.fieldwork.overlap import Overlap, VisitOverlap, find_overlaps
from ducha.orgs.choices import LEVEL_FIELDS, OrgKind, RegionLevel
from ducha.orgs.models import Org, Site, Team
from ducha.problems import actions as problem_actions
from ducha.problems.choices import Nature, State, Urgency
from ducha.problems.models import FocusArea, Problem

__all__ = [
    "AnswerInput",
    "Overlap",
    "VisitOverlap",
    "do_add_checklist_item",
    "do_cancel_task",
    "do_draw_revisit_sample",
    "do_join_task",
    "do_plan_task",
    "do_record_inspection",
    "do_record_meeting",
    "do_record_revisit",
    "do_retire_checklist_item",
    "do_revise_checklist_item",
    "do_schedule_revisit",
    "existing_inspection",
    "find_overlaps",
]

# A phone's clock may run a little ahead of the server's.
CLOCK_SLACK = timedelta(minutes=5)
MAX_SAMPLE = 100


@dataclass
class AnswerInput:
    item: ChecklistItem
    result: str
    note: str = ""
    fixed_on_spot: bool = False
    evidence_text: str = ""
    urgency: str = Urgency.NORMAL
    nature: str = Nature.INDIVIDUAL
    # The problem's title as the member wrote it; empty: the one the question proposes.
    title: str = ""


def _required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("This field is required."), field)
    return value


def _event(acting_user: Any, action: str, **kwargs: Any) -> FieldEvent:
    return FieldEvent.objects.create(actor=acting_user, action=action, **kwargs)


def _office_region(office: Org, field: str = "office") -> Org:
    if office.kind != OrgKind.OFFICE:
        raise InvalidInput(_("Choose a supervision office."), field)
    region = office.region
    if region is None:
        raise InvalidInput(_("Choose a supervision office."), field)
    return region


def _within(region: Org, obj: Any) -> bool:
    """Whether a row carrying region levels lies inside `region`."""
    assert region.level is not None
    level_field = LEVEL_FIELDS[RegionLevel(region.level)]
    return getattr(obj, f"{level_field}_id") == region.pk


def _focus_areas(focus_areas: Iterable[FocusArea], *, required: bool = True) -> list[FocusArea]:
    areas = list(dict.fromkeys(focus_areas))
    if required and not areas:
        raise InvalidInput(_("Choose at least one focus area."), "focus_areas")
    if any(not area.active for area in areas):
        raise InvalidInput(_("This focus area is no longer in use."), "focus_areas")
    return areas


# --- checklists ------------------------------------------------------------------------------


@transaction.atomic
def do_add_checklist_item(
    *,
    acting_user: Any,
    focus_area: FocusArea,
    office: Org | None,
    text: str,
    position: int = 0,
    proposed_title: str = "",
) -> ChecklistItem:
    if office is not None:
        _office_region(office)
    if not focus_area.active:
        raise InvalidInput(_("This focus area is no longer in use."), "focus_area")
    item = ChecklistItem.objects.create(
        focus_area=focus_area,
        office=office,
        text=_required(text, "text")[:300],
        proposed_title=(proposed_title or "").strip()[:200],
        position=max(0, int(position)),
        created_by=acting_user,
    )
    _event(
        acting_user,
        "add_checklist_item",
        checklist_item=item,
        payload={"text": item.text, "proposed_title": item.proposed_title},
    )
    return item


def _lock_active(item: ChecklistItem) -> ChecklistItem:
    locked = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if not locked.active:
        raise TransitionRefused(_("This question has been replaced or retired already."))
    return locked


@transaction.atomic
def do_revise_checklist_item(
    item: ChecklistItem,
    *,
    acting_user: Any,
    text: str,
    position: int | None = None,
    proposed_title: str | None = None,
) -> ChecklistItem:
    """A new version; the old row stays, so earlier answers keep the question they were asked.

    `proposed_title` None keeps the old version's proposal."""
    old = _lock_active(item)
    text = _required(text, "text")[:300]
    title = old.proposed_title if proposed_title is None else proposed_title.strip()[:200]
    old.active = False
    old.save(update_fields=["active"])
    new = ChecklistItem.objects.create(
        focus_area_id=old.focus_area_id,
        office_id=old.office_id,
        text=text,
        proposed_title=title,
        position=old.position if position is None else max(0, int(position)),
        replaces=old,
        created_by=acting_user,
    )
    _event(
        acting_user,
        "revise_checklist_item",
        checklist_item=new,
        payload={
            "replaces": old.pk,
            "old_text": old.text,
            "text": new.text,
            "proposed_title": new.proposed_title,
        },
    )
    return new


@transaction.atomic
def do_retire_checklist_item(item: ChecklistItem, *, acting_user: Any) -> ChecklistItem:
    item = _lock_active(item)
    item.active = False
    item.save(update_fields=["active"])
    _event(acting_user, "retire_checklist_item", checklist_item=item)
    return item


# --- meetings and tasks ----------------------------------------------------------------------


@transaction.atomic
def do_record_meeting(
    *,
    acting_user: Any,
    office: Org,
    held_on: date,
    title: str,
    attendees: str = "",
    decisions: str = "",
) -> Meeting:
    _office_region(office)
    if held_on > timezone.localdate():
        raise InvalidInput(_("A meeting is recorded after it was held."), "held_on")
    meeting = Meeting.objects.create(
        office=office,
        held_on=held_on,
        title=_required(title, "title")[:200],
        attendees=(attendees or "").strip(),
        decisions=(decisions or "").strip(),
        created_by=acting_user,
    )
    _event(acting_user, "record_meeting", meeting=meeting, payload={"title": meeting.title})
    return meeting


@transaction.atomic
def do_plan_task(
    *,
    acting_user: Any,
    office: Org,
    team: Team,
    day: date,
    method: str,
    focus_areas: Iterable[FocusArea],
    sites: Iterable[Site] = (),
    regions: Iterable[Org] = (),
    meeting: Meeting | None = None,
    notes: str = "",
    confirm_overlap: bool = False,
) -> Task:
    """责任清单: one team, one day, where and against what. Warns of other teams' visits."""
    region = _office_region(office)
    if method not in Method.values:
        raise InvalidInput(_("Choose how the visit is made."), "method")
    if day < timezone.localdate():
        raise InvalidInput(_("A task is planned for today or a later day."), "day")
    if not team.active or not team.dispatched_by.path.startswith(region.path):
        raise InvalidInput(_("Choose a team of this office's jurisdiction."), "team")
    if meeting is not None and not meeting.office.path.startswith(region.path):
        raise InvalidInput(_("Choose a meeting of this office's jurisdiction."), "meeting")
    areas = _focus_areas(focus_areas)
    site_list = list(dict.fromkeys(sites))
    region_list = list(dict.fromkeys(regions))
    if not site_list and not region_list:
        raise InvalidInput(_("Choose the sites or regions to visit."), "sites")
    if any(not _within(region, site) for site in site_list):
        raise InvalidInput(_("A site lies outside this office's jurisdiction."), "sites")
    if any(r.kind != OrgKind.REGION or not r.path.startswith(region.path) for r in region_list):
        raise InvalidInput(_("A region lies outside this office's jurisdiction."), "regions")
    overlaps = find_overlaps(site_list, day, exclude_team=team, viewer=acting_user)
    if overlaps and not confirm_overlap:
        raise VisitOverlap(overlaps)
    task = Task.objects.create(
        office=office,
        team=team,
        day=day,
        method=method,
        meeting=meeting,
        notes=(notes or "").strip(),
        created_by=acting_user,
    )
    task.sites.set(site_list)
    task.regions.set(region_list)
    task.focus_areas.set(areas)
    _event(
        acting_user,
        "plan_task",
        task=task,
        meeting=meeting,
        payload={
            "day": day.isoformat(),
            "method": method,
            "team": team.pk,
            "sites": [s.pk for s in site_list],
            "overlaps_confirmed": [o.as_dict() for o in overlaps],
        },
    )
    transaction.on_commit(partial(notifying.after_task_planned, task.pk))
    return task


def _lock_planned(task: Task) -> Task:
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if locked.state != TaskState.PLANNED:
        raise TransitionRefused(
            _("This task is “%(state)s”; only a planned task can change.")
            % {"state": TaskState(locked.state).label}
        )
    return locked


@transaction.atomic
def do_join_task(
    task: Task, *, acting_user: Any, org: Org, focus_areas: Iterable[FocusArea]
) -> Task:
    """1+N: another office or department joins this visit instead of making its own."""
    task = _lock_planned(task)
    areas = _focus_areas(focus_areas)
    if org.pk == task.office_id or task.participants.filter(pk=org.pk).exists():
        raise TransitionRefused(_("This organisation takes part in this visit already."))
    if org.kind not in (OrgKind.OFFICE, OrgKind.DEPARTMENT, OrgKind.DISCIPLINE):
        raise InvalidInput(_("Choose an office or a department."), "org")
    task.participants.add(org)
    task.focus_areas.add(*areas)
    _event(
        acting_user,
        "join_task",
        task=task,
        payload={"org": org.pk, "org_name": org.name, "focus_areas": [a.pk for a in areas]},
    )
    return task


@transaction.atomic
def do_cancel_task(task: Task, *, acting_user: Any, reason: str) -> Task:
    task = _lock_planned(task)
    reason = _required(reason, "reason")
    task.state = TaskState.CANCELLED
    task.save(update_fields=["state"])
    _event(acting_user, "cancel_task", task=task, payload={"reason": reason})
    return task


# --- inspections -----------------------------------------------------------------------------


def _common_region(sites: Sequence[Site]) -> Org:
    """The deepest region that contains every site."""
    paths = [site.region.path for site in sites]
    common = paths[0]
    for path in paths[1:]:
        while not path.startswith(common):
            common = common[: common.rstrip("/").rfind("/") + 1]
    return Org.objects.get(path=common)


def _applies(item: ChecklistItem, region: Org, areas: set[int] | None) -> bool:
    if not item.active:
        return False
    if areas is not None and item.focus_area_id not in areas:
        return False
    if item.office_id is None:
        return True
    office_region = item.office.region if item.office else None
    return office_region is not None and region.path.startswith(office_region.path)


def _check_answers(answers: Sequence[AnswerInput], region: Org, task: Task | None) -> None:
    areas = set(task.focus_areas.values_list("pk", flat=True)) if task else None
    # Read again: the caller's copy may predate a revision made meanwhile.
    fresh = ChecklistItem.objects.select_related("office").in_bulk(
        [answer.item.pk for answer in answers]
    )
    seen: set[int] = set()
    for answer in answers:
        if answer.item.pk in seen:
            raise InvalidInput(_("Each question is answered once."), "answers")
        seen.add(answer.item.pk)
        if answer.item.pk not in fresh:
            raise InvalidInput(_("This question does not exist."), "answers")
        answer.item = fresh[answer.item.pk]
        if answer.result not in AnswerResult.values:
            raise InvalidInput(_("Answer pass, fail or not applicable."), "answers")
        if not _applies(answer.item, region, areas):
            raise InvalidInput(
                _("The question “%(text)s” does not apply to this visit.")
                % {"text": answer.item.text},
                "answers",
            )
        if answer.result != AnswerResult.FAIL:
            continue
        if answer.urgency not in Urgency.values or answer.nature not in Nature.values:
            raise InvalidInput(_("Choose a valid urgency and nature."), "answers")
        if answer.fixed_on_spot:
            if not (answer.evidence_text or answer.note).strip():
                raise InvalidInput(_("Describe how the problem was fixed on the spot."), "answers")
            if answer.nature == Nature.COMMON:
                raise InvalidInput(
                    _("A common problem needs its lasting rule before it can close."),
                    "answers",
                )


def existing_inspection(client_key: Any, acting_user: Any) -> Inspection | None:
    """The inspection an earlier submission with this key created, if it was this user's.

    Raises TransitionRefused when the key belongs to somebody else's submission.
    """
    found = Inspection.objects.filter(client_key=client_key).first()
    if found is None:
        return None
    if found.recorded_by_id != acting_user.pk:
        # Never hand out somebody else's inspection under a guessed or reused key.
        raise TransitionRefused(_("This submission key was used by someone else."), "client_key")
    return found


def photo_key(client_key: Any, name: str) -> uuid.UUID | None:
    """Each photo's own key, derived from the visit's: a retry re-sends the same keys."""
    return None if client_key is None else uuid.uuid5(uuid.UUID(str(client_key)), name)


def item_photos_field(item_id: int) -> str:
    return f"item_{item_id}_photos"


def _check_photos(
    photos: Sequence[Any], item_photos: Mapping[int, Sequence[Any]], answers: Sequence[AnswerInput]
) -> None:
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(too_many_photos(), "photos")
    failed = {answer.item.pk for answer in answers if answer.result == AnswerResult.FAIL}
    for item_id, sent in item_photos.items():
        if not sent:
            continue
        if item_id not in failed:
            raise InvalidInput(
                _("Photos of a question go with a failed answer only."),
                item_photos_field(item_id),
            )
        if len(sent) > MAX_PHOTOS:
            raise InvalidInput(too_many_photos(), item_photos_field(item_id))


def _attach_photos(
    acting_user: Any,
    inspection: Inspection,
    photos: Sequence[Any],
    item_photos: Mapping[int, Sequence[Any]],
    taken: Mapping[str, PhotoTaken],
) -> None:
    """The visit's photos, then those of each failed question (kept with its problem).

    `taken` holds what the phone said of each photo, by its name ("visit-0", "item-7-1")."""
    key = inspection.client_key
    for index, photo in enumerate(photos):
        attach_as(
            "photos",
            acting_user=acting_user,
            upload=photo,
            inspection=inspection,
            client_key=photo_key(key, f"visit-{index}"),
            taken=taken.get(f"visit-{index}"),
        )
    if not any(item_photos.values()):
        return
    answers = inspection.answers.select_related("problem")
    problems = {answer.item_id: answer.problem for answer in answers}
    for item_id, sent in item_photos.items():
        for index, photo in enumerate(sent):
            attach_as(
                item_photos_field(item_id),
                acting_user=acting_user,
                upload=photo,
                problem=problems[item_id],
                client_key=photo_key(key, f"item-{item_id}-{index}"),
                taken=taken.get(f"item-{item_id}-{index}"),
            )


def inspection_words(notes: str, answer_notes: Iterable[str]) -> str:
    """What the full-text index keeps of a visit (`manage.py reindex` computes it alike)."""
    return stored_words(notes, *answer_notes)


@transaction.atomic
def do_record_inspection(
    *,
    acting_user: Any,
    team: Team,
    method: str,
    visited_at: datetime,
    sites: Iterable[Site],
    answers: Sequence[AnswerInput],
    task: Task | None = None,
    members_present: Iterable[Any] = (),
    notes: str = "",
    client_key: Any = None,
    photos: Sequence[Any] = (),
    item_photos: Mapping[int, Sequence[Any]] | None = None,
    photos_taken: Mapping[str, PhotoTaken] | None = None,
) -> Inspection:
    """督查: a visit with its answers; each failed answer becomes a problem linked to it,
    titled as the member wrote it (else as its question proposes).

    Photos of the visit (`photos`) and of failed questions (`item_photos`, by question id;
    kept with the problem the answer creates) are part of the same change: a photo that
    is refused undoes the whole visit. `photos_taken` says, by photo name (`photo_key`),
    when and where the phone took them.
    """
    item_photos = item_photos or {}
    if client_key is not None:
        existing = existing_inspection(client_key, acting_user)
        if existing is not None:
            return existing
    if method not in Method.values:
        raise InvalidInput(_("Choose how the visit is made."), "method")
    if visited_at > timezone.now() + CLOCK_SLACK:
        raise InvalidInput(_("The time of the visit cannot be in the future."), "visited_at")
    if visited_at < timezone.now() - timedelta(days=settings.DUCHA_VISIT_BACKDATE_DAYS):
        # Older visits belong in an imported ledger, not in a field report.
        raise InvalidInput(
            _("A visit can be recorded up to %(days)s days after it took place.")
            % {"days": settings.DUCHA_VISIT_BACKDATE_DAYS},
            "visited_at",
        )
    if task is not None:
        # Waiting for the task's lock serialises two submissions of the same visit; the
        # second then finds the first one's inspection under its key.
        Task.objects.select_for_update().filter(pk=task.pk).first()
        if client_key is not None:
            existing = existing_inspection(client_key, acting_user)
            if existing is not None:
                return existing
        task = _lock_planned(task)
        if task.team_id != team.pk:
            raise InvalidInput(_("This task belongs to another team."), "team")
    site_list = list(dict.fromkeys(sites))
    if not site_list:
        raise InvalidInput(_("Choose the sites visited."), "sites")
    covered: list[Org | None] = list(team.regions.all())
    if task is not None:
        covered.append(task.office.region)
    if any(not any(r and _within(r, site) for r in covered) for site in site_list):
        raise InvalidInput(_("A site lies outside the team's jurisdiction."), "sites")
    members = list(dict.fromkeys(members_present))
    member_ids = set(team.members.values_list("pk", flat=True))
    if any(member.pk not in member_ids for member in members):
        raise InvalidInput(_("Only members of the team can be present as such."), "members_present")
    region = _common_region(site_list)
    _check_answers(answers, region, task)
    _check_photos(photos, item_photos, answers)

    inspection = Inspection(
        team=team,
        task=task,
        method=method,
        visited_at=visited_at,
        region=region,
        notes=(notes or "").strip(),
        search_text=inspection_words(notes or "", [answer.note or "" for answer in answers]),
        recorded_by=acting_user,
        client_key=client_key,
    )
    inspection.copy_levels_from(region)
    try:
        with transaction.atomic():
            inspection.save()
    except IntegrityError:
        # The same key arrived twice at once; the first one won.
        existing = existing_inspection(client_key, acting_user) if client_key is not None else None
        if existing is None:
            raise
        return existing
    inspection.sites.set(site_list)
    inspection.members_present.set(members)

    first_site = site_list[0]
    problems = []
    for answer in answers:
        row = Answer(
            inspection=inspection,
            item=answer.item,
            result=answer.result,
            note=(answer.note or "").strip(),
        )
        if answer.result == AnswerResult.FAIL:
            problem = problem_actions.do_create_problem(
                acting_user=acting_user,
                title=(answer.title or "").strip()[:200] or answer.item.problem_title(),
                description=row.note,
                region=first_site.region,
                site=first_site,
                focus_area=answer.item.focus_area,
                team=team,
                found_at=min(visited_at, timezone.now()),
                urgency=answer.urgency,
                nature=answer.nature,
                inspection=inspection,
            )
            if answer.fixed_on_spot:
                problem = problem_actions.do_close_on_spot(
                    problem,
                    acting_user=acting_user,
                    evidence=(answer.evidence_text or answer.note).strip(),
                )
            row.problem = problem
            problems.append(problem.pk)
        row.save()
    if task is not None:
        task.state = TaskState.DONE
        task.save(update_fields=["state"])
    # The visit has happened; other teams' visits close to it are kept for the burden review.
    others = find_overlaps(
        site_list,
        timezone.localtime(visited_at).date(),
        exclude_team=team,
        viewer=acting_user,
        exclude_task=task,
    )
    _event(
        acting_user,
        "record_inspection",
        inspection=inspection,
        task=task,
        payload={
            "answers": len(answers),
            "problems": problems,
            "overlaps": [o.as_dict() for o in others if o.id != inspection.pk],
        },
    )
    _attach_photos(acting_user, inspection, photos, item_photos, photos_taken or {})
    return inspection


# --- revisits --------------------------------------------------------------------------------


def _revisit_days(problem: Problem) -> int:
    return problem.focus_area.revisit_after_days or settings.DUCHA_REVISIT_AFTER_DAYS


@transaction.atomic
def do_schedule_revisit(problem: Problem, *, acting_user: Any) -> Revisit:
    """回头看 after a problem closes: N days later (per focus area, else the default)."""
    closed = problem.closed_at or timezone.now()
    due_on = timezone.localtime(closed).date() + timedelta(days=_revisit_days(problem))
    existing = Revisit.objects.filter(problem=problem, state=RevisitState.DUE, sampled=False)
    revisit = existing.first()
    if revisit is None:
        revisit = Revisit.objects.create(problem=problem, due_on=due_on)
    elif revisit.due_on != due_on:
        revisit.due_on = due_on
        revisit.save(update_fields=["due_on"])
    _event(
        acting_user,
        "schedule_revisit",
        revisit=revisit,
        payload={"problem": problem.pk, "due_on": due_on.isoformat()},
    )
    return revisit


def revisit_after_close(problem: Problem, *, acting_user: Any) -> dict[str, Any]:
    """The revisit of a problem that just closed (problems.hooks.ON_CLOSE), and what the
    closing event records of it."""
    revisit = do_schedule_revisit(problem, acting_user=acting_user)
    return {"revisit": revisit.pk, "revisit_due_on": revisit.due_on.isoformat()}


@transaction.atomic
def do_draw_revisit_sample(
    *,
    acting_user: Any,
    office: Org,
    size: int,
    closed_within_days: int = 30,
    seed: Any = None,
) -> list[Revisit]:
    """杀回马枪: a random sample of problems closed recently in the office's jurisdiction."""
    region = _office_region(office)
    if not 1 <= int(size) <= MAX_SAMPLE:
        raise InvalidInput(_("Draw between 1 and %(max)s problems.") % {"max": MAX_SAMPLE}, "size")
    if not 1 <= int(closed_within_days) <= 366:
        raise InvalidInput(_("Choose between 1 and 366 days."), "closed_within_days")
    assert region.level is not None
    level_field = LEVEL_FIELDS[RegionLevel(region.level)]
    since = timezone.now() - timedelta(days=int(closed_within_days))
    candidates = sorted(
        Problem.objects.filter(
            **{f"{level_field}_id": region.pk},
            state=State.CLOSED,
            closed_at__gte=since,
        )
        .exclude(
            pk__in=Revisit.objects.filter(state=RevisitState.DUE, sampled=True).values("problem_id")
        )
        .values_list("pk", flat=True)
    )
    # Unpredictable unless a seed is given (tests, or a draw that must be reproduced).
    rng = random.SystemRandom() if seed is None else random.Random(seed)  # noqa: S311
    chosen = rng.sample(candidates, min(int(size), len(candidates)))
    today = timezone.localdate()
    revisits = [
        Revisit.objects.create(problem_id=pk, due_on=today, sampled=True, office=office)
        for pk in sorted(chosen)
    ]
    _event(
        acting_user,
        "draw_revisit_sample",
        payload={
            "office": office.pk,
            "size": int(size),
            "candidates": len(candidates),
            "revisits": [r.pk for r in revisits],
        },
    )
    return revisits


@transaction.atomic
def do_record_revisit(
    revisit: Revisit,
    *,
    acting_user: Any,
    passed: bool,
    note: str,
    inspection: Inspection | None = None,
) -> Revisit:
    """The result of a revisit; a failed one reopens the problem as recurring."""
    revisit = Revisit.objects.select_for_update().select_related("problem").get(pk=revisit.pk)
    if revisit.state != RevisitState.DUE:
        raise TransitionRefused(_("This revisit has been recorded already."))
    note = (note or "").strip()
    if not passed and not note:
        raise InvalidInput(_("Say what was found back."), "note")
    revisit.state = RevisitState.PASSED if passed else RevisitState.FAILED
    revisit.note = note
    revisit.inspection = inspection
    revisit.save(update_fields=["state", "note", "inspection"])
    reopened = False
    if not passed:
        problem = revisit.problem
        if problem.state == State.CLOSED:
            problem_actions.do_reopen(problem, acting_user=acting_user, reason=note)
            reopened = True
        # The other scheduled revisits were about a fix that did not hold.
        for other in Revisit.objects.filter(problem=problem, state=RevisitState.DUE):
            other.state = RevisitState.CANCELLED
            other.save(update_fields=["state"])
    _event(
        acting_user,
        "record_revisit",
        revisit=revisit,
        inspection=inspection,
        payload={"passed": passed, "problem": revisit.problem_id, "reopened": reopened},
    )
    return revisit
