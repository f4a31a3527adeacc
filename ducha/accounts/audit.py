"""The one way to write the security audit trail (SecurityEvent rows).

Callers in every layer above accounts record through `record`; it takes the request when
there is one, for the address and user agent, and never raises for a missing request.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.http import HttpRequest

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.lockout import client_address
from ducha.accounts.models import SecurityEvent

USER_AGENT_LENGTH = SecurityEvent._meta.get_field("user_agent").max_length or 300
PATH_LENGTH = SecurityEvent._meta.get_field("path").max_length or 300
USERNAME_LENGTH = SecurityEvent._meta.get_field("username").max_length or 150


def address_of(request: HttpRequest) -> str | None:
    """The caller's address if it is one (a forged X-Forwarded-For may hold anything)."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _signed_in(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def record(
    kind: SecurityEventKind,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    subject: Any = None,
    username: str = "",
    **detail: Any,
) -> SecurityEvent:
    """Write one audit row. `actor` defaults to the request's signed-in user."""
    if actor is None and request is not None:
        actor = _signed_in(getattr(request, "user", None))
    address = None
    user_agent = path = ""
    if request is not None:
        address = address_of(request)
        user_agent = str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LENGTH]
        path = request.path[:PATH_LENGTH]
    if not username and actor is not None:
        username = actor.get_username()
    return SecurityEvent.objects.create(
        kind=kind,
        actor=_signed_in(actor),
        subject=subject,
        username=str(username)[:USERNAME_LENGTH],
        address=address,
        user_agent=user_agent,
        path=path,
        detail=detail,
    )
