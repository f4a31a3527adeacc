"""The JSON endpoints the page's script (`ducha/static/ducha/webauthn.js`) calls to register
a security key and to log in with one, and the removal of a key."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ducha.accounts import pending, twofactor
from ducha.accounts.keys import webauthn
from ducha.accounts.keys.models import SecurityKey
from ducha.core.errors import ActionError
from ducha.core.forms import run_action


def _options(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="application/json")


def _refused(error: ActionError) -> JsonResponse:
    return JsonResponse({"detail": error.message, "field": error.field}, status=error.status)


@never_cache
@login_required
@require_POST
def register_options(request: HttpRequest) -> HttpResponse:
    return _options(webauthn.registration_options(request, request.user))


@never_cache
@login_required
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    challenge = webauthn.take_challenge(request)
    try:
        body = webauthn.parse_body(request)
        key = webauthn.do_add_security_key(
            request.user,
            name=body.get("name", ""),
            credential=body.get("credential"),
            challenge=challenge,
            party=webauthn.relying_party(request),
            acting_user=request.user,
            request=request,
        )
    except ActionError as error:
        return _refused(error)
    messages.success(request, _("The security key “%(name)s” was added.") % {"name": key.name})
    return JsonResponse({"id": key.pk}, status=201)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(SecurityKey, pk=pk, user=request.user)
    outcome = run_action(
        request,
        None,
        twofactor.do_remove_security_key,
        key,
        acting_user=request.user,
        request=request,
    )
    if outcome.ok:
        messages.success(request, _("The security key was removed."))
    return redirect("two_factor")


def _pending_or_none(request: HttpRequest) -> Any:
    user = pending.pending_user(request)
    if user is None or not SecurityKey.objects.filter(user=user).exists():
        return None
    return user


@never_cache
@require_POST
def login_options(request: HttpRequest) -> HttpResponse:
    user = _pending_or_none(request)
    if user is None:
        return JsonResponse({"detail": _("Log in with your password first.")}, status=403)
    return _options(webauthn.authentication_options(request, user))


@never_cache
@require_POST
def login_with_key(request: HttpRequest) -> HttpResponse:
    """The second factor by security key; a refusal counts as a failed login, as a code's."""
    user = _pending_or_none(request)
    if user is None:
        return JsonResponse({"detail": _("Log in with your password first.")}, status=403)
    if pending.locked(request, user):
        pending.end_pending(request)
        return JsonResponse({"detail": _("Log in with your password first.")}, status=429)
    challenge = webauthn.take_challenge(request)
    try:
        body = webauthn.parse_body(request)
        webauthn.do_pass_security_key(
            user,
            body.get("credential"),
            challenge=challenge,
            party=webauthn.relying_party(request),
            request=request,
        )
    except ActionError as error:
        pending.count_failure(request, user)
        return _refused(error)
    return JsonResponse({"next": pending.finish_login(request, user)})


urlpatterns = [
    path("two-factor/keys/options/", register_options, name="security_key_options"),
    path("two-factor/keys/", register, name="security_key_add"),
    path("two-factor/keys/<int:pk>/remove/", remove, name="security_key_remove"),
    path("login/key/options/", login_options, name="login_key_options"),
    path("login/key/", login_with_key, name="login_key"),
]
