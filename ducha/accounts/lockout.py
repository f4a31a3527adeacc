"""Lockout after repeated failed logins (django-axes), and the answer a locked-out caller gets.

Axes counts failures per account and per address (settings.AXES_*); once either reaches the
limit, even the right password is refused until the cool-off ends or a superuser deletes
the access attempts in the admin.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check in front of ModelBackend.

    An authentication without a request comes from code (the test client's login, a
    management command), never from a caller on the network, so there is nothing to lock.
    """

    def authenticate(
        self, request: Any, username: Any = None, password: Any = None, **kw: Any
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kw)


def client_address(request: HttpRequest) -> str:
    """The caller's address: the connection's, or behind `DUCHA_LOGIN_PROXY_COUNT` proxies
    the one the outermost of them saw (each proxy appends the address it was called from to
    X-Forwarded-For, so the entries a caller could forge are to the left of those)."""
    proxies = settings.DUCHA_LOGIN_PROXY_COUNT
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    return hops[-proxies] if len(hops) >= proxies else remote


def lockout_message() -> str:
    cool_off = settings.AXES_COOLOFF_TIME
    if not cool_off:
        return _(
            "Too many failed logins: this account or address is locked until an administrator "
            "unlocks it."
        )
    minutes = int(cool_off.total_seconds() // 60)
    return _(
        "Too many failed logins: this account or address is locked for %(minutes)d minutes. "
        "Try again later or ask an administrator to unlock it."
    ) % {"minutes": minutes}


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The login page with the reason on top (429), or JSON for the API."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    # An unbound form: a bound one would authenticate again while rendering its errors, and
    # axes would count every refused attempt twice.
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    form.cleaned_data = {}  # what add_error expects of a validated form
    form.add_error(None, message)
    context = {"form": form, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)
