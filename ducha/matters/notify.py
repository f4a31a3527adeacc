"""Telling the offices concerned: the in-app notification of each action.

Until `ducha.notices.actions.do_notify` lands this writes the Notification rows itself, with
do_notify's signature, and hands their ids to `notices.hooks.AFTER_NOTIFIED` after commit,
so that swapping do_notify in is one line (docs/matters.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from ducha.accounts.choices import Role
from ducha.accounts.models import User
from ducha.notices import hooks
from ducha.notices.models import Notification
from ducha.orgs.models import Org


def staff_of(offices: Iterable[Org]) -> QuerySet[User]:
    """The active staff of these offices: who is told."""
    return User.objects.filter(
        is_active=True,
        memberships__org__in=list(offices),
        memberships__role=Role.OFFICE_STAFF,
    ).distinct()


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str,
    next_step: str,
    url: str,
    actor: Any,
    subject_type: str,
    subject_id: int,
    source_key: str,
) -> None:
    taken = set(
        Notification.objects.filter(source_key=source_key).values_list("recipient_id", flat=True)
    )
    rows = [
        Notification(
            recipient=recipient,
            kind=kind,
            title=title[:200],
            body=body[:2000],
            next_step=next_step[:300],
            url=url,
            actor=actor,
            subject_type=subject_type,
            subject_id=subject_id,
            source_key=source_key,
        )
        for recipient in recipients
        # Made twice from the same event, it is stored once (the notification's own rule).
        if recipient != actor and recipient.pk not in taken
    ]
    made = [row.pk for row in Notification.objects.bulk_create(rows)]
    if made:
        # The delivery channels take the new ones after commit, as do_notify hands them on;
        # a failing channel is logged and never undoes the action.
        transaction.on_commit(lambda: _hand_on(made), robust=True)


def _hand_on(ids: Sequence[int]) -> None:
    for deliver in hooks.AFTER_NOTIFIED:
        deliver(ids)
