"""The security administrator's actions on accounts: what a lockout does to an account's
API tokens, unlocking, and what the console reads of lockouts (django-axes' AccessAttempt).

A lockout is axes' (ducha/accounts/lockout.py). Axes sends `user_locked_out` at the failure
that reaches the limit and again at every failure during the lockout, and calls
AXES_LOCKOUT_CALLABLE at every refused attempt; neither fires once per lockout. So
`on_locked_out` counts the account's own failures (summed over addresses, as axes does) and
acts only when the account itself is locked, not merely the address: every live token is
revoked whenever that is so (idempotent: a token issued during the lockout dies at the next
failure), and the audit row `LOCKED_OUT` is written at the failure that brings the count to
exactly the limit, which happens once per lockout (the count only starts again from zero
after an unlock or the cool-off).
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.http import Http404, HttpRequest
from django.utils import timezone

from ducha.accounts import audit
from ducha.accounts.actions import do_revoke_token
from ducha.accounts.administration import (
    administered_users,
    administers,
    jurisdiction_paths,
)
from ducha.accounts.choices import Role, SecurityEventKind
from ducha.accounts.models import ApiToken, User
from ducha.core.scope import is_active_user, roles_of


def accounts_are_locked() -> bool:
    """Whether failures lock accounts (the username is a lockout parameter), not only
    addresses."""
    return "username" in settings.AXES_LOCKOUT_PARAMETERS


def attempts_of(usernames: Any) -> QuerySet:
    """The access attempts axes still counts for these usernames (a queryset or list)."""
    attempts = AccessAttempt.objects.filter(username__in=usernames)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return attempts


def failures_of(username: str) -> int:
    total = attempts_of([username]).aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


def is_locked_out(username: str) -> bool:
    return accounts_are_locked() and failures_of(username) >= settings.AXES_FAILURE_LIMIT


def locked_out_usernames(users: QuerySet) -> set[str]:
    """Those of these accounts that are locked out now, in one query."""
    if not accounts_are_locked():
        return set()
    rows = (
        attempts_of(users.values("username"))
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .filter(total__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {row["username"] for row in rows}


@transaction.atomic
def do_lock_out(user: User, *, request: HttpRequest | None, failures: int) -> None:
    """What a lockout of `user` does: every live API token revoked (a script's key must not
    outlive the lockout of the account it acts for), and the lockout recorded once."""
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        # Nobody signed in acts: the revocation is the account's own consequence.
        do_revoke_token(token, acting_user=user, reason="locked_out")
    if failures == settings.AXES_FAILURE_LIMIT:
        audit.record(
            SecurityEventKind.LOCKED_OUT,
            request=request,
            subject=user,
            username=user.get_username(),
            failures=failures,
        )


def on_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kw: Any
) -> None:
    """axes' `user_locked_out`: act when the account (not only the address) is locked."""
    if not username or not accounts_are_locked():
        return
    user = User.objects.filter(username=username).first()
    if user is None:
        return
    failures = failures_of(username)
    if failures >= settings.AXES_FAILURE_LIMIT:
        do_lock_out(user, request=request, failures=failures)


@transaction.atomic
def do_unlock(user: User, *, acting_user: Any, request: HttpRequest | None = None) -> int:
    """A security administrator of the account (or a superuser) lifts its lockout: the
    account's access attempts go, from every address. Returns how many were deleted.

    Attempts of other usernames from the same addresses stay: an address lockout concerns
    accounts beyond any one jurisdiction and is lifted by a superuser in the admin."""
    if not administers(acting_user, Role.SECURITY_ADMIN, user):
        raise Http404
    attempts = AccessAttempt.objects.filter(username=user.get_username())
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    deleted = attempts.count()
    attempts.delete()
    audit.record(
        SecurityEventKind.UNLOCKED,
        request=request,
        actor=acting_user,
        subject=user,
        attempts=deleted,
        failures=int(failures),
    )
    return deleted


def administered_account(acting_user: Any, pk: Any) -> User:
    """An account the acting user administers as security administrator; 404 otherwise
    (missing and not administered alike)."""
    user = administered_users(acting_user, Role.SECURITY_ADMIN).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def administered_token(acting_user: Any, pk: Any) -> ApiToken:
    """A token of an account the acting user administers as security administrator; 404
    otherwise."""
    accounts = administered_users(acting_user, Role.SECURITY_ADMIN)
    token = ApiToken.objects.filter(pk=pk, user__in=accounts).first()
    if token is None:
        raise Http404
    return token


def is_security_admin(user: Any) -> bool:
    """Whether the user may open the security administrator's console."""
    if not is_active_user(user):
        return False
    return bool(user.is_superuser) or Role.SECURITY_ADMIN in roles_of(user)


def sees_addresses(user: Any) -> bool:
    """Whether the console shows the addresses of failed logins: to a superuser and to a
    security administrator whose jurisdiction starts at a root of the tree (a province).

    An address is not an account's: behind an office's NAT it is shared by accounts of
    other jurisdictions, and a failure from it counts for all of them (the address
    lockout). A county's security administrator sees that an account failed, how often
    and when, and may unlock it; where from is for those who oversee every jurisdiction
    an address can serve."""
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    return any(path.count("/") == 2 for path in jurisdiction_paths(user, Role.SECURITY_ADMIN))
