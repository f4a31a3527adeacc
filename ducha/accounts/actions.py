"""Every change of a user's API tokens (one immutable TokenEvent per change) and of their
password. Atomic.

The pages (accounts/views.py), the API (accounts/api.py) and the admin call these; who may
call them (the owner from a signed-in session, an administrator of the owner's
jurisdiction) is the caller's check.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts import audit
from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import (
    ApiToken,
    PasswordHistory,
    TokenAction,
    TokenEvent,
    TokenScope,
    User,
)
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


def _lifetime(lifetime_days: Any) -> int:
    """The chosen lifetime in days, 1 to the maximum; the maximum when none is chosen."""
    longest = settings.DUCHA_TOKEN_MAX_AGE_DAYS
    if lifetime_days is None or lifetime_days == "":
        return longest
    if isinstance(lifetime_days, bool) or not isinstance(lifetime_days, int):
        raise InvalidInput(_("Enter a whole number."), "lifetime_days")
    if not 1 <= lifetime_days <= longest:
        raise InvalidInput(
            _("Choose a lifetime of 1 to %(days)d days.") % {"days": longest}, "lifetime_days"
        )
    return lifetime_days


@transaction.atomic
def do_issue_token(
    *,
    acting_user: Any,
    name: str,
    lifetime_days: int | None = None,
    scope: str | None = None,
) -> tuple[ApiToken, str]:
    """A new token of the acting user's, and its raw key (shown once, never stored).

    Every token expires: after `lifetime_days`, at most (and by default)
    settings.DUCHA_TOKEN_MAX_AGE_DAYS. `scope` is read or write (write by default)."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("This field is required."), "name")
    refusal = text_error(name, max_length=NAME, multiline=False)
    if refusal:
        raise InvalidInput(refusal, "name")
    days = _lifetime(lifetime_days)
    scope = scope or TokenScope.WRITE
    if scope not in TokenScope.values:
        raise InvalidInput(invalid_choice_message(), "scope")
    token, raw = ApiToken.issue(
        acting_user, name, scope=scope, expires_at=timezone.now() + timedelta(days=days)
    )
    _event(token, acting_user, TokenAction.ISSUE)
    audit.record(
        SecurityEventKind.TOKEN_ISSUED,
        actor=acting_user,
        token=token.pk,
        hint=token.hint,
        scope=scope,
        expires_at=token.expires.isoformat(),
    )
    return token, raw


def invalid_choice_message() -> str:
    # The words ninja's validation gives for a value out of a set (ducha/api/errors.py).
    return _("Select a valid choice. That choice is not one of the available choices.")


@transaction.atomic
def do_revoke_token(token: ApiToken, *, acting_user: Any, reason: str = "") -> ApiToken:
    """Revoke a token; it stops working at once. A revoked token stays as it is: revoking
    it again changes nothing and records nothing. `reason` ("locked_out", "password_changed")
    goes into the audit row when the revocation is a consequence of something else."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _event(token, acting_user, TokenAction.REVOKE)
        more: dict[str, Any] = {"reason": reason} if reason else {}
        audit.record(
            SecurityEventKind.TOKEN_REVOKED,
            actor=acting_user,
            subject=token.user if token.user_id != acting_user.pk else None,
            token=token.pk,
            hint=token.hint,
            **more,
        )
    return token


def do_change_password(
    user: Any, *, acting_user: Any, old_password: str, new_password1: str, new_password2: str
) -> Any:
    """The user changes their own password: the old one must be right, the new one typed
    twice and pass the policy (settings.AUTH_PASSWORD_VALIDATORS). The new hash goes into
    the password history, and every API token of the user is revoked: a script holding one
    was set up under the old password. A refusal is recorded in the audit trail."""
    if acting_user.pk != user.pk:
        raise PermissionDenied
    try:
        return _change_password(
            user,
            acting_user=acting_user,
            old_password=old_password,
            new_password1=new_password1,
            new_password2=new_password2,
        )
    except InvalidInput as refusal:
        # Recorded after the refused transaction has rolled back, so that the row stays.
        audit.record(SecurityEventKind.PASSWORD_REFUSED, actor=acting_user, field=refusal.field)
        raise


@transaction.atomic
def _change_password(
    user: Any, *, acting_user: Any, old_password: str, new_password1: str, new_password2: str
) -> Any:
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
        do_revoke_token(token, acting_user=acting_user, reason="password_changed")
    return user
