"""Each request's route to the replica (ducha/core/replica.py), and read-your-writes.

A GET or HEAD may read on the replica; any other method reads on the primary throughout.
A request that wrote sets a signed cookie, and for DUCHA_REPLICA_STICKY_SECONDS after it
the same browser reads on the primary too, so a user sees their own change at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import SimpleTemplateResponse

from ducha.core import replica

COOKIE = "ducha_wrote"
SALT = "ducha.core.replica_middleware"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReplicaRoutingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica.configured():
            return self.get_response(request)
        route = replica.Route(replica=self._may_read_replica(request))
        with replica.routed(route):
            response = self.get_response(request)
        if isinstance(response, StreamingHttpResponse) and not response.is_async:
            # A streamed export reads as it is sent, after this returns: under the same route.
            response.streaming_content = _streamed(response.streaming_content, route)
        if route.wrote:
            response.set_signed_cookie(
                COOKIE,
                "1",
                salt=SALT,
                max_age=settings.DUCHA_REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A page that read on a replica that just went away is answered again from the primary.

        Only a request that has not written is repeated, so nothing is done twice.
        """
        route = replica.current_route()
        if route is None or not route.used or route.wrote:
            return None
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if replica.mark_down().reads:
            return None  # the replica is fine: the error is someone else's
        route.replica = False
        match = request.resolver_match
        if match is None:
            return None
        response = match.func(request, *match.args, **match.kwargs)
        # Django renders a template response only when the view itself returned it.
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.render()
        return response  # type: ignore[no-any-return]

    @staticmethod
    def _may_read_replica(request: HttpRequest) -> bool:
        if request.method not in SAFE_METHODS:
            return False
        # The signature carries its time: an older cookie no longer counts.
        max_age = settings.DUCHA_REPLICA_STICKY_SECONDS
        if request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=max_age):
            return False
        return replica.replica_health().reads


def _streamed(content: Iterable[bytes], route: replica.Route) -> Iterator[bytes]:
    with replica.routed(route):
        yield from content
