"""The caller's own notifications over JSON; another user's answer 404 like missing ones."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from ducha.accounts.auth import caller
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS
from ducha.notices import schemas as s
from ducha.notices.actions import do_mark_read
from ducha.notices.inbox import inbox, own_notification, unread_count
from ducha.notices.models import Notification

router = Router(tags=["notifications"])


def _out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "next_step": n.next_step,
        "url": n.url,
        "actor": str(n.actor) if n.actor else None,
        "subject_type": n.subject_type,
        "subject_id": n.subject_id,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get("/notifications", response={200: s.NotificationPage, **READ_ERRORS})
def list_notifications(request: HttpRequest, filters: Query[s.NotificationQuery]) -> Any:
    """The caller's notifications, newest first; `unread=true` for the unread ones only,
    `unread=false` for those already read."""
    user = caller(request)
    rows = inbox(user)
    if filters.unread is not None:
        rows = rows.filter(read_at__isnull=filters.unread)
    page = rows.select_related("actor")[filters.offset : filters.offset + filters.page_size]
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "unread": unread_count(user),
        "items": [_out(n) for n in page],
    }


@router.get("/notifications/unread-count", response={200: s.UnreadOut, **READ_ERRORS})
def notifications_unread(request: HttpRequest) -> Any:
    return {"unread": unread_count(caller(request))}


@router.post("/notifications/read-all", response={200: s.ReadAllOut, **WRITE_ERRORS})
def read_all_notifications(request: HttpRequest) -> Any:
    """Mark every notification of the caller read."""
    return {"marked": do_mark_read(caller(request), None)}


@router.post(
    "/notifications/{notification_id}/read", response={200: s.NotificationOut, **WRITE_ERRORS}
)
def read_notification(request: HttpRequest, notification_id: int) -> Any:
    user = caller(request)
    notification = own_notification(user, notification_id)
    do_mark_read(user, [notification.pk])
    notification.refresh_from_db()
    return _out(notification)
