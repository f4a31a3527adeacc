"""A plain read writes nothing: not the token's time of use within its minute, not the
session within its minute, no audit row (docs/performance.md, "Served requests")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

READS = ["/problems", "/problems?state=assigned", "/dashboard", "/focus-areas"]
WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_of(api, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]


@pytest.mark.parametrize("path", READS)
def test_a_read_with_a_token_writes_nothing(world, token_as, path):
    world.problem()
    api = token_as("county_office")
    # The first use writes its time and address (which also shows the writes are seen).
    assert writes_of(api, "/problems")
    assert writes_of(api, path) == []


@pytest.mark.parametrize("path", READS)
def test_a_read_in_a_session_writes_nothing(world, api_as, path):
    world.problem()
    api = api_as("county_office")
    api.get("/problems")
    assert writes_of(api, path) == []
