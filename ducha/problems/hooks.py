"""Where a layer above problems adds to the problem loop (docs/decisions/0013-layers.md).

Field work builds on problems (an inspection records problems, a failed revisit reopens
one), so problems never import it. The loop needs it at three named points: closing a
problem schedules its revisit, a problem's events are read without a revisit the reader may
not see yet, and a page's action keeps its photos as evidence. Field work adds its functions
to these lists in `FieldworkConfig.ready()`; the loop calls them at those points, inside the
caller's transaction, and what they do is part of the action's result (the close event
records the revisit). Nothing here is a signal: no model save or delete reaches these lists.

Documents adds one more in `DocumentsConfig.ready()`: the escalation ladder's overdue
reminder comes with a numbered 催办通知书 when the assigning office wants one.

`PROBLEM_PANELS` are sections a layer above adds to a problem's page (policies shows the
measure a problem's rule came from; sweeps, the sweep a problem belongs to and its
original problem); each decides for itself what its reader may see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar

# Types only: field work's apps.py imports this module before models exist (0013).
if TYPE_CHECKING:
    from datetime import datetime

    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from ducha.orgs.models import Org
    from ducha.problems.models import Problem, ProblemEvent


class OnClose(Protocol):
    """Runs when a problem closes (verified, or fixed on the spot), after the problem is
    saved and before its event is written; returns what that event's payload records of it."""

    def __call__(self, problem: Problem, *, acting_user: Any) -> dict[str, Any]: ...


class EventReader(Protocol):
    """A problem's events as `user` may read them (payload keys left out, in memory only)."""

    def __call__(self, user: Any, events: list[ProblemEvent]) -> list[ProblemEvent]: ...


class PhotoStore(Protocol):
    """Keeps one uploaded photo as evidence of a problem, and of one of its events."""

    def __call__(
        self,
        *,
        acting_user: Any,
        upload: UploadedFile,
        problem: Problem | None,
        problem_event: ProblemEvent | None,
        stage: str = "",
    ) -> Any: ...


class UrgeNoticeIssuer(Protocol):
    """Issues a numbered 催办通知书 from `office` about an overdue problem, inside the
    ladder's transaction; returns what the reminder's event payload records of it."""

    def __call__(
        self, problem: Problem, *, office: Org, acting_user: Any, now: datetime
    ) -> dict[str, Any]: ...


class ProblemPanel(Protocol):
    """A panel of the problem's page from a layer above: rendered HTML, or "" for none. It
    reads only what `request.user` may see."""

    def __call__(self, request: HttpRequest, problem: Problem) -> str: ...


ON_CLOSE: list[OnClose] = []
EVENT_READERS: list[EventReader] = []
PHOTO_STORES: list[PhotoStore] = []
# Documents, a layer above, issues the escalation ladder's 催办通知书 (ducha/problems/ladder.py).
URGE_NOTICE_ISSUERS: list[UrgeNoticeIssuer] = []
# Policies and sweeps, layers above, add sections to a problem's page.
PROBLEM_PANELS: list[ProblemPanel] = []

F = TypeVar("F")


def add(point: list[F], function: F) -> None:
    """Add `function` to a point once, however often the app registry gets ready."""
    if function not in point:
        point.append(function)


def after_close(problem: Problem, *, acting_user: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for follow_up in ON_CLOSE:
        payload.update(follow_up(problem, acting_user=acting_user))
    return payload


def readable_events(user: Any, events: list[ProblemEvent]) -> list[ProblemEvent]:
    for reader in EVENT_READERS:
        events = reader(user, events)
    return events


def keep_photo(
    *,
    acting_user: Any,
    upload: UploadedFile,
    problem: Problem,
    problem_event: ProblemEvent | None,
    stage: str = "",
) -> None:
    for store in PHOTO_STORES:
        store(
            acting_user=acting_user,
            upload=upload,
            problem=problem,
            problem_event=problem_event,
            stage=stage,
        )


def issue_urge_notice(
    problem: Problem, *, office: Org, acting_user: Any, now: datetime
) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for issuer in URGE_NOTICE_ISSUERS:
        payload.update(issuer(problem, office=office, acting_user=acting_user, now=now))
    return payload


def problem_panels(request: HttpRequest, problem: Problem) -> list[str]:
    return [html for panel in PROBLEM_PANELS if (html := panel(request, problem))]
