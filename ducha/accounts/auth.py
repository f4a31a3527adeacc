"""Who is calling: a browser session (CSRF-checked) or a personal API token.

Every endpoint accepts both. A request that carries a bearer token is judged by the token
alone, so a revoked or expired token answers 401 even when a session cookie rides along, and
a read-only token is refused every write (403) whatever the endpoint.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from ducha.accounts import tokens
from ducha.accounts.models import User

# Set on requests authenticated by a token; some endpoints need a real session.
TOKEN_FLAG = "ducha_token_auth"


class CsrfFailed(HttpError):
    def __init__(self) -> None:
        super().__init__(403, "CSRF verification failed. Request aborted.")


class TokenRefused(AuthenticationError):
    """A known token that may not be used (revoked, expired): 401 with the reason."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise AuthenticationError
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # Every API request with a token passes here: expiry, revocation and the read-only
        # scope are judged once for all operations (accounts/tokens.py).
        try:
            user = tokens.authenticate(request, token)
        except tokens.TokenRefusedError as refused:
            raise TokenRefused(refused.message) from refused
        if user is None:
            raise AuthenticationError
        request.user = user
        setattr(request, TOKEN_FLAG, True)
        return user


class SessionAuth(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        # Only a request that would act with the session's rights needs the CSRF token.
        if self.csrf and check_csrf(request):
            raise CsrfFailed
        return request.user

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API request; both methods above set `request.user`."""
    user = request.user
    assert isinstance(user, User), "API endpoints run only after authentication"
    return user


def is_token_request(request: HttpRequest) -> bool:
    return bool(getattr(request, TOKEN_FLAG, False))


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
BOTH = [token_auth, session_auth]
