"""Every change of a user's API tokens (one immutable TokenEvent per change) and of their
password. Atomic.

The pages (accounts/views.py), the API (accounts/api.py) and the admin call these; who may
call them (the owner from a signed-in session, an administrator of the owner's
jurisdiction) is the caller's check.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts import audit
from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import ApiToken, PasswordHistory, TokenAction, TokenEvent, User
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
    audit.record(SecurityEventKind.TOKEN_ISSUED, actor=acting_user, token=token.pk, hint=token.hint)
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
        audit.record(
            SecurityEventKind.TOKEN_REVOKED,
            actor=acting_user,
            subject=token.user if token.user_id != acting_user.pk else None,
            token=token.pk,
            hint=token.hint,
        )
    return token


@transaction.atomic
def do_change_password(
    user: Any, *, acting_user: Any, old_password: str, new_password1: str, new_password2: str
) -> Any:
    """The user changes their own password: the old one must be right, the new one typed
    twice and pass the policy (settings.AUTH_PASSWORD_VALIDATORS). The new hash goes into
    the password history, and every API token of the user is revoked: a script holding one
    was set up under the old password."""
    if acting_user.pk != user.pk:
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password or ""):
        raise InvalidInput(_("Your old password was entered incorrectly."), "old_password")
    if not new_password1:
        raise InvalidInput(_("This field is required."), "new_password1")
    if new_password1 != new_password2:
        raise InvalidInput(_("The two password fields didn’t match."), "new_password2")
    try:
        validate_password(new_password1, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), "new_password1") from error
    user.set_password(new_password1)
    user.save(update_fields=["password"])
    PasswordHistory.objects.create(user=user, password=user.password)
    audit.record(SecurityEventKind.PASSWORD_CHANGED, actor=acting_user)
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        do_revoke_token(token, acting_user=acting_user)
    return user
