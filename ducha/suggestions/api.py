"""Suggestions over JSON: the list with its figures, making one, one suggestion with its
history, the receiver's response and citing it in a lasting rule. Refusals match the
pages' (decision 0015).

Runtime annotations (no `from __future__ import annotations`): ninja reads each endpoint's
body schema from its signature.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status

from ducha.accounts.auth import caller
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS, Body, ErrorOut, PageOut, PageQuery, Ref
from ducha.core.scoping import access
from ducha.core.text import LongText, Title
from ducha.problems.models import Problem
from ducha.suggestions import actions as do
from ducha.suggestions import choosers, figures
from ducha.suggestions.choices import MAX_PROBLEMS, SuggestionAction, SuggestionState
from ducha.suggestions.models import Suggestion

router = Router(tags=["suggestions"])


class SuggestionCreate(Body):
    # Exactly one of the two: the office or the team the suggestion is sent from.
    office: int | None = None
    team: int | None = None
    receiver: int
    title: Title
    text: LongText
    problems: list[int] = []


class SuggestionRespondIn(Body):
    state: Literal["adopted", "partly_adopted", "declined"]
    response: LongText = ""


class SuggestionCiteIn(Body):
    problem: int


class TallyOut(Schema):
    made: int
    waiting: int
    adopted: int
    partly_adopted: int
    declined: int
    # Adopted + partly adopted, in per cent: over those answered, and over all made.
    rate_of_answered: Decimal | None
    rate_of_all: Decimal | None


class SuggestionItem(Schema):
    id: int
    title: str
    sender: Ref
    team: Ref | None
    receiver: Ref
    state: str
    state_label: str
    made_at: datetime
    responded_at: datetime | None


class SuggestionPage(PageOut):
    figures: TallyOut
    items: list[SuggestionItem]


class ProblemRef(Schema):
    id: int
    title: str
    state: str


class RuleOut(Schema):
    problem: ProblemRef
    rule: str
    cited_at: datetime


class EventOut(Schema):
    action: str
    actor: str
    created_at: datetime
    from_state: str
    to_state: str
    comment: str


class SuggestionDetail(SuggestionItem):
    text: str
    response: str
    etag: str
    problems: list[ProblemRef]
    rules: list[RuleOut]
    events: list[EventOut]
    allowed_actions: list[str]


class SuggestionListQuery(PageQuery):
    state: SuggestionState | None = None
    receiver: int | None = None
    sender: int | None = None
    made_from: date | None = None
    made_until: date | None = None


def _ref(org: Any) -> dict[str, Any] | None:
    return None if org is None else {"id": org.pk, "name": org.name}


def _item(s: Suggestion) -> dict[str, Any]:
    return {
        "id": s.pk,
        "title": s.title,
        "sender": _ref(s.sender),
        "team": _ref(s.team),
        "receiver": _ref(s.receiver),
        "state": s.state,
        "state_label": s.get_state_display(),
        "made_at": s.made_at,
        "responded_at": s.responded_at,
    }


def etag(suggestion: Suggestion) -> str:
    """A strong tag of the suggestion's version; every action moves it on."""
    return f'"{suggestion.pk}-{suggestion.version}"'


def expected_version(if_match: str | None, suggestion: Suggestion) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    if etag(suggestion) not in {tag.strip() for tag in if_match.split(",")}:
        raise do.stale_version()
    return suggestion.version


def _allowed(user: Any, s: Suggestion) -> list[str]:
    allowed = []
    if (
        s.state == SuggestionState.MADE
        and Suggestion.objects.visible_to(user, SuggestionAction.RESPOND).filter(pk=s.pk).exists()
    ):
        allowed.append(SuggestionAction.RESPOND.value)
    if choosers.citable(user).filter(pk=s.pk).exists() and choosers.rule_problems(user).exists():
        allowed.append(SuggestionAction.CITE.value)
    return allowed


def _detail(user: Any, pk: int) -> dict[str, Any]:
    s = Suggestion.objects.select_related("sender", "team", "receiver").get(pk=pk)
    visible = Problem.objects.visible_to(user).values("pk")
    problems = s.problems.filter(pk__in=visible).order_by("pk")
    rules = s.rules.filter(problem__in=visible).select_related("problem").order_by("pk")
    return {
        **_item(s),
        "text": s.text,
        "response": s.response,
        "etag": etag(s),
        "problems": [{"id": p.pk, "title": p.title, "state": p.state} for p in problems],
        "rules": [
            {
                "problem": {"id": r.problem_id, "title": r.problem.title, "state": r.problem.state},
                "rule": r.problem.rule,
                "cited_at": r.cited_at,
            }
            for r in rules
        ],
        "events": [
            {
                "action": e.action,
                "actor": str(e.actor),
                "created_at": e.created_at,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "comment": e.comment,
            }
            for e in s.events.select_related("actor").order_by("created_at", "pk")
        ],
        "allowed_actions": _allowed(user, s),
    }


def _day_start(day: date | None, later: int = 0) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=later), time.min))


@router.get("/suggestions", response={200: SuggestionPage, **READ_ERRORS})
def list_suggestions(request: HttpRequest, filters: Query[SuggestionListQuery]) -> dict[str, Any]:
    """Suggestions the caller sees, newest first, with the figures of the filtered set
    (before the state filter: the rates need every state)."""
    user = caller(request)
    rows = figures.suggestions(
        user, since=_day_start(filters.made_from), until=_day_start(filters.made_until, 1)
    )
    if filters.receiver is not None:
        rows = rows.filter(receiver_id=filters.receiver)
    if filters.sender is not None:
        rows = rows.filter(sender_id=filters.sender)
    tally = figures.tally(rows)
    if filters.state is not None:
        rows = rows.filter(state=filters.state)
    rows = rows.select_related("sender", "team", "receiver").order_by("-made_at", "-pk")
    page = rows[filters.offset : filters.offset + filters.page_size]
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "figures": tally.as_dict(),
        "items": [_item(s) for s in page],
    }


@router.post("/suggestions", response={201: SuggestionDetail, **WRITE_ERRORS})
def create_suggestion(request: HttpRequest, payload: SuggestionCreate) -> Status[dict[str, Any]]:
    """意见建议: an office or a team suggests to a unit, an office or a command HQ of its
    jurisdiction, naming the problems behind it (at most 20, each one the caller sees)."""
    user = caller(request)
    if not (choosers.sending_offices(user).exists() or choosers.sending_teams(user).exists()):
        raise PermissionDenied(_("Only an office's staff or a team's members make suggestions."))
    office = choosers.OFFICE.pick(payload.office, user) if payload.office is not None else None
    team = choosers.TEAM.pick(payload.team, user) if payload.team is not None else None
    if len(set(payload.problems)) > MAX_PROBLEMS:
        # The action says the same; refused before a long list is looked up.
        raise do.too_many_problems()
    problems = [choosers.PROBLEMS.pick(pk, user) for pk in payload.problems]
    suggestion = do.do_suggest(
        acting_user=user,
        office=office,
        team=team,
        receiver=choosers.RECEIVER.pick(payload.receiver, office, team),
        title=payload.title,
        text=payload.text,
        problems=problems,
    )
    return Status(201, _detail(user, suggestion.pk))


@router.get("/suggestions/{suggestion_id}", response={200: SuggestionDetail, **READ_ERRORS})
def get_suggestion(request: HttpRequest, suggestion_id: int) -> dict[str, Any]:
    """One suggestion: its text, the problems and lasting rules the caller sees, its history
    and the actions open to the caller."""
    user = caller(request)
    suggestion = access(Suggestion, user, suggestion_id).obj
    return _detail(user, suggestion.pk)


IF_MATCH = (
    "The suggestion's `etag` as the caller read it. When it is no longer the current one, "
    "the action is refused with 412 and nothing changes."
)


@router.post(
    "/suggestions/{suggestion_id}/actions/respond",
    response={200: SuggestionDetail, **WRITE_ERRORS, 412: ErrorOut},
)
def respond(
    request: HttpRequest,
    suggestion_id: int,
    payload: SuggestionRespondIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000, description=IF_MATCH),
) -> dict[str, Any]:
    """The receiver adopts, partly adopts or declines; `response` is needed for the last
    two (422 naming `response` without it)."""
    user = caller(request)
    suggestion = access(Suggestion, user, suggestion_id, SuggestionAction.RESPOND).obj
    do.do_respond(
        suggestion,
        acting_user=user,
        state=payload.state,
        response=payload.response,
        expected_version=expected_version(if_match, suggestion),
    )
    return _detail(user, suggestion.pk)


@router.post(
    "/suggestions/{suggestion_id}/rules",
    response={200: SuggestionDetail, **WRITE_ERRORS},
)
def cite(request: HttpRequest, suggestion_id: int, payload: SuggestionCiteIn) -> dict[str, Any]:
    """建: the lasting rule of a common problem the caller may record names this adopted
    suggestion as its source."""
    user = caller(request)
    suggestion = access(Suggestion, user, suggestion_id).obj
    problem = choosers.RULE_PROBLEM.pick(payload.problem, user)
    do.do_cite_suggestion(suggestion, acting_user=user, problem=problem)
    return _detail(user, suggestion.pk)


__all__ = ["router"]
