"""Idle and absolute timeouts of signed-in sessions, and the expired-password detour.

Runs after AuthenticationMiddleware. Requests with an API token carry no session, so they
are not affected.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ducha.accounts.passwords import password_expired
from ducha.accounts.trail import EXPIRED_ATTR

STARTED = "ducha_session_started"
SEEN = "ducha_session_seen"
# The pages a user with an expired password may still reach.
EXEMPT = ("password_change", "logout", "set_language")
# The idle clock restarts at most this often (seconds), so idling ends up to this much early.
TOUCH_EVERY = 60
# Seconds since the epoch; the tests move it forward.
clock = time.time


def start(request: HttpRequest) -> None:
    """Called when a user signs in: both clocks start now."""
    now = clock()
    request.session[STARTED] = now
    request.session[SEEN] = now


def start_on_login(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        start(request)


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = clock()
        if STARTED not in session:  # a session from before these clocks
            start(request)
        idle = settings.DUCHA_SESSION_IDLE_MINUTES * 60
        absolute = settings.DUCHA_SESSION_ABSOLUTE_HOURS * 3600
        if now - session[SEEN] > idle or now - session[STARTED] > absolute:
            # Recorded as an expiry (which clock ran out), not as the user's own logout.
            clock_out = "idle" if now - session[SEEN] > idle else "absolute"
            setattr(request, EXPIRED_ATTR, clock_out)
            logout(request)
            if request.path.startswith("/api/"):
                return self.get_response(request)  # now anonymous: the API answers 401
            messages.info(request, _("Your session has expired. Please log in again."))
            return redirect_to_login(request.get_full_path())
        # Writing the session on every request would make each page a database write.
        if now - session[SEEN] >= TOUCH_EVERY:
            session[SEEN] = now
        if password_expired(user) and not self._exempt(request):
            if request.path.startswith("/api/"):
                return self.get_response(request)
            messages.warning(request, _("Your password has expired. Choose a new one."))
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        exempt = {reverse(name) for name in EXEMPT}
        return request.path in exempt or request.path.startswith("/" + settings.STATIC_URL)
