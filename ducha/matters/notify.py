"""Telling the offices concerned: the in-app notification of each action, through
`do_notify` (one per recipient and event; the delivery channels take it from there)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from ducha.accounts.choices import Role
from ducha.accounts.models import User
from ducha.notices.actions import do_notify
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
    do_notify(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        next_step=next_step,
        url=url,
        actor=actor,
        subject_type=subject_type,
        subject_id=subject_id,
        source_key=source_key,
    )
