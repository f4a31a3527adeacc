"""Scripts calling the API with a token, and what the audit trail says about them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ducha.accounts.models import SecurityEvent
from tests.api.conftest import Api, api_as  # noqa: F401  (the tests' fixture)
from tests.world import PASSWORD, World


def bearer(raw: str, address: str = "127.0.0.1") -> Api:
    """A cookie-less client sending the token, from `address`."""
    return Api(Client(REMOTE_ADDR=address), {"Authorization": f"Bearer {raw}"})


def events(kind: str) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind).order_by("pk"))


@pytest.fixture
def issue(world: World):
    """`issue("county_office", lifetime_days=7, scope="read")`: a token issued over the API
    from the persona's signed-in session; returns (its JSON, a bearer client)."""

    def _issue(persona: str, **fields: Any) -> tuple[dict[str, Any], Api]:
        session = Client()
        assert session.login(username=world.users[persona].username, password=PASSWORD)
        response = Api(session).post("/tokens", {"name": "脚本", **fields})
        assert response.status_code == 201, response.content
        body = response.json()
        return body, bearer(body["key"])

    return _issue
