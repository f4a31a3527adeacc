"""Every change of a user's API tokens. Atomic; one immutable TokenEvent per change.

The pages (accounts/views.py), the API (accounts/api.py) and the admin call these; who may
call them (the owner from a signed-in session, an administrator of the owner's
jurisdiction) is the caller's check.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts.models import ApiToken, TokenAction, TokenEvent
from ducha.core.errors import InvalidInput
from ducha.core.text import NAME, text_error


def own_token(user: Any, token_id: Any) -> ApiToken:
    """One of the user's own tokens; 404 for anybody else's and for a missing one alike."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first() if token_id else None
    if token is None:
        raise Http404
    return token


def _event(token: ApiToken, acting_user: Any, action: str) -> TokenEvent:
    return TokenEvent.objects.create(
        token=token,
        actor=acting_user,
        action=action,
        payload={"user": token.user_id, "name": token.name, "hint": token.hint},
    )


@transaction.atomic
def do_issue_token(*, acting_user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token of the acting user's, and its raw key (shown once, never stored)."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("This field is required."), "name")
    refusal = text_error(name, max_length=NAME, multiline=False)
    if refusal:
        raise InvalidInput(refusal, "name")
    token, raw = ApiToken.issue(acting_user, name)
    _event(token, acting_user, TokenAction.ISSUE)
    return token, raw


@transaction.atomic
def do_revoke_token(token: ApiToken, *, acting_user: Any) -> ApiToken:
    """Revoke a token; it stops working at once. A revoked token stays as it is: revoking
    it again changes nothing and records nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _event(token, acting_user, TokenAction.REVOKE)
    return token
