"""A read-only token reads and changes nothing: every operation that is not a read answers
403 naming the scope, before any endpoint runs (the check is in the token authentication,
which every API request with a token passes), and the refusal is recorded."""

from __future__ import annotations

import json

import pytest
from django.apps import apps

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import ApiToken, SecurityEvent, TokenScope
from ducha.core.models import ChainHead
from tests.census.routes import Operation, fill, openapi_schema, operations, params_of
from tests.tokens.conftest import bearer, events

pytestmark = pytest.mark.django_db

SCOPE_MESSAGE = (
    "此 API 令牌为只读（权限范围“只读”），不能修改任何内容。请使用权限范围为“读写”的令牌。"
)


def writes() -> list[Operation]:
    return [op for op in operations(openapi_schema()) if op.method not in {"get", "head"}]


def _url(op: Operation, value: int) -> str:
    # The refusal comes before the path is looked at: any id fills it. A value that did not
    # match the route would reach the catch-all (404) and fail the test.
    return fill(op.template, {name: value for name in params_of(op.template)})


# The refusal's own audit row, and the head of the chain it joins, are the only writes.
AUDIT = {SecurityEvent, ChainHead}


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label != "sessions" and m not in AUDIT
    }


def _send(client, op: Operation, url: str):
    send = getattr(client.client, op.method)
    return send(url, json.dumps({}), "application/json", headers=client.headers)


def test_there_are_writes_to_refuse():
    methods = {op.method for op in writes()}
    assert {"post", "patch", "delete"} <= methods and len(writes()) >= 20


def test_a_read_token_is_refused_every_write_and_changes_nothing(world):
    owner = world.users["county_office"]
    _token, raw = ApiToken.issue(owner, "只读脚本", scope=TokenScope.READ)
    script = bearer(raw)
    problem = world.problem()
    before = _counts()
    refused = []
    for op in writes():
        response = _send(script, op, _url(op, problem.pk))
        assert response.status_code == 403, (op.key, response.status_code, response.content)
        assert response.json() == {"detail": SCOPE_MESSAGE}, op.key
        refused.append(op.key)
    assert _counts() == before
    rows = events(SecurityEventKind.TOKEN_REFUSED)
    assert len(rows) == len(refused)
    assert {row.detail["reason"] for row in rows} == {"scope"}
    assert {row.detail["method"] for row in rows} == {op.method.upper() for op in writes()}
    # It still reads.
    assert script.get(f"/problems/{problem.pk}").status_code == 200


def test_a_write_token_is_not_refused_by_the_scope(world):
    """The control: the same requests with a write token reach the endpoints."""
    _, raw = ApiToken.issue(world.users["county_office"], "脚本", scope=TokenScope.WRITE)
    script = bearer(raw)
    for op in writes():
        response = _send(script, op, _url(op, 999_999))
        body = response.json() if response.content else {}
        assert body.get("detail") != SCOPE_MESSAGE, op.key
    assert events(SecurityEventKind.TOKEN_REFUSED) == []


def test_the_scope_is_chosen_at_issue_and_shown(world, issue, login):
    body, script = issue("county_office", scope="read")
    assert body["scope"] == "read"
    assert script.get("/me").status_code == 200
    response = script.post("/problems", {})
    assert response.status_code == 403
    client = login(world, "county_office")
    page = client.post("/accounts/tokens/", {"name": "页面只读", "scope": "read"})
    assert page.status_code == 200
    assert ApiToken.objects.get(name="页面只读").scope == TokenScope.READ
    assert "只读" in client.get("/accounts/tokens/").content.decode()
