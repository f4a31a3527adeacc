"""Telling the other side of a suggestion: the receiver when it is made, the sender when
it is answered (through `do_notify`, one per recipient and event)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from ducha.accounts.choices import Role
from ducha.accounts.models import User
from ducha.notices.actions import do_notify
from ducha.notices.choices import NotificationKind
from ducha.suggestions.choices import RESPONDER_ROLES
from ducha.suggestions.models import Suggestion, SuggestionEvent


def receiver_users(suggestion: Suggestion) -> QuerySet[User]:
    """Who answers for the receiver: its staff, handlers or command HQ's people."""
    return User.objects.filter(
        is_active=True,
        memberships__org=suggestion.receiver_id,
        memberships__role__in=RESPONDER_ROLES,
    ).distinct()


def sender_users(suggestion: Suggestion) -> QuerySet[User]:
    """Who hears the answer: the sending team's members, or the sending office's staff."""
    if suggestion.team_id:
        return User.objects.filter(is_active=True, teams=suggestion.team_id).distinct()
    return User.objects.filter(
        Q(memberships__org=suggestion.sender_id, memberships__role=Role.OFFICE_STAFF),
        is_active=True,
    ).distinct()


def _tell(
    suggestion: Suggestion,
    event: SuggestionEvent,
    recipients: Any,
    kind: str,
    body: str,
    next_step: str,
) -> None:
    do_notify(
        recipients=recipients,
        kind=kind,
        title=suggestion.title,
        body=body,
        next_step=next_step,
        url=reverse("suggestions:detail", args=[suggestion.pk]),
        actor=event.actor,
        subject_type="suggestion",
        subject_id=suggestion.pk,
        source_key=f"suggestion-event:{event.pk}",
    )


def made(suggestion: Suggestion, event: SuggestionEvent) -> None:
    _tell(
        suggestion,
        event,
        receiver_users(suggestion),
        NotificationKind.SUGGESTION_MADE,
        _("%(sender)s made a suggestion to %(receiver)s.")
        % {"sender": suggestion.sender_name, "receiver": suggestion.receiver.name},
        _("Adopt it, adopt it in part or decline it, with your response."),
    )


def answered(suggestion: Suggestion, event: SuggestionEvent) -> None:
    _tell(
        suggestion,
        event,
        sender_users(suggestion),
        NotificationKind.SUGGESTION_ANSWERED,
        _("%(receiver)s: %(state)s.")
        % {"receiver": suggestion.receiver.name, "state": suggestion.get_state_display()},
        _("Read the response on the suggestion's page."),
    )
