"""The permission-matrix harness: persona × object × action → the outcome an oracle expects,
sent through HTTP like a user, over the API (JSON under /api/v1) or the pages (forms).

A matrix test states its cases and its oracle, written from the specification; the harness
signs each persona in, sends the request, compares the status with the outcome, checks that a
refused request wrote nothing, and reports every mismatch at once, one line per persona.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client

from tests.matrix.oracle import PERSONAS
from tests.world import World

# The statuses of each refusal an oracle names; what success answers is each test's own.
REFUSED = {"missing": {404}, "forbidden": {403}, "conflict": {409}}

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

Body = dict[str, Any] | Callable[[World, Any], dict[str, Any] | None] | None


def client_for(world: World, persona: str) -> Client:
    """A client signed in as the persona: a session holding what a login stores in it.

    The matrices sign in every persona for every case, thousands of times on each database;
    a real login also writes its audit row, its access log and the failed-attempt cleanup,
    a fifth of each case's time on PostgreSQL. Logging in itself is tested in tests/login."""
    user = world.users[persona]
    assert user.is_active, persona
    client = Client()
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = MODEL_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


@dataclass(frozen=True)
class Endpoint:
    """A request about an object: its method, its address and its body (a dict, or made from
    the world and the object)."""

    method: str
    path: Callable[[Any], str]
    body: Body = None
    # "api": JSON, the path under /api/v1; "upload": multipart (files), under /api/v1 too;
    # "page": a form post.
    surface: str = "api"

    # The test client's response (HttpResponse with the client's additions).
    def send(self, client: Client, world: World, obj: Any) -> Any:
        url = ("" if self.surface == "page" else "/api/v1") + self.path(obj)
        if self.method == "get":
            return client.get(url)
        body = (self.body(world, obj) if callable(self.body) else self.body) or {}
        if self.surface in ("page", "upload"):
            return client.post(url, body)
        send = getattr(client, self.method)
        return send(url, json.dumps(body), content_type="application/json")


@dataclass(frozen=True)
class Case:
    """An action (`action`) on an object the oracle knows (`obj`), made fresh by `setup`."""

    obj: str
    action: str
    setup: Callable[[World], Any]
    method: str
    path: Callable[[Any], str]
    body: Body = None

    def endpoint(self, surface: str = "api") -> Endpoint:
        return Endpoint(self.method, self.path, self.body, surface)


def check_matrix(
    world: World,
    setup: Callable[[World], Any],
    endpoint: Endpoint,
    expect: Callable[[str, Any], str],
    *,
    ok: set[int],
    unchanged: Callable[[Any], Any] | None = None,
    fresh: bool = True,
    personas: Iterable[str] = PERSONAS,
) -> None:
    """Each persona asks for the endpoint on an object (a fresh one each unless `fresh` is
    False) and gets the outcome the oracle expects: a status in `ok`, or the refusal's; a
    refused request leaves `unchanged(obj)` as it was."""
    shared = None if fresh else setup(world)
    mismatches = []
    for persona in personas:
        obj = setup(world) if fresh else shared
        before = unchanged(obj) if unchanged else None
        want = expect(persona, obj)
        status = endpoint.send(client_for(world, persona), world, obj).status_code
        if status not in (ok if want == "ok" else REFUSED[want]):
            mismatches.append(f"{persona}: expected {want}, got {status}")
        if want != "ok" and unchanged is not None:
            assert unchanged(obj) == before, persona
    assert not mismatches, "\n".join(mismatches)


def check_each(
    world: World,
    observe: Callable[[Client], Any],
    expect: Callable[[str], Any],
    personas: Iterable[str] = PERSONAS,
) -> None:
    """What each persona observes (a list's ids, whether a row is listed …) equals what the
    oracle expects for it."""
    mismatches = []
    for persona in personas:
        got, want = observe(client_for(world, persona)), expect(persona)
        if got != want:
            mismatches.append(f"{persona}: expected {want}, got {got}")
    assert not mismatches, "\n".join(mismatches)


def listed_ids(client: Client, path: str) -> set[int]:
    """The ids of an API list (under /api/v1), all on one page."""
    response = client.get("/api/v1" + path)
    assert response.status_code == 200, path
    body = response.json()
    assert body["count"] == len(body["items"]), path
    return {item["id"] for item in body["items"]}
