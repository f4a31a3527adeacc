"""Helpers for talking to /api/v1/ as a persona, over a session or a token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ducha.accounts.models import ApiToken
from ducha.problems.models import Problem, ProblemEvent
from tests.world import PASSWORD, World

BASE = "/api/v1"


class Api:
    """A client bound to one caller; paths are relative to /api/v1."""

    def __init__(self, client: Client, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.headers = headers or {}

    def get(self, path: str, params: dict[str, Any] | None = None, headers: dict | None = None):
        return self.client.get(
            BASE + path, params or {}, headers={**self.headers, **(headers or {})}
        )

    def post(
        self, path: str, data: Any = None, raw: str | None = None, headers: dict | None = None
    ):
        body = raw if raw is not None else json.dumps({} if data is None else data)
        return self.client.post(
            BASE + path,
            body,
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def call(self, method: str, path: str, data: Any = None):
        if method.lower() == "get":
            return self.get(path)
        send = getattr(self.client, method.lower())
        return send(BASE + path, json.dumps(data or {}), "application/json", headers=self.headers)

    def delete(self, path: str):
        return self.client.delete(BASE + path, headers=self.headers)

    def act(self, problem: Problem | int, action: str, **data: Any):
        pk = problem if isinstance(problem, int) else problem.pk
        return self.post(f"/problems/{pk}/actions/{action}", data)


@pytest.fixture
def api_as(world: World):
    """`api_as("county_office")`: a separate signed-in session per persona."""

    def _api_as(key: str, **client_kwargs: Any) -> Api:
        client = Client(**client_kwargs)
        assert client.login(username=world.users[key].username, password=PASSWORD)
        return Api(client)

    return _api_as


@pytest.fixture
def token_as(world: World):
    """`token_as("county_office")`: a cookie-less client with a fresh bearer token."""

    def _token_as(key: str) -> Api:
        _, raw = ApiToken.issue(world.users[key], "script")
        return Api(Client(), {"Authorization": f"Bearer {raw}"})

    return _token_as


@pytest.fixture
def anonymous() -> Api:
    return Api(Client())


def snapshot(problem: Problem) -> tuple[Any, ...]:
    """Everything an action may change, to show a refused one changed nothing."""
    fresh = Problem.objects.get(pk=problem.pk)
    return (
        fresh.state,
        fresh.responsible_org_id,
        fresh.deadline,
        fresh.reported_to_id,
        fresh.rule,
        fresh.closed_at,
        fresh.on_the_spot,
        fresh.recurring,
        ProblemEvent.objects.filter(problem=problem).count(),
    )


def field_errors(response) -> set[str]:
    """The fields a 4xx answer names, whichever of the two error shapes it has."""
    body = response.json()
    if isinstance(body["detail"], list):
        return {item["field"] for item in body["detail"]}
    return {body["field"]} if body.get("field") else set()
