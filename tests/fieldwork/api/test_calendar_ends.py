"""Dates at the ends of the calendar are input errors or plain successes, never a 500."""

from __future__ import annotations

from datetime import date

import pytest

from tests.fieldwork.api.helpers import counts, inspection_body, task_body
from tests.fieldwork.domain.factory import item

pytestmark = pytest.mark.django_db


def refused_on(response) -> tuple[int, str]:
    """The status and the field named, from either shape of a 422."""
    detail = response.json()
    if isinstance(detail.get("detail"), list):
        return response.status_code, ",".join(e["field"] for e in detail["detail"])
    return response.status_code, detail["field"]


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1999, 12, 31), date(9999, 12, 31)])
def test_planning_outside_2000_to_2099_is_refused_on_its_field(world, api_as, day):
    before = counts()
    response = api_as("county_office").post("/tasks", task_body(world, day=day))
    assert refused_on(response) == (422, "day")
    assert counts() == before


def test_planning_on_the_last_day_of_2099(world, api_as):
    response = api_as("county_office").post("/tasks", task_body(world, day=date(2099, 12, 31)))
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("visited_at", ["0001-01-01T00:00:00+08:00", "2020-01-01T09:00:00Z"])
def test_a_visit_long_past_is_refused_on_its_field(world, api_as, visited_at):
    question = item(world)
    before = counts()
    body = inspection_body(
        [{"item": question.pk, "result": "pass"}],
        visited_at=visited_at,
        team=world.teams["county_team"].pk,
        sites=[world.sites["checkpoint"].pk],
        method="open",
    )
    response = api_as("county_team_member").post("/inspections", body)
    assert refused_on(response) == (422, "visited_at")
    assert counts() == before
