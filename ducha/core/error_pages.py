"""The project's own 404 page while DUCHA_DEBUG is on, where the settings ask for it.

With DEBUG on, Django answers a 404 with its technical page (the URL patterns, in English)
and never reaches `handler404`; 403 and 500 are unaffected (403 always uses the project's
page, and 500's technical page is what debugging needs). The demo runs with DUCHA_DEBUG on
and sets DUCHA_STYLED_ERRORS, so that a visitor who follows a link outside their
jurisdiction sees what a real deployment shows; a developer leaves it off and keeps the
technical page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found


def _wanted() -> bool:
    return bool(settings.DEBUG and settings.DUCHA_STYLED_ERRORS)


class StyledNotFoundMiddleware:
    """Sits after the locale and authentication middleware, so the page is in the reader's
    language and drawn with their menu."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No view matched the address: Django's technical page came back from the resolver.
        if _wanted() and response.status_code == 404 and request.resolver_match is None:
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A view raised it (an access helper's "missing or not yours"); a view that returns
        # its own 404 (the API's JSON) is left as it is.
        if _wanted() and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
