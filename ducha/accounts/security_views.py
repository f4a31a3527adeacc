"""The security administrator's console (/accounts/security/): the accounts they administer
as `Role.SECURITY_ADMIN`, lockouts and unlocking, revoking API tokens, the policies in force.

Accounts come through `administered_users` only (ducha/accounts/administration.py): an
account outside the jurisdiction, a superuser or oneself answers 404 like a missing one.
The console's lists are refused (403) to anyone holding no security administrator role; the
pages of one account or token answer them 404, as for any account they do not administer.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ducha.accounts.actions import do_revoke_token
from ducha.accounts.administration import administered_users
from ducha.accounts.choices import Role
from ducha.accounts.models import ApiToken
from ducha.accounts.security import (
    administered_account,
    administered_token,
    attempts_of,
    do_unlock,
    failures_of,
    is_locked_out,
    is_security_admin,
    locked_out_usernames,
    sees_addresses,
)
from ducha.accounts.tokens import LAST_USED_EVERY

# How many accounts one page lists; a search narrows it down.
LISTED = 50
SEARCH_LENGTH = 100


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("User name or name"), max_length=SEARCH_LENGTH, required=False
    )


def _administrator(request: HttpRequest) -> Any:
    user = request.user
    if not is_security_admin(user):
        raise PermissionDenied
    return user


def _attempts(usernames: Any, with_addresses: bool) -> list[dict[str, Any]]:
    fields = ["username", "failures_since_start", "attempt_time"]
    if with_addresses:
        fields.append("ip_address")
    return list(attempts_of(usernames).order_by("-attempt_time").values(*fields)[:LISTED])


@login_required
def accounts(request: HttpRequest) -> HttpResponse:
    """The administered accounts (searchable, at most LISTED), the locked-out ones on top."""
    admin = _administrator(request)
    administered = administered_users(admin, Role.SECURITY_ADMIN)
    form = SearchForm(request.GET or None)
    found = administered
    status = 200
    if form.is_bound:
        if form.is_valid():
            q = form.cleaned_data["q"].strip()
            if q:
                found = found.filter(Q(username__icontains=q) | Q(name__icontains=q))
        else:
            found, status = found.none(), 422
    found = found.annotate(
        live_tokens=Count("api_tokens", filter=Q(api_tokens__revoked_at__isnull=True))
    ).order_by("username")
    listed = list(found[: LISTED + 1])
    locked = locked_out_usernames(administered)
    with_addresses = sees_addresses(admin)
    context = {
        "form": form,
        "accounts": listed[:LISTED],
        "more": len(listed) > LISTED,
        "listed": LISTED,
        "locked": locked,
        "locked_accounts": administered.filter(username__in=locked).order_by("username"),
        "attempts": _attempts(locked, with_addresses),
        "with_addresses": with_addresses,
    }
    return render(request, "accounts/security/accounts.html", context, status=status)


@login_required
def account(request: HttpRequest, pk: int) -> HttpResponse:
    """One administered account: its lockout, failed logins and API tokens."""
    admin = request.user  # anyone else administers nobody: 404 below
    subject = administered_account(admin, pk)
    with_addresses = sees_addresses(admin)
    context = {
        "account": subject,
        "locked": is_locked_out(subject.username),
        "failures": failures_of(subject.username),
        "attempts": _attempts([subject.username], with_addresses),
        "with_addresses": with_addresses,
        "tokens": ApiToken.objects.filter(user=subject),
        "now": timezone.now(),
    }
    return render(request, "accounts/security/account.html", context)


@login_required
@require_POST
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    admin = request.user
    subject = administered_account(admin, pk)
    do_unlock(subject, acting_user=admin, request=request)
    messages.success(request, _("The account %(name)s is unlocked.") % {"name": subject})
    return redirect("security_account", pk=subject.pk)


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    admin = request.user
    token = administered_token(admin, pk)
    do_revoke_token(token, acting_user=admin)
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("security_account", pk=token.user_id)


def _minutes(value: Any) -> int:
    return int(value.total_seconds() // 60) if value else 0


@login_required
def policies(request: HttpRequest) -> HttpResponse:
    """What is in force, read from the settings (changed through the environment only)."""
    _administrator(request)
    lockout_by = {
        "username": _("account"),
        "ip_address": _("address"),
        "user_agent": _("browser"),
    }
    sections = [
        (
            _("Passwords"),
            [
                (_("Minimum length"), settings.DUCHA_PASSWORD_MIN_LENGTH),
                (_("Character classes required"), settings.DUCHA_PASSWORD_MIN_CLASSES),
                (_("Recent passwords that may not come back"), settings.DUCHA_PASSWORD_HISTORY),
                (
                    _("Password expiry (days)"),
                    settings.DUCHA_PASSWORD_MAX_AGE_DAYS or _("off"),
                ),
            ],
        ),
        (
            _("Lockout"),
            [
                (_("Failed logins before a lockout"), settings.AXES_FAILURE_LIMIT),
                (
                    _("Lockout (minutes)"),
                    _minutes(settings.AXES_COOLOFF_TIME) or _("until unlocked"),
                ),
                (
                    _("Counted per"),
                    ", ".join(
                        str(lockout_by.get(str(p), p)) for p in settings.AXES_LOCKOUT_PARAMETERS
                    ),
                ),
                (_("Reverse proxies in front"), settings.DUCHA_LOGIN_PROXY_COUNT),
            ],
        ),
        (
            _("Sessions"),
            [
                (_("Idle timeout (minutes)"), settings.DUCHA_SESSION_IDLE_MINUTES),
                (_("Absolute timeout (hours)"), settings.DUCHA_SESSION_ABSOLUTE_HOURS),
            ],
        ),
        (
            _("API tokens"),
            [
                (_("Longest lifetime (days)"), settings.DUCHA_TOKEN_MAX_AGE_DAYS),
                (_("Time of use written at most every (minutes)"), _minutes(LAST_USED_EVERY)),
            ],
        ),
    ]
    return render(request, "accounts/security/policies.html", {"sections": sections})
