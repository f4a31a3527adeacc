"""Using an API token: the checks every API request with a bearer token passes through
(`ducha.accounts.auth.TokenAuth` calls `authenticate`), and the note of its use.

- a revoked or expired token, or one of a deactivated account, answers 401 with the reason,
  and the refusal is recorded (`TOKEN_REFUSED`);
- a read-only token may only read: any other method answers 403 naming the scope, before
  any endpoint runs, so no operation can forget the check;
- the time of use is written at most once a minute per token (a script polling the API
  must not turn every read into a write), the address whenever it changes, and a change of
  address is recorded once (`TOKEN_NEW_ADDRESS`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts import audit
from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import ApiToken, TokenScope, User

# How often the time of use is written, at most, per token.
LAST_USED_EVERY = timedelta(minutes=1)

# The methods a read-only token may use: those that change nothing.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenRefusedError(Exception):
    """A known token that may not be used; the message says why (401)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def refusal_message(reason: str) -> str:
    return {
        "revoked": _("This API token has been revoked. Issue a new one on the tokens page."),
        "expired": _("This API token has expired. Issue a new one on the tokens page."),
        "inactive": _("The account of this API token is deactivated."),
    }.get(reason, _("Sign in or send a valid API token."))


def scope_message() -> str:
    return _(
        "This API token is read-only (scope “%(scope)s”): it may not change anything. "
        "Use a token with the scope “%(write)s”."
    ) % {"scope": TokenScope.READ.label, "write": TokenScope.WRITE.label}


def authenticate(request: HttpRequest, raw: str) -> User | None:
    """The owner of the token, if it may be used for this request. None for an unknown key
    (nothing to record: there is no account to tie it to); `TokenRefusedError` or
    `PermissionDenied` for a known token that may not."""
    token = ApiToken.find(raw)
    if token is None:
        return None
    now = timezone.now()
    reason = token.refusal(now)
    if reason:
        _refused(request, token, reason)
        raise TokenRefusedError(refusal_message(reason))
    if token.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
        _refused(request, token, "scope", method=request.method)
        raise PermissionDenied(scope_message())
    note_use(request, token, now)
    return token.user


def _refused(request: HttpRequest, token: ApiToken, reason: str, **more: Any) -> None:
    audit.record(
        SecurityEventKind.TOKEN_REFUSED,
        request=request,
        actor=token.user,
        token=token.pk,
        hint=token.hint,
        reason=reason,
        **more,
    )


def note_use(request: HttpRequest, token: ApiToken, now: datetime) -> None:
    """Write the time (at most once a minute) and the address of this use.

    Both writes are conditional updates on the value read, so that of two requests racing
    only one writes, and a change of address is recorded once."""
    address = audit.address_of(request)
    stale = token.last_used_at is None or token.last_used_at <= now - LAST_USED_EVERY
    moved = address is not None and address != token.last_used_from
    if not stale and not moved:
        return
    changes: dict[str, object] = {"last_used_at": now} if stale else {}
    if moved:
        changes["last_used_from"] = address
    rows = ApiToken.objects.filter(
        pk=token.pk, last_used_at=token.last_used_at, last_used_from=token.last_used_from
    )
    if not rows.update(**changes):
        return  # another request of this token got there first, and wrote (or recorded) it
    # The first use has no address to differ from; only a change of address is news.
    if moved and token.last_used_from is not None:
        audit.record(
            SecurityEventKind.TOKEN_NEW_ADDRESS,
            request=request,
            actor=token.user,
            token=token.pk,
            hint=token.hint,
            previous=token.last_used_from,
        )
