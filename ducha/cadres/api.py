"""Cadre observation over JSON: observations (list, record, one) and the organisation
department's lists of candidates (list, put on a list, one, remove, mark taken up).
Refusals match the pages' (decision 0015); every opening of one record is in the audit trail.

Runtime annotations (no `from __future__ import annotations`): ninja reads each endpoint's
body schema from its signature.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from ducha.accounts.auth import caller
from ducha.cadres import actions as do
from ducha.cadres import choosers
from ducha.cadres.access import may_keep_lists, may_observe, open_candidate, open_observation
from ducha.cadres.choices import MAX_LINKS, CadreAction, CandidateList, CandidateState, Verdict
from ducha.cadres.models import CadreCandidate, CadreObservation
from ducha.cadres.querysets import named
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS, Body, ErrorOut, PageOut, PageQuery, Ref
from ducha.core.text import LongText, Name, Search, Title
from ducha.fieldwork.models import Inspection
from ducha.problems.models import Problem

router = Router(tags=["cadres"])


class CadreObservationIn(Body):
    person_name: Name
    person_post: Title
    org: int
    verdict: Verdict
    facts: LongText
    evidence: LongText = ""
    team: int | None = None
    observed_on: date
    problems: list[int] = Field([], max_length=MAX_LINKS)
    inspections: list[int] = Field([], max_length=MAX_LINKS)


class CadreCandidateIn(Body):
    list_kind: CandidateList
    person_name: Name
    person_post: Title
    org: int
    observations: list[int] = Field(..., max_length=MAX_LINKS)
    reasons: LongText


class CadreRemoveIn(Body):
    reason: LongText


class CadreMarkUsedIn(Body):
    comment: LongText = ""


class CadreEventOut(Schema):
    action: str
    actor: str
    created_at: datetime
    from_state: str
    to_state: str
    comment: str


class CadreObservationItem(Schema):
    id: int
    person_name: str
    person_post: str
    org: Ref
    region: Ref
    verdict: str
    observed_on: date
    team: Ref | None


class CadreObservationDetail(CadreObservationItem):
    facts: str
    evidence: str
    problems: list[int]
    inspections: list[int]
    recorded_by: str
    events: list[CadreEventOut]


class CadreObservationPage(PageOut):
    items: list[CadreObservationItem]


class CadreCandidateItem(Schema):
    id: int
    list_kind: str
    person_name: str
    person_post: str
    org: Ref
    region: Ref
    state: str
    listed_at: datetime
    etag: str


class CadreCandidateDetail(CadreCandidateItem):
    reasons: str
    observations: list[int]
    listed_by: str
    closed_by: str | None
    closed_at: datetime | None
    events: list[CadreEventOut]


class CadreCandidatePage(PageOut):
    items: list[CadreCandidateItem]


class CadreObservationQuery(PageQuery):
    verdict: Verdict | None = None
    q: Search = ""


class CadreCandidateQuery(PageQuery):
    list_kind: CandidateList | None = None
    state: CandidateState | None = None


def _ref(org: Any) -> dict[str, Any]:
    return {"id": org.pk, "name": org.name}


def _events(rows: Any) -> list[dict[str, Any]]:
    return [
        {
            "action": event.action,
            "actor": str(event.actor),
            "created_at": event.created_at,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "comment": event.comment,
        }
        for event in rows.select_related("actor")
    ]


def _observation(row: CadreObservation) -> dict[str, Any]:
    return {
        "id": row.pk,
        "person_name": row.person_name,
        "person_post": row.person_post,
        "org": _ref(row.org),
        "region": _ref(row.region),
        "verdict": row.verdict,
        "observed_on": row.observed_on,
        "team": None if row.team is None else _ref(row.team),
    }


def _observation_detail(user: Any, row: CadreObservation) -> dict[str, Any]:
    # Only links the reader may see are named.
    problems = Problem.objects.visible_to(user).filter(pk__in=row.problems.values("pk"))
    inspections = Inspection.objects.visible_to(user).filter(pk__in=row.inspections.values("pk"))
    return {
        **_observation(row),
        "facts": row.facts,
        "evidence": row.evidence,
        "problems": sorted(problems.values_list("pk", flat=True)),
        "inspections": sorted(inspections.values_list("pk", flat=True)),
        "recorded_by": str(row.recorded_by),
        "events": _events(row.events.all()),
    }


def etag(candidate: CadreCandidate) -> str:
    return f'"{candidate.pk}-{candidate.version}"'


def _candidate(row: CadreCandidate) -> dict[str, Any]:
    return {
        "id": row.pk,
        "list_kind": row.list_kind,
        "person_name": row.person_name,
        "person_post": row.person_post,
        "org": _ref(row.org),
        "region": _ref(row.region),
        "state": row.state,
        "listed_at": row.listed_at,
        "etag": etag(row),
    }


def _candidate_detail(row: CadreCandidate) -> dict[str, Any]:
    return {
        **_candidate(row),
        "reasons": row.reasons,
        "observations": sorted(row.observations.values_list("pk", flat=True)),
        "listed_by": str(row.listed_by),
        "closed_by": None if row.closed_by is None else str(row.closed_by),
        "closed_at": row.closed_at,
        "events": _events(row.events.all()),
    }


@router.get("/cadres/observations", response={200: CadreObservationPage, **READ_ERRORS})
def list_observations(
    request: HttpRequest, filters: Query[CadreObservationQuery]
) -> dict[str, Any]:
    """Observations of cadres: the organisation department's jurisdiction, or the caller's
    own records as a team member; nothing for any other role."""
    user = caller(request)
    rows = CadreObservation.objects.visible_to(user).select_related("org", "region", "team")
    if filters.verdict:
        rows = rows.filter(verdict=filters.verdict)
    if filters.q:
        rows = named(rows, filters.q)
    page = rows.order_by("-observed_on", "-pk")[filters.offset : filters.offset + filters.page_size]
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_observation(row) for row in page],
    }


@router.post("/cadres/observations", response={201: CadreObservationDetail, **WRITE_ERRORS})
def create_observation(request: HttpRequest, payload: CadreObservationIn) -> Status[dict[str, Any]]:
    """Record an observation of a named cadre: a team member within their team's regions,
    the organisation department within its jurisdiction."""
    user = caller(request)
    if not may_observe(user):
        raise PermissionDenied(_("Only team members and organisation departments record cadres."))
    observation = do.do_observe(
        acting_user=user,
        person_name=payload.person_name,
        person_post=payload.person_post,
        org=choosers.pick_org(user, payload.org),
        verdict=payload.verdict,
        facts=payload.facts,
        evidence=payload.evidence,
        team=choosers.pick_team(user, payload.team),
        observed_on=payload.observed_on,
        problems=choosers.pick_rows(Problem, payload.problems, "problems"),
        inspections=choosers.pick_rows(Inspection, payload.inspections, "inspections"),
    )
    return Status(201, _observation_detail(user, observation))


@router.get(
    "/cadres/observations/{observation_id}", response={200: CadreObservationDetail, **READ_ERRORS}
)
def get_observation(request: HttpRequest, observation_id: int) -> dict[str, Any]:
    """One observation with its history; the opening is written to the audit trail."""
    user = caller(request)
    return _observation_detail(user, open_observation(request, user, observation_id))


@router.get("/cadres/candidates", response={200: CadreCandidatePage, **READ_ERRORS})
def list_candidates(request: HttpRequest, filters: Query[CadreCandidateQuery]) -> dict[str, Any]:
    """The organisation department's lists; nothing for any other role."""
    user = caller(request)
    rows = CadreCandidate.objects.visible_to(user).select_related("org", "region")
    if filters.list_kind:
        rows = rows.filter(list_kind=filters.list_kind)
    if filters.state:
        rows = rows.filter(state=filters.state)
    page = rows.order_by("-listed_at", "-pk")[filters.offset : filters.offset + filters.page_size]
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_candidate(row) for row in page],
    }


@router.post("/cadres/candidates", response={201: CadreCandidateDetail, **WRITE_ERRORS})
def create_candidate(request: HttpRequest, payload: CadreCandidateIn) -> Status[dict[str, Any]]:
    """Put a cadre on the list for use or for accountability, on observations of them."""
    user = caller(request)
    if not may_keep_lists(user):
        raise PermissionDenied(_("Only the organisation department keeps these lists."))
    candidate = do.do_list_candidate(
        acting_user=user,
        list_kind=payload.list_kind,
        person_name=payload.person_name,
        person_post=payload.person_post,
        org=choosers.pick_org(user, payload.org, lists=True),
        observations=choosers.pick_rows(CadreObservation, payload.observations, "observations"),
        reasons=payload.reasons,
    )
    return Status(201, _candidate_detail(candidate))


@router.get(
    "/cadres/candidates/{candidate_id}", response={200: CadreCandidateDetail, **READ_ERRORS}
)
def get_candidate(request: HttpRequest, candidate_id: int) -> dict[str, Any]:
    """One candidate with the observations behind it and its history (audited)."""
    user = caller(request)
    return _candidate_detail(open_candidate(request, user, candidate_id))


IF_MATCH = (
    "The candidate's `etag` as the caller read it. When it is no longer the current one, the "
    "action is refused with 412 and nothing changes."
)


def _expected(if_match: str | None, candidate: CadreCandidate) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    if etag(candidate) not in {tag.strip() for tag in if_match.split(",")}:
        raise do.stale_version()
    return candidate.version


@router.post(
    "/cadres/candidates/{candidate_id}/actions/remove",
    response={200: CadreCandidateDetail, **WRITE_ERRORS, 412: ErrorOut},
)
def remove_candidate(
    request: HttpRequest,
    candidate_id: int,
    payload: CadreRemoveIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """Take a listed cadre off the list, with the reason."""
    user = caller(request)
    candidate = open_candidate(request, user, candidate_id, CadreAction.REMOVE)
    done = do.do_remove_candidate(
        candidate,
        acting_user=user,
        reason=payload.reason,
        expected_version=_expected(if_match, candidate),
    )
    return _candidate_detail(done)


@router.post(
    "/cadres/candidates/{candidate_id}/actions/mark_used",
    response={200: CadreCandidateDetail, **WRITE_ERRORS, 412: ErrorOut},
)
def mark_used(
    request: HttpRequest,
    candidate_id: int,
    payload: CadreMarkUsedIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """The listed cadre was taken up (used, or held to account)."""
    user = caller(request)
    candidate = open_candidate(request, user, candidate_id, CadreAction.MARK_USED)
    done = do.do_mark_used(
        candidate,
        acting_user=user,
        comment=payload.comment,
        expected_version=_expected(if_match, candidate),
    )
    return _candidate_detail(done)


__all__ = ["router"]
