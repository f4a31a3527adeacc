"""GET /api/v1/ledger/export takes the query of GET /api/v1/problems and returns that list."""

from __future__ import annotations

import pytest

from tests.ledger.conftest import FILTERS, content, sheet_rows

pytestmark = pytest.mark.django_db

API_FILTERS = [
    {key: {"1": "true", "0": "false"}.get(value, value) for key, value in filters.items()}
    for filters in FILTERS
]


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return [row[0] for row in sheet_rows(content(response))[2:]]


@pytest.mark.parametrize("filters", API_FILTERS)
def test_the_file_holds_what_get_problems_lists(world, problems, api_as, filters):
    api = api_as("county_office")
    listed = api.get("/problems", {**filters, "page_size": 200}).json()
    exported = _ids(api.get("/ledger/export", {**filters, "page": 1, "page_size": 1}))
    assert len(exported) == listed["count"] == listed["stats"]["found"]
    assert exported == [item["id"] for item in listed["items"]]


def test_token_callers_export_too_and_scope_holds(world, problems, token_as):
    ids = _ids(token_as("sibling_office").get("/ledger/export"))
    assert ids == [problems["sibling"].pk]


def test_region_filter_and_its_scope(world, problems, api_as):
    api = api_as("county_office")
    assert _ids(api.get("/ledger/export", {"region": world.orgs["town"].pk})) == [
        problems["town"].pk
    ]
    refused = api.get("/ledger/export", {"region": world.orgs["sibling"].pk})
    assert refused.status_code == 422
    assert refused.json()["field"] == "region"


def test_bad_filters_are_422_and_anonymous_is_401(world, problems, api_as, anonymous):
    response = api_as("county_office").get("/ledger/export", {"state": "lost"})
    assert response.status_code == 422
    assert anonymous.get("/ledger/export").status_code == 401


def test_too_many_rows_are_refused(world, problems, api_as, settings):
    settings.DUCHA_LEDGER_EXPORT_MAX_ROWS = 3
    response = api_as("county_office").get("/ledger/export")
    assert response.status_code == 422
    assert "缩小筛选范围" in response.json()["detail"]


def test_the_download_is_named_in_chinese(world, problems, api_as):
    response = api_as("county_office").get("/ledger/export")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition.lower()
    assert "%E9%97%AE%E9%A2%98%E5%8F%B0%E8%B4%A6" in disposition  # 问题台账
