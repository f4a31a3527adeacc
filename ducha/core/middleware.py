"""A Content-Security-Policy that only lets the app's own files run.

Offices run on closed intranets and the pages load nothing from other hosts, so the policy
can be strict. Bootstrap's CSS draws some icons as data: SVGs.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The interactive API docs (swagger-ui) set styles inline.
DOCS_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
DOCS_PATH = "/api/v1/docs"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            docs = request.path.startswith(DOCS_PATH)
            response["Content-Security-Policy"] = DOCS_POLICY if docs else POLICY
        return response


class PrivateResponsesMiddleware:
    """A signed-in answer is not kept in any cache: `Cache-Control: private, no-store`.

    Pages and API answers carry personal and disciplinary records; on a shared office
    computer or a team member's phone the browser's cache would otherwise keep them after
    logout (剩余信息保护, docs/security.md). A response that sets its own Cache-Control keeps
    it (downloads already say `private, no-store` or `private`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            response["Cache-Control"] = "private, no-store"
        return response
