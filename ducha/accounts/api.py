"""The caller: who they are, their roles, and their personal API tokens."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Status

from ducha.accounts.actions import do_issue_token, do_revoke_token, own_token
from ducha.accounts.auth import caller, is_token_request
from ducha.accounts.choices import Role
from ducha.accounts.models import ApiToken
from ducha.accounts.schemas import MeOut, NewTokenOut, TokenIn, TokenOut
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS, ref

router = Router(tags=["accounts"])


@router.get("/me", response={200: MeOut, **READ_ERRORS})
def me(request: HttpRequest) -> dict[str, Any]:
    """The caller, the roles they hold and where, and the language answers are given in."""
    user = caller(request)
    memberships = user.memberships.select_related("org").order_by("org__path", "role")
    return {
        "id": user.pk,
        "username": user.username,
        "name": str(user),
        "language": get_language(),
        "roles": [
            {"role": m.role, "label": str(Role(m.role).label), "org": ref(m.org)}
            for m in memberships
        ],
    }


@router.get("/tokens", response={200: list[TokenOut], **READ_ERRORS})
def list_tokens(request: HttpRequest) -> Any:
    """The caller's own tokens, revoked ones included. The keys themselves are never shown."""
    return ApiToken.objects.filter(user=caller(request))


@router.post("/tokens", response={201: NewTokenOut, **WRITE_ERRORS})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[ApiToken]:
    """Issue a token. Only from a signed-in session: a leaked token must not breed more."""
    if is_token_request(request):
        raise PermissionDenied(_("API tokens can only be created from a signed-in session."))
    token, raw = do_issue_token(
        acting_user=caller(request),
        name=payload.name,
        lifetime_days=payload.lifetime_days,
        scope=payload.scope,
    )
    token.key = raw  # type: ignore[attr-defined]  # answered this once, never stored
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None, **WRITE_ERRORS})
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of the caller's tokens; it stops working at once. Revoking twice is harmless."""
    user = caller(request)
    do_revoke_token(own_token(user, token_id), acting_user=user)
    return Status(204, None)
