"""The project's URLs and a minimal JSON view behind the same middleware (bench.served)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from ducha.urls import urlpatterns as project_urls


def minimal(request: HttpRequest) -> JsonResponse:
    """What any request costs on this server: the middleware and a JSON answer, no query."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/minimal", minimal), *project_urls]
