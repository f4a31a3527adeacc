"""Numbers, dates and page numbers the API is sent are bounded: out of range is a 422 naming
the parameter, never a 500; every paginated list is found from the OpenAPI document."""

from __future__ import annotations

import pytest

from ducha.core.schemas import MAX_PAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def paginated(api_as) -> list[str]:
    spec = api_as("county_office").client.get("/api/v1/openapi.json").json()
    return [
        path.removeprefix("/api/v1")
        for path, operations in spec["paths"].items()
        if "get" in operations
        and "{" not in path
        and any(p["name"] == "page" for p in operations["get"].get("parameters", []))
    ]


# Lists that answer nothing without words to look for.
WORDS_NEEDED = {"/search": {"q": "整改"}}


def _fields(response) -> set[str]:
    return {item["field"] for item in response.json()["detail"]}


def test_every_paginated_list_refuses_a_page_beyond_the_bound(world, api_as, paginated):
    api = api_as("county_office")
    assert len(paginated) >= 7
    for path in paginated:
        needed = WORDS_NEEDED.get(path, {})
        for page in ("99999999999999999999", str(MAX_PAGE + 1), "0", "-1"):
            response = api.get(path, {"page": page, **needed})
            assert (path, page, response.status_code) == (path, page, 422)
            assert _fields(response) == {"page"}
        last = api.get(path, {"page": MAX_PAGE, **needed})
        assert (path, last.status_code) == (path, 200)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/daily/reports", {"day": "0"}, "day"),
        ("/daily/reports", {"day": "1999-12-31"}, "day"),
        ("/tasks", {"day": "0"}, "day"),
        ("/tasks", {"day": "9999-12-31"}, "day"),
        ("/meetings", {"held_on": "0001-01-01"}, "held_on"),
        ("/revisits", {"due_by": "0"}, "due_by"),
        ("/problems", {"region": "99999999999999999999"}, "region"),
        ("/problems", {"focus_area": "true"}, "focus_area"),
        ("/documents", {"problem": str(2**63)}, "problem"),
        ("/evidence", {"problem": str(2**64)}, "problem"),
        ("/tasks/overlaps", {"site": "1", "day": "0"}, "day"),
    ],
)
def test_query_values_out_of_range_are_refused_on_their_name(api_as, path, params, field):
    response = api_as("county_office").get(path, params)
    assert response.status_code == 422, response.content
    assert _fields(response) == {field}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"day": "2026-01-01", "team": True}, "team"),
        ({"day": 0}, "day"),
        ({"day": "0001-01-01"}, "day"),
        ({"office": 2**64}, "office"),
    ],
)
def test_body_values_out_of_range_or_of_the_wrong_type_are_refused(api_as, body, field):
    response = api_as("county_office").post("/daily/draft", body)
    assert response.status_code == 422, response.content
    assert _fields(response) == {field}
