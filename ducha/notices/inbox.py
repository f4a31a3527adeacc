"""A user's own notifications: the only rows anyone reads here are their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ducha.core.scoping import object_pk
from ducha.notices.models import Notification

# The badge counts up to here and shows "99+" beyond: the count stops early on the index.
BADGE_CAP = 99
_CACHE_ATTR = "_ducha_unread"


def inbox(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (unread ones only, when asked)."""
    rows = Notification.objects.filter(recipient_id=user.pk)
    return rows.filter(read_at__isnull=True) if unread_only else rows


def own_notification(user: Any, notification_id: Any) -> Notification:
    """One of the user's notifications; 404 for a bad id, a missing one and another's."""
    found = inbox(user).filter(pk=object_pk(notification_id)).first()
    if found is None:
        raise Http404
    return found


def unread_count(user: Any, cap: int | None = None) -> int:
    """How many unread notifications the user has (up to `cap`, when given), from the
    partial index of unread rows; remembered on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return 0
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None and cap is not None:
        return cached
    rows = inbox(user, unread_only=True).order_by()
    count = rows.values("pk")[: cap + 1].count() if cap is not None else rows.count()
    if cap is not None:
        setattr(user, _CACHE_ATTR, count)
    return count


def forget_count(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
