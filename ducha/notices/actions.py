"""Making notifications and reading them (docs/notifications.md).

`do_notify` is what every layer above calls once it knows who is to be told: the problem
loop's worker, the daily cycle, the matters handed down. It trusts its caller on who may see
what (each caller filters its recipients by its own scoping); it keeps what it stores short,
once per recipient and source, and hands the new rows to the delivery channels after commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from ducha.notices import hooks
from ducha.notices.choices import NotificationKind
from ducha.notices.models import HandledSource, Notification

log = logging.getLogger(__name__)

# A text is given as a function (called once per recipient language, inside
# `translation.override`) or as a string that needs no translation.
Text = str | Promise | Callable[[], str]

_LIMITS = {"title": 200, "body": 2000, "next_step": 300}
MAX_URL = 300


def language_of(user: Any) -> str:
    """The language a user reads: their own when accounts keep one, else the deployment's."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _render(text: Text, limit: int) -> str:
    value = text() if callable(text) else str(text)
    value = " ".join(value.split()) if limit <= 300 else value.strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _safe_url(url: str) -> str:
    # A path inside Ducha only: an outside address ("//host", "https:") is never stored.
    if not url.startswith("/") or url.startswith("//") or len(url) > MAX_URL:
        return ""
    return url


@transaction.atomic
def do_notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: Text,
    body: Text,
    next_step: Text = "",
    url: str = "",
    actor: Any = None,
    subject_type: str = "",
    subject_id: int | None = None,
    source_key: str,
) -> list[int]:
    """One notification per recipient for `source_key`; made again, nothing changes.

    Returns the ids of the notifications this call stored. The actor is never told of what
    they did themselves. Once the transaction commits, the ids go to every AFTER_NOTIFIED
    function (delivery channels); a failing one is logged and never reaches the caller.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not source_key or len(source_key) > 100:
        raise ValueError("a source key of 1 to 100 characters is required")
    actor_pk = getattr(actor, "pk", None)
    people = {user.pk: user for user in recipients if user.pk != actor_pk and user.is_active}
    if not people:
        return []
    already = set(
        Notification.objects.filter(source_key=source_key, recipient__in=people).values_list(
            "recipient_id", flat=True
        )
    )
    new = [user for pk, user in people.items() if pk not in already]
    if not new:
        return []
    now = timezone.now()
    rows = []
    texts: dict[str, dict[str, str]] = {}
    for user in new:
        language = language_of(user)
        if language not in texts:
            with translation.override(language):
                texts[language] = {
                    "title": _render(title, _LIMITS["title"]),
                    "body": _render(body, _LIMITS["body"]),
                    "next_step": _render(next_step, _LIMITS["next_step"]),
                }
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                url=_safe_url(url),
                actor=actor if actor_pk else None,
                subject_type=subject_type[:32],
                subject_id=subject_id,
                source_key=source_key,
                created_at=now,
                **texts[language],
            )
        )
    # A concurrent maker of the same source may have stored some in between: its rows stay,
    # ours for those recipients are dropped by the unique constraint.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Notification.objects.filter(
            source_key=source_key, recipient__in=[u.pk for u in new], created_at=now
        ).values_list("pk", flat=True)
    )
    if ids and hooks.AFTER_NOTIFIED:
        transaction.on_commit(lambda: hand_over(ids))
    return ids


def hand_over(ids: Sequence[int]) -> None:
    """Give new notifications to each delivery channel; one that fails is logged, the rest
    still run, and nothing is raised to the action whose commit triggered it."""
    for deliver in list(hooks.AFTER_NOTIFIED):
        try:
            deliver(ids)
        except Exception:
            log.exception("delivery hook %r failed for notifications %s", deliver, list(ids)[:20])


def is_handled(source: str, object_id: int) -> bool:
    return HandledSource.objects.filter(source=source, object_id=object_id).exists()


def mark_handled(source: str, object_id: int) -> None:
    """Record that `source:object_id` has its notifications (in the caller's transaction).

    Two workers at the same source both make its notifications at worst, and the unique
    constraint keeps one of each; the second mark is ignored."""
    HandledSource.objects.bulk_create(
        [HandledSource(source=source, object_id=object_id)], ignore_conflicts=True
    )


@transaction.atomic
def do_mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read: those in `ids`, or all with None.

    Another user's ids are ignored (they are not theirs to touch). Returns how many changed.
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
