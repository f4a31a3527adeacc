"""A page of field-work rows costs the same number of queries whatever its length."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ducha.fieldwork import actions
from tests.fieldwork.domain.factory import fail, inspect, item, plan, tomorrow

pytestmark = pytest.mark.django_db


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _add(world, n: int) -> None:
    question = item(world, f"问题{n}")
    meeting = actions.do_record_meeting(
        acting_user=world.users["county_office"],
        office=world.orgs["county_office"],
        held_on=timezone.localdate(),
        title=f"会商{n}",
    )
    plan(world, meeting=meeting, day=tomorrow() + timedelta(days=n))
    fixed = fail(question, fixed_on_spot=True, evidence_text="当场整改")
    inspect(world, [fixed], visited_at=timezone.now() - timedelta(days=n))


@pytest.mark.parametrize("path", ["/meetings", "/tasks", "/inspections", "/revisits"])
def test_list_queries_do_not_grow_with_the_page(world, api_as, path):
    client = api_as("county_office")
    _add(world, 1)
    one = _queries(client.client, "/api/v1" + path)
    for n in range(2, 6):
        _add(world, n)
    assert _queries(client.client, "/api/v1" + path) == one
    assert client.get(path).json()["count"] == 5
