"""The document list costs the same number of queries whatever its length."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.documents import actions
from tests.documents.helpers import county

pytestmark = pytest.mark.django_db


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _add(world) -> None:
    office, issuer = world.users["county_office"], world.orgs["county_office"]
    for kind, params in (
        ("bulletin", {}),
        ("rectification_letter", {"recipient": world.orgs["county_dept"].pk}),
    ):
        document = actions.do_create_draft(
            acting_user=office, kind=kind, issuer=issuer, params=params
        )
        actions.do_issue_document(document, acting_user=office)
    actions.do_create_draft(acting_user=office, kind="bulletin", issuer=issuer, params={})


@pytest.mark.parametrize("path", ["/api/v1/documents", "/documents/", "/documents/?state=issued"])
def test_the_list_does_not_grow_with_the_documents(world, api_as, path):
    county(world)
    client = api_as("county_office").client
    _add(world)
    one = _queries(client, path)
    for _ in range(4):
        _add(world)
    assert _queries(client, path) == one
    assert client.get("/api/v1/documents").json()["count"] == 15
