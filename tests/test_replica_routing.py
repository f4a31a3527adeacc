"""The replica router's decisions and the request's route, without a replica.

tests/replica/ runs the same paths against a real streaming replica (marker `replica`).
"""

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpResponse, HttpResponseServerError, StreamingHttpResponse
from django.test import RequestFactory

from ducha.core import replica
from ducha.core.db_router import PrimaryReplicaRouter
from ducha.core.replica_middleware import COOKIE, SALT, ReplicaRoutingMiddleware
from ducha.problems.models import Problem

router = PrimaryReplicaRouter()
OK = replica.ReplicaHealth(replica.OK, 0.0, 0)
LAGGING = replica.ReplicaHealth(replica.LAGGING, 30.0, 10_000)
DOWN = replica.ReplicaHealth(replica.DOWN)


def test_without_a_route_reads_stay_on_the_primary():
    # Management commands, Celery tasks, the shell: no middleware set a route.
    assert router.db_for_read(Problem) == "default"


def test_a_route_that_allows_the_replica_reads_there_and_says_so():
    with replica.routed(replica.Route(replica=True)) as route:
        assert router.db_for_read(Problem) == "replica"
    assert route.used


def test_a_route_that_does_not_allow_the_replica_reads_on_the_primary():
    with replica.routed(replica.Route(replica=False)) as route:
        assert router.db_for_read(Problem) == "default"
    assert not route.used


def test_a_write_pins_the_rest_of_the_work_to_the_primary():
    with replica.routed(replica.Route(replica=True)) as route:
        assert router.db_for_read(Problem) == "replica"
        assert router.db_for_write(Problem) == "default"
        assert router.db_for_read(Problem) == "default"
    assert route.wrote


def test_sessions_live_on_the_primary_and_their_writes_do_not_pin():
    with replica.routed(replica.Route(replica=True)) as route:
        assert router.db_for_read(Session) == "default"
        assert router.db_for_write(Session) == "default"
        assert router.db_for_read(Problem) == "replica"
    assert not route.wrote


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_reads_go_to_the_primary():
    with replica.routed(replica.Route(replica=True)):
        assert router.db_for_read(Problem) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Problem) == "default"
        assert router.db_for_read(Problem) == "replica"


def test_migrations_only_on_the_primary_and_relations_across_both():
    assert router.allow_migrate("default", "problems")
    assert not router.allow_migrate("replica", "problems")
    assert router.allow_relation(object(), object())


def test_background_work_reads_on_the_replica_only_when_asked_and_it_is_healthy(monkeypatch):
    monkeypatch.setattr(replica, "replica_health", lambda **kwargs: OK)
    with replica.reading_from_replica():
        assert router.db_for_read(Problem) == "replica"
    assert router.db_for_read(Problem) == "default"
    monkeypatch.setattr(replica, "replica_health", lambda **kwargs: LAGGING)
    with replica.reading_from_replica():
        assert router.db_for_read(Problem) == "default"


@pytest.fixture
def no_replica(monkeypatch):
    # The same whether or not the run has a replica (tests/replica runs with one).
    monkeypatch.setattr(replica, "configured", lambda: False)


def test_health_without_a_replica_is_off(no_replica):
    assert replica.replica_health() == replica.ReplicaHealth(replica.OFF)
    assert not replica.replica_health().reads


# The middleware, with the replica's presence and health stood in for.


@pytest.fixture
def replica_up(monkeypatch):
    state = {"health": OK}
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "replica_health", lambda **kwargs: state["health"])
    return state


def _seen(view=None):
    """The middleware around a view that records the route it ran under."""
    routes = []

    def record(request):
        routes.append(replica.current_route())
        return HttpResponse("ok")

    return ReplicaRoutingMiddleware(view or record), routes


def test_a_get_reads_on_a_healthy_replica(replica_up):
    middleware, routes = _seen()
    middleware(RequestFactory().get("/problems/"))
    assert routes[0].replica


@pytest.mark.parametrize("health", [LAGGING, DOWN])
def test_a_get_reads_on_the_primary_when_the_replica_lags_or_is_down(replica_up, health):
    replica_up["health"] = health
    middleware, routes = _seen()
    middleware(RequestFactory().get("/problems/"))
    assert not routes[0].replica


def test_a_post_reads_on_the_primary(replica_up):
    middleware, routes = _seen()
    middleware(RequestFactory().post("/problems/new/"))
    assert not routes[0].replica


def test_without_a_replica_there_is_no_route(no_replica):
    middleware, routes = _seen()
    middleware(RequestFactory().get("/problems/"))
    assert routes == [None]


def test_a_request_that_wrote_keeps_its_browser_on_the_primary_for_a_while(replica_up, settings):
    settings.DUCHA_REPLICA_STICKY_SECONDS = 10

    def writes(request):
        router.db_for_write(Problem)
        return HttpResponse("ok")

    response = ReplicaRoutingMiddleware(writes)(RequestFactory().post("/problems/new/"))
    cookie = response.cookies[COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]

    middleware, routes = _seen()
    request = RequestFactory().get("/problems/")
    request.COOKIES[COOKIE] = cookie.value
    middleware(request)
    assert not routes[0].replica


def test_an_expired_or_forged_cookie_does_not_count(replica_up, settings, monkeypatch):
    settings.DUCHA_REPLICA_STICKY_SECONDS = 10
    response = HttpResponse()
    response.set_signed_cookie(COOKIE, "1", salt=SALT)
    old = response.cookies[COOKIE].value
    later = time.time() + 11
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    middleware, routes = _seen()
    for value in (old, "1:forged:signature"):
        request = RequestFactory().get("/problems/")
        request.COOKIES[COOKIE] = value
        middleware(request)
    assert routes[0].replica and routes[1].replica


def test_a_page_that_only_read_sets_no_cookie(replica_up):
    middleware, _ = _seen()
    response = middleware(RequestFactory().get("/problems/"))
    assert COOKIE not in response.cookies


def test_a_streamed_answer_reads_under_its_request_route(replica_up):
    routes = []

    def rows():
        routes.append(replica.current_route())
        yield b"row\n"

    response = ReplicaRoutingMiddleware(lambda request: StreamingHttpResponse(rows()))(
        RequestFactory().get("/ledger/export/")
    )
    assert routes == []  # nothing read yet: the server sends the rows after the middleware
    assert b"".join(response.streaming_content) == b"row\n"
    assert routes[0] is not None and routes[0].replica


def _failing_on_the_replica(calls):
    def view(request):
        route = replica.current_route()
        calls.append(route.replica)
        if route.replica:
            router.db_for_read(Problem)
            return HttpResponseServerError("the replica went away")
        return HttpResponse("from the primary")

    return view


def test_a_page_that_failed_on_a_replica_now_down_is_answered_from_the_primary(
    replica_up, monkeypatch
):
    monkeypatch.setattr(replica, "mark_down", lambda: DOWN)
    calls = []
    response = ReplicaRoutingMiddleware(_failing_on_the_replica(calls))(
        RequestFactory().get("/problems/")
    )
    assert calls == [True, False]
    assert response.status_code == 200 and response.content == b"from the primary"


def test_an_error_with_the_replica_healthy_is_not_repeated(replica_up, monkeypatch):
    monkeypatch.setattr(replica, "mark_down", lambda: OK)
    calls = []
    response = ReplicaRoutingMiddleware(_failing_on_the_replica(calls))(
        RequestFactory().get("/problems/")
    )
    assert calls == [True]
    assert response.status_code == 500


def test_an_error_after_a_write_is_not_repeated(replica_up, monkeypatch):
    monkeypatch.setattr(replica, "mark_down", lambda: DOWN)
    calls = []

    def view(request):
        calls.append(1)
        router.db_for_read(Problem)
        router.db_for_write(Problem)
        return HttpResponseServerError()

    response = ReplicaRoutingMiddleware(view)(RequestFactory().get("/problems/"))
    assert calls == [1] and response.status_code == 500


# GET /health, without a replica.


@pytest.mark.django_db
def test_health_answers_without_login_and_says_the_replica_is_off(client, no_replica):
    answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.json() == {
        "primary": "ok",
        "replica": "off",
        "replica_lag_seconds": None,
        "replica_lag_bytes": None,
        "reads_on_replica": False,
    }
    assert "no-cache" in answer["Cache-Control"]
    assert not answer.cookies  # no session for a monitor's polls


@pytest.mark.django_db
def test_health_is_503_when_the_primary_does_not_answer(client, monkeypatch, no_replica):
    from django.db import OperationalError, connections

    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refused)
    answer = client.get("/health")
    assert answer.status_code == 503
    assert answer.json()["primary"] == "down"


@pytest.mark.django_db
def test_health_takes_only_get_and_head(client):
    assert client.post("/health").status_code == 405


def test_lag_counts_from_the_first_check_that_saw_the_primary_ahead():
    replica.forget()
    try:
        replica._positions.extend([(100.0, 1000), (102.0, 2000), (104.0, 3000)])
        assert replica._lag_seconds(3000, 106.0) == 0.0
        assert replica._lag_seconds(2500, 106.0) == 2.0
        assert replica._lag_seconds(1500, 106.0) == 4.0
        assert replica._lag_seconds(500, 106.0) == 6.0
    finally:
        replica.forget()
