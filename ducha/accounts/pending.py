"""The pending login: an account that passed the password step and awaits its second
factor. It is not signed in; `finish_login` signs it in once the second factor is checked
(a code, a security key or the confirmed enrolment).
"""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model, login
from django.http import HttpRequest

PENDING = "twofactor_pending"
SETUP_KEY = "twofactor_setup_key"
# The second factor must follow the password within this many seconds.
PENDING_SECONDS = 300


def start_pending(request: HttpRequest, user: Any, next_url: str) -> None:
    request.session.cycle_key()
    # A secret left from someone else's unfinished enrolment in this browser is not reused.
    request.session.pop(SETUP_KEY, None)
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "since": int(time.time()),
        # A password changed meanwhile ends the pending login, as it ends sessions.
        "hash": user.get_session_auth_hash(),
    }


def pending_user(request: HttpRequest) -> Any:
    """The account that passed the password step in this session and awaits its code."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    user_id = pending.get("user")
    user = get_user_model().objects.filter(pk=user_id or 0, is_active=True).first()
    fresh = time.time() - pending.get("since", 0) < PENDING_SECONDS
    if user is None or not fresh or user.get_session_auth_hash() != pending.get("hash"):
        request.session.pop(PENDING, None)
        return None
    return user


def finish_login(request: HttpRequest, user: Any) -> str:
    """The one real login, after the second factor; returns where to go next."""
    pending = request.session.pop(PENDING)
    request.session.pop(SETUP_KEY, None)
    login(request, user, backend=pending["backend"])
    return str(pending["next"])


def end_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)


def locked(request: HttpRequest, user: Any) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"username": user.get_username()}))


def count_failure(request: HttpRequest, user: Any) -> None:
    """A wrong second factor is a failed login for django-axes (sets
    `request.axes_locked_out` when it reaches the limit: AxesMiddleware then answers with the
    lockout page); a lockout ends the pending login."""
    AxesProxyHandler.user_login_failed(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    if getattr(request, "axes_locked_out", False):
        end_pending(request)
