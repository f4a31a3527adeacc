"""Sweeps (举一反三) over JSON: launch one from a problem, the list, one sweep with its
progress, a unit's self-checks and its answer. Refusals match the pages' (decision 0015).

Runtime annotations (no `from __future__ import annotations`): ninja reads each endpoint's
body schema from its signature.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from ducha.accounts.auth import caller
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS, Body, ErrorOut, PageOut, PageQuery, Ref
from ducha.core.scoping import not_in_scope
from ducha.core.text import LongText, Title
from ducha.problems.models import Problem
from ducha.sweeps import actions as do
from ducha.sweeps.access import access_self_check, access_sweep, progress
from ducha.sweeps.choices import MAX_FOUND, MAX_UNITS, CheckState, SweepAction
from ducha.sweeps.models import SelfCheck, Sweep, SweepProblem
from ducha.sweeps.selection import Choice

router = Router(tags=["sweeps"])


class SweepLaunch(Body):
    problem: int
    check_text: LongText = ""
    title: Title = ""
    units: list[int] = Field([], max_length=MAX_UNITS)
    sites: list[int] = Field([], max_length=MAX_UNITS)
    similar_units: bool = False
    region: int | None = None
    site_kind: str = Field("", max_length=24)
    focus_area: int | None = None


class FoundIn(Body):
    title: Title
    description: LongText = ""


class SelfCheckAnswerIn(Body):
    outcome: str = Field(max_length=16)
    note: LongText = ""
    problems: list[FoundIn] = Field([], max_length=MAX_FOUND)


class SelfCheckOut(Schema):
    id: int
    sweep: int
    sweep_title: str
    unit: Ref
    site: Ref | None
    letter: str
    state: str
    state_label: str
    note: str
    answered_at: datetime | None
    problems: list[int]
    etag: str


class Progress(Schema):
    asked: int
    answered: int
    waiting: int
    none_found: int
    found: int
    problems: int
    fixed: int


class SweepItem(Schema):
    id: int
    title: str
    origin: int
    office: Ref
    focus_area: Ref
    launched_at: datetime


class SweepDetail(SweepItem):
    check_text: str
    progress: Progress
    checks: list[SelfCheckOut]


class SweepPage(PageOut):
    items: list[SweepItem]


class SelfCheckPage(PageOut):
    items: list[SelfCheckOut]


class SelfCheckQuery(PageQuery):
    state: CheckState | None = None


def _ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _item(sweep: Sweep) -> dict[str, Any]:
    return {
        "id": sweep.pk,
        "title": sweep.title,
        "origin": sweep.origin_id,
        "office": _ref(sweep.office),
        "focus_area": _ref(sweep.focus_area),
        "launched_at": sweep.launched_at,
    }


def etag(check: SelfCheck) -> str:
    return f'"{check.pk}-{check.version}"'


def _check(check: SelfCheck, found: dict[int, list[int]]) -> dict[str, Any]:
    return {
        "id": check.pk,
        "sweep": check.sweep_id,
        "sweep_title": check.sweep.title,
        "unit": _ref(check.unit),
        "site": _ref(check.site),
        "letter": check.document.reference if check.document else "",
        "state": check.state,
        "state_label": check.get_state_display(),
        "note": check.note,
        "answered_at": check.answered_at,
        "problems": found.get(check.pk, []),
        "etag": etag(check),
    }


CHECK_RELATED = ("sweep", "unit", "site", "document")


def _found_by_check(checks: list[SelfCheck]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    rows = SweepProblem.objects.filter(self_check__in=[c.pk for c in checks]).order_by("pk")
    for check_id, problem_id in rows.values_list("self_check_id", "problem_id"):
        found.setdefault(check_id, []).append(problem_id)
    return found


def _detail(user: Any, sweep: Sweep) -> dict[str, Any]:
    checks = list(
        SelfCheck.objects.visible_to(user)
        .filter(sweep=sweep)
        .select_related(*CHECK_RELATED)
        .order_by("pk")
    )
    found = _found_by_check(checks)
    return {
        **_item(sweep),
        "check_text": sweep.check_text,
        "progress": progress(user, sweep),
        "checks": [_check(check, found) for check in checks],
    }


@router.get("/sweeps", response={200: SweepPage, **READ_ERRORS})
def list_sweeps(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    """Sweeps the caller may see, newest first."""
    rows = Sweep.objects.visible_to(caller(request))
    page = rows.select_related("office", "focus_area").order_by("-launched_at", "-pk")[
        filters.offset : filters.offset + filters.page_size
    ]
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_item(sweep) for sweep in page],
    }


@router.post("/sweeps", response={201: SweepDetail, **WRITE_ERRORS})
def launch_sweep(request: HttpRequest, payload: SweepLaunch) -> Status[dict[str, Any]]:
    """举一反三: an office launches a sweep from a problem: every unit chosen (by id, by the
    sites chosen, the units of similar problems, the regions under `region`, the sites of
    `site_kind`, the units that had problems of `focus_area`) receives a prompt letter and a
    self-check. A unit or site out of scope is refused with 422 naming the field."""
    user = caller(request)
    origin = Problem.objects.visible_to(user).filter(pk=payload.problem).first()
    if origin is None:
        raise not_in_scope("problem")
    sweep = do.do_launch_sweep(
        acting_user=user,
        origin=origin,
        check_text=payload.check_text,
        title=payload.title,
        choice=Choice(
            unit_ids=payload.units,
            site_ids=payload.sites,
            similar_units=payload.similar_units,
            region_id=payload.region,
            site_kind=payload.site_kind,
            focus_area_id=payload.focus_area,
        ),
    )
    return Status(201, _detail(user, sweep))


@router.get("/sweeps/checks", response={200: SelfCheckPage, **READ_ERRORS})
def list_self_checks(request: HttpRequest, filters: Query[SelfCheckQuery]) -> dict[str, Any]:
    """The caller's unit's self-checks (those it may answer), oldest sweep first."""
    rows = SelfCheck.objects.visible_to(caller(request), SweepAction.ANSWER)
    if filters.state is not None:
        rows = rows.filter(state=filters.state)
    page = list(
        rows.select_related(*CHECK_RELATED).order_by("sweep__launched_at", "pk")[
            filters.offset : filters.offset + filters.page_size
        ]
    )
    found = _found_by_check(page)
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_check(check, found) for check in page],
    }


@router.get("/sweeps/{sweep_id}", response={200: SweepDetail, **READ_ERRORS})
def get_sweep(request: HttpRequest, sweep_id: int) -> dict[str, Any]:
    """One sweep: what to check, its progress and the self-checks the caller may see."""
    user = caller(request)
    return _detail(user, access_sweep(user, sweep_id))


IF_MATCH = (
    "The self-check's `etag` as the caller read it. When it is no longer the current one, "
    "the answer is refused with 412 and nothing changes."
)


@router.post(
    "/sweeps/checks/{check_id}/answer",
    response={200: SelfCheckOut, **WRITE_ERRORS, 412: ErrorOut},
)
def answer_self_check(
    request: HttpRequest,
    check_id: int,
    payload: SelfCheckAnswerIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """自查: the unit answers `none_found` (a `note` is required) or `found` with the
    `problems` it found; they are recorded, linked to the sweep and its original problem.
    A second answer is refused with 409."""
    user = caller(request)
    check = access_self_check(user, check_id, SweepAction.ANSWER)
    expected = None
    if if_match is not None and if_match.strip() != "*":
        if etag(check) not in {tag.strip() for tag in if_match.split(",")}:
            raise do.stale_version()
        expected = check.version
    answered = do.do_answer_self_check(
        check,
        acting_user=user,
        outcome=payload.outcome,
        note=payload.note,
        problems=[do.FoundProblem(p.title, p.description) for p in payload.problems],
        expected_version=expected,
    )
    answered = SelfCheck.objects.select_related(*CHECK_RELATED).get(pk=answered.pk)
    return _check(answered, _found_by_check([answered]))


__all__ = ["router"]
