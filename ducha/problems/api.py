"""Problems over JSON: the scoped list with its stats line, recording, one problem, actions.

This module keeps runtime annotations (no `from __future__ import annotations`): the action
endpoints are built in a loop and ninja reads each one's body schema from its signature.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Query, Router, Status
from ninja.files import UploadedFile

from ducha.accounts.auth import caller
from ducha.core.lookups import pick
from ducha.core.multipart import refuse_unknown_fields
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS, Body, ErrorOut, json_answer
from ducha.core.scope import grants_for
from ducha.core.scoping import access
from ducha.orgs.models import Org
from ducha.problems import actions as do
from ducha.problems import choosers, extensions, hooks, receipt
from ducha.problems import schemas as s
from ducha.problems.access import access_problem, offered_actions
from ducha.problems.choices import ACTION_ROLES, Action, ExtensionDecision
from ducha.problems.filters import ProblemFilter
from ducha.problems.models import FocusArea, Problem

router = Router(tags=["problems"])

DETAIL_RELATED = (*s.ITEM_RELATED, "reported_to", "found_by")


def _events(user: Any, problem: Problem) -> list[Any]:
    return hooks.readable_events(user, list(problem.events.select_related("actor")))


def etag(problem: Problem) -> str:
    """A strong tag of the problem's version; every action moves the version on.

    It validates the problem's record, which is what If-Match protects, not the bytes of one
    answer: the light and the allowed actions in those also depend on the time and the caller.
    """
    return f'"{problem.pk}-{problem.version}"'


def _detail(user: Any, problem_id: int, response: HttpResponse) -> dict[str, Any]:
    problem = Problem.objects.select_related(*DETAIL_RELATED).get(pk=problem_id)
    response["ETag"] = etag(problem)
    return s.detail_data(problem, _events(user, problem), offered_actions(user, problem))


def expected_version(if_match: str | None, problem: Problem) -> int | None:
    """The version an If-Match holds the action to; None without one, or with "*".

    A tag that is not the current one is refused here, before anything is locked; the action
    then compares the version again on its locked row, for a change in between.
    """
    if if_match is None or if_match.strip() == "*":
        return None
    if etag(problem) not in {tag.strip() for tag in if_match.split(",")}:
        raise do.stale_version()
    return problem.version


@router.get("/problems", response={200: s.ProblemPage, **READ_ERRORS})
def list_problems(request: HttpRequest, filters: Query[s.ProblemListQuery]) -> HttpResponse:
    """Problems in the caller's jurisdiction, filtered, one page at a time, with the stats line."""
    user = caller(request)
    problem_filter = list_filter(user, filters)
    problems, stats, _query = problem_filter.listing(user)
    # Past the cap of a text search only its first `found` matches are listed, as on the page.
    end = filters.offset + filters.page_size
    if stats["more"]:
        end = min(end, stats["found"])
    page = s.item_rows(problems[filters.offset : max(end, filters.offset)])
    now = timezone.now()  # one light for the whole page
    return json_answer(
        {
            "count": stats["found"],
            "page": filters.page,
            "page_size": filters.page_size,
            "stats": stats,
            "items": [s.row_item_data(row, now) for row in page],
        }
    )


def list_filter(user: Any, filters: s.ProblemListQuery) -> ProblemFilter:
    """The list's query parameters as a filter; a region only among those the caller sees.

    Every endpoint that lists problems (the page of JSON, the Excel ledger) reads them here.
    """
    region = None
    if filters.region is not None:
        region = pick(Org.objects.visible_to(user).regions(), filters.region, "region")
    return ProblemFilter(
        region=region,
        state=filters.state,
        focus_area_id=filters.focus_area,
        team_id=filters.team,
        responsible_org_id=filters.responsible_org,
        light=filters.light,
        overdue=filters.overdue,
        nature=filters.nature,
        urgency=filters.urgency,
        text=filters.q,
        closed_late=filters.closed_late,
        max_hours_to_close=filters.max_hours_to_close,
    )


@router.post("/problems", response={200: s.ProblemDetail, 201: s.ProblemDetail, **WRITE_ERRORS})
def create_problem(
    request: HttpRequest, payload: s.ProblemCreate, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Record a problem in a region of the caller's jurisdiction.

    A retry with the same `client_key` by the same user answers 200 with the first problem
    and records nothing.
    """
    user = caller(request)
    if (existing := do.existing_problem(payload.client_key, user)) is not None:
        access_problem(user, existing.pk)  # a replay shows only what the caller may still see
        return Status(200, _detail(user, existing.pk, response))
    if not any(g.role in ACTION_ROLES[Action.CREATE] for g in grants_for(user)):
        raise PermissionDenied(_("Your role may not record problems here."))
    problem = do.do_create_problem(
        acting_user=user,
        title=payload.title,
        description=payload.description,
        region=choosers.REGION.pick(payload.region, user),
        site=None if payload.site is None else choosers.SITE.pick(payload.site, user),
        focus_area=choosers.FOCUS_AREA.pick(payload.focus_area),
        team=None if payload.team is None else choosers.TEAM.pick(payload.team, user),
        found_at=payload.found_at,
        urgency=payload.urgency,
        nature=payload.nature,
        client_key=payload.client_key,
    )
    return Status(201, _detail(user, problem.pk, response))


@router.get("/problems/{problem_id}", response={200: s.ProblemDetail, **READ_ERRORS})
def get_problem(request: HttpRequest, problem_id: int, response: HttpResponse) -> dict[str, Any]:
    """One problem with its timeline and the actions the caller may take now.

    The ETag names the problem's version: send it back as If-Match with an action to have the
    action refused (412) if somebody else acted in between.
    """
    user = caller(request)
    found = access(Problem, user, problem_id)
    problem = found.obj
    response["ETag"] = etag(problem)
    return s.detail_data(
        problem, _events(user, problem), offered_actions(user, problem, found.roles)
    )


@router.get("/focus-areas", response={200: list[s.FocusAreaOut], **READ_ERRORS})
def list_focus_areas(request: HttpRequest) -> Any:
    """Focus areas in use (the same for every jurisdiction)."""
    return FocusArea.objects.filter(active=True)


# --- actions -------------------------------------------------------------------------------


def _assign(problem: Problem, user: Any, data: s.AssignIn, version: int | None) -> Problem:
    return do.do_assign(
        problem,
        acting_user=user,
        responsible_org=choosers.RESPONSIBLE_UNIT.pick(data.responsible_org, user, problem),
        deadline=data.deadline,
        comment=data.comment,
        expected_version=version,
    )


def _report_up(problem: Problem, user: Any, data: s.ReportUpIn, version: int | None) -> Problem:
    target = choosers.REPORT_TARGET.pick(data.to_org, problem)
    return do.do_report_up(
        problem, acting_user=user, to_org=target, comment=data.comment, expected_version=version
    )


def _decide(problem: Problem, user: Any, data: s.DecideDisputeIn, version: int | None) -> Problem:
    return do.do_decide_dispute(
        problem,
        acting_user=user,
        decision=data.decision,
        comment=data.comment,
        responsible_org=None
        if data.responsible_org is None
        else choosers.RESPONSIBLE_UNIT.pick(data.responsible_org, user, problem),
        deadline=data.deadline,
        expected_version=version,
    )


def _rectify(
    problem: Problem,
    user: Any,
    data: s.TextIn,
    version: int | None,
    photos: Sequence[Any] = (),
    photos_before: Sequence[Any] = (),
) -> Problem:
    return do.do_submit_rectification(
        problem,
        acting_user=user,
        text=data.text,
        photos=photos,
        photos_before=photos_before,
        expected_version=version,
    )


def _close_on_spot(
    problem: Problem, user: Any, data: s.EvidenceIn, version: int | None, photos: Sequence[Any] = ()
) -> Problem:
    return do.do_close_on_spot(
        problem, acting_user=user, evidence=data.evidence, photos=photos, expected_version=version
    )


def _request_extension(
    problem: Problem, user: Any, data: s.ExtensionRequestIn, version: int | None
) -> Problem:
    return extensions.do_request_extension(
        problem,
        acting_user=user,
        deadline=data.deadline,
        reason=data.reason,
        expected_version=version,
    )


def _decide_extension(
    problem: Problem, user: Any, data: s.ExtensionDecisionIn, version: int | None
) -> Problem:
    return extensions.do_decide_extension(
        problem,
        acting_user=user,
        approve=data.decision == ExtensionDecision.APPROVE,
        comment=data.comment,
        deadline=data.deadline,
        expected_version=version,
    )


# (problem, caller, body, the version an If-Match holds the action to[, photos])
Handler = Callable[..., Problem]

ACTIONS: dict[str, tuple[type[Body], Handler]] = {
    Action.ASSIGN: (s.AssignIn, _assign),
    Action.REPORT_UP: (s.ReportUpIn, _report_up),
    Action.INSTRUCT: (
        s.TextIn,
        lambda p, u, d, v: do.do_instruct(p, acting_user=u, text=d.text, expected_version=v),
    ),
    Action.URGE: (
        s.CommentIn,
        lambda p, u, d, v: do.do_urge(p, acting_user=u, comment=d.comment, expected_version=v),
    ),
    Action.SUBMIT_RECTIFICATION: (s.TextIn, _rectify),
    Action.VERIFY_ACCEPT: (
        s.CommentIn,
        lambda p, u, d, v: do.do_verify(
            p, acting_user=u, accept=True, comment=d.comment, expected_version=v
        ),
    ),
    Action.VERIFY_REJECT: (
        s.RequiredCommentIn,
        lambda p, u, d, v: do.do_verify(
            p, acting_user=u, accept=False, comment=d.comment, expected_version=v
        ),
    ),
    Action.INSTITUTIONALIZE: (
        s.RuleIn,
        lambda p, u, d, v: do.do_institutionalize(
            p, acting_user=u, rule=d.rule, expected_version=v
        ),
    ),
    Action.CLOSE_ON_SPOT: (s.EvidenceIn, _close_on_spot),
    Action.DISPUTE: (
        s.ReasonIn,
        lambda p, u, d, v: do.do_dispute(p, acting_user=u, reason=d.reason, expected_version=v),
    ),
    Action.DECIDE_DISPUTE: (s.DecideDisputeIn, _decide),
    Action.REOPEN: (
        s.ReopenIn,
        lambda p, u, d, v: do.do_reopen(
            p, acting_user=u, reason=d.reason, deadline=d.deadline, expected_version=v
        ),
    ),
    Action.SIGN: (
        s.SignIn,
        lambda p, u, d, v: receipt.do_sign(p, acting_user=u, expected_version=v),
    ),
    Action.REQUEST_EXTENSION: (s.ExtensionRequestIn, _request_extension),
    Action.DECIDE_EXTENSION: (s.ExtensionDecisionIn, _decide_extension),
}

IF_MATCH = (
    "The ETag of the problem as the caller read it. When it is no longer the current one, "
    "the action is refused with 412 and nothing changes. Without it the action proceeds, "
    "except that 建 does not replace a rule already recorded (409)."
)


def _add_action_endpoint(action: str, body: type[Body], handler: Handler) -> None:
    def act(
        request: HttpRequest,
        problem_id: int,
        payload: body,  # type: ignore[valid-type]
        response: HttpResponse,
        if_match: str | None = Header(
            None, alias="If-Match", max_length=1000, description=IF_MATCH
        ),
    ) -> dict[str, Any]:
        user = caller(request)
        problem = access_problem(user, problem_id, action)
        handler(problem, user, payload, expected_version(if_match, problem))
        return _detail(user, problem.pk, response)

    act.__doc__ = _ACTION_DOCS.get(action, "")
    router.post(
        f"/problems/{{problem_id}}/actions/{action}",
        response={200: s.ProblemDetail, **WRITE_ERRORS, 412: ErrorOut},
        operation_id=f"problem_{action}",
        summary=f"Action: {action}",
    )(act)


# Actions that keep photos with their change: the same operation again as multipart, the
# body's fields as form fields and the photos as `photos`, all in one transaction.
PHOTO_ACTIONS = (Action.SUBMIT_RECTIFICATION, Action.CLOSE_ON_SPOT)
# A rectification report's photos are labelled: `photos` show the result (整改后),
# `photos_before` the state before the fix (整改前).
BEFORE_PHOTO_ACTIONS = (Action.SUBMIT_RECTIFICATION,)

PHOTOS = (
    "Photos (JPEG, PNG, WebP) or PDFs kept with the action, at most 10: a rectification's "
    "document that report, an on-the-spot close's belong to the problem. A file that is "
    "refused (422 naming `photos`) undoes the whole action. A rectification's `photos` "
    "show the result (after the fix); `photos_before`, only there, the state before it."
)


def _add_photo_endpoint(action: str, body: type[Body], handler: Handler) -> None:
    def act(
        request: HttpRequest,
        problem_id: int,
        payload: Form[body],  # type: ignore[valid-type]
        response: HttpResponse,
        photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
        photos_before: File[list[UploadedFile]] = None,  # type: ignore[assignment]
        if_match: str | None = Header(
            None, alias="If-Match", max_length=1000, description=IF_MATCH
        ),
    ) -> dict[str, Any]:
        user = caller(request)
        labelled = action in BEFORE_PHOTO_ACTIONS
        fields = [*body.model_fields, "photos", *(["photos_before"] if labelled else [])]
        refuse_unknown_fields(request, fields)
        problem = access_problem(user, problem_id, action)
        extra = {"photos_before": photos_before or []} if labelled else {}
        handler(problem, user, payload, expected_version(if_match, problem), photos or [], **extra)
        return _detail(user, problem.pk, response)

    act.__doc__ = f"{_ACTION_DOCS.get(action, '')}\n\n{PHOTOS}"
    router.post(
        f"/problems/{{problem_id}}/actions/{action}/with-photos",
        response={200: s.ProblemDetail, **WRITE_ERRORS, 412: ErrorOut, 429: ErrorOut},
        operation_id=f"problem_{action}_with_photos",
        summary=f"Action with photos: {action}",
    )(act)


_ACTION_DOCS: dict[str, str] = {
    Action.ASSIGN: "交: hand the problem to a responsible unit, optionally with a new deadline.",
    Action.REPORT_UP: "呈: report to a higher office, a command HQ or a region's leadership.",
    Action.INSTRUCT: "批: a leader's written instruction.",
    Action.URGE: "督: press the unit; the light at that moment is recorded.",
    Action.SUBMIT_RECTIFICATION: "改: the unit reports its fix with the evidence described.",
    Action.VERIFY_ACCEPT: "核: the fix holds; the problem is closed (销号).",
    Action.VERIFY_REJECT: "核: the fix does not hold; back to the unit with reasons.",
    Action.INSTITUTIONALIZE: "建: record the lasting rule; a common problem needs it to close.",
    Action.CLOSE_ON_SPOT: "立行立改: fixed during the visit, closed at once with evidence.",
    Action.DISPUTE: "退回: the unit contests the assignment with reasons.",
    Action.DECIDE_DISPUTE: "The office upholds the assignment or reassigns it.",
    Action.REOPEN: "A revisit found the problem back: it opens again as recurring.",
    Action.SIGN: "签收: the responsible unit signs for the problem, once per assignment.",
    Action.REQUEST_EXTENSION: "延期申请: the unit asks for a later deadline, with its reasons.",
    Action.DECIDE_EXTENSION: "延期审批: the office approves (the date asked for, or its own) "
    "or refuses (with reasons) the waiting extension request.",
}

for _action, (_body, _handler) in ACTIONS.items():
    _add_action_endpoint(_action, _body, _handler)
    if _action in PHOTO_ACTIONS:
        _add_photo_endpoint(_action, _body, _handler)
