"""GET /health: whether the primary answers, and the replica's state, for nginx and monitoring.

No login and no data beyond the states: it is polled often, so it asks the primary one
trivial query and reads the replica's health as the routing last checked it (at most
DUCHA_REPLICA_CHECK_SECONDS old). 200 while the primary answers, 503 when it does not.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, Error, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ducha.core.replica import replica_health


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    primary = _primary_answers()
    replica = replica_health()
    body = {
        "primary": "ok" if primary else "down",
        "replica": replica.state,
        "replica_lag_seconds": replica.lag_seconds,
        "replica_lag_bytes": replica.lag_bytes,
        "reads_on_replica": replica.reads,
    }
    return JsonResponse(body, status=200 if primary else 503)


def _primary_answers() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:
        connections[DEFAULT_DB_ALIAS].close()
        return False
    return True
