"""Every operation of /api/v1/openapi.json, fuzzed from its schema as a signed-in office:
whatever is sent, the answer is never a server error.

Bounded: a few examples per operation, derandomized so a run is repeatable; the examples
come from the schema, so a new operation is fuzzed without a change here. The run's size
can be raised for a longer hunt: make fuzz (DUCHA_FUZZ_EXAMPLES=100)
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from ducha.accounts.models import ApiToken

EXAMPLES = int(os.environ.get("DUCHA_FUZZ_EXAMPLES", "10"))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def same_connection():
    """Requests run inside the test's transaction, as Django's test client runs them."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(world, same_connection) -> dict[str, str]:
    _, raw = ApiToken.issue(world.users["county_office"], "fuzz")
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_fuzz_no_server_error(case, bearer):
    case.call_and_validate(headers=bearer, checks=[not_a_server_error])
