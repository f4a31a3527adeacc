"""Each request's route to the replica (ducha/core/replica.py), and read-your-writes.

A GET or HEAD may read on the replica; any other method reads on the primary throughout.
A request that wrote sets a signed cookie, and for DUCHA_REPLICA_STICKY_SECONDS after it
the same browser reads on the primary too, so a user sees their own change at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

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
        response = self._respond(request, route)
        # The page may have failed on a replica that has just gone away (its error is logged
        # as usual). If so, it is answered again from the primary: it has not written, so
        # nothing is done twice.
        failed = response.status_code >= 500 and route.used and not route.wrote
        if failed and not replica.mark_down().reads:
            route = replica.Route(replica=False)
            response = self._respond(request, route)
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

    def _respond(self, request: HttpRequest, route: replica.Route) -> HttpResponse:
        with replica.routed(route):
            response = self.get_response(request)
        if isinstance(response, StreamingHttpResponse) and not response.is_async:
            # A streamed export reads as it is sent, after this returns: under the same route.
            response.streaming_content = _streamed(response.streaming_content, route)
        return response

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
