"""A problem list names exactly what the problem list page shows for the same filters, in Word
and in Excel, and "not yet listed" leaves out what an earlier list of the office named."""

from __future__ import annotations

import pytest

from ducha.problems import actions
from ducha.problems.models import Problem
from tests.documents.helpers import county, issue, open_docx, open_xlsx, table_rows

pytestmark = pytest.mark.django_db


def _listed_ids(api, **filters) -> list[int]:
    response = api.get("/problems", {"page_size": 200, **filters})
    return sorted(item["id"] for item in response.json()["items"])


def test_the_list_names_what_the_problem_list_shows_for_the_same_filters(world, api_as):
    found = county(world)
    api = api_as("county_office")
    filters = {"responsible_org": world.orgs["county_dept"].pk, "state": "assigned"}
    document = issue(api, "problem_list", filters=filters)
    named = [entry["problem"]["id"] for entry in document["problems"]]
    assert sorted(named) == _listed_ids(api, **filters)
    assert set(named) == {found.overdue.pk, found.open.pk, found.town.pk}
    # In the order they were found, numbered from 1.
    by_found = list(Problem.objects.filter(pk__in=named).order_by("found_at", "pk"))
    assert named == [problem.pk for problem in by_found]
    rows = table_rows(open_docx(api, document).tables[0])
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert [row[1] for row in rows[1:]] == [problem.title for problem in by_found]
    assert {row[5] for row in rows[1:]} == {"双桥区卫健局"}
    assert [entry["position"] for entry in document["problems"]] == [1, 2, 3]


def test_the_workbook_has_the_same_rows_as_text_with_the_header_frozen(world, api_as):
    found = county(world)
    office = world.users["county_office"]
    # A title that a spreadsheet would take for a formula stays text.
    formula = actions.do_assign(
        world.problem(title='=HYPERLINK("http://example.com")'),
        acting_user=office,
        responsible_org=world.orgs["county_dept"],
    )
    api = api_as("county_office")
    document = issue(api, "problem_list", filters={"state": "assigned"})
    word_rows = table_rows(open_docx(api, document).tables[0])
    book = open_xlsx(api, document)
    sheet = book.active
    # An empty cell (a problem without a site) reads back as None.
    values = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert values == word_rows
    assert sheet.freeze_panes == "A2"
    filled = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    assert filled and all(cell.data_type == "s" for cell in filled)
    assert formula.title in [row[1] for row in values]
    assert sheet.column_dimensions["B"].width >= 30
    assert sheet.title == document["serial"]
    assert found.new.title not in [row[1] for row in values]
    assert book.properties.title == f"{document['reference']} {document['title']}"


def test_not_listed_leaves_out_what_an_earlier_list_named(world, api_as):
    found = county(world)
    api = api_as("county_office")
    first = issue(api, "problem_list", filters={"state": "assigned", "not_listed": True})
    assert first["serial"] and first["number"] == 1
    office = world.users["county_office"]
    later = actions.do_assign(
        world.problem(title="新发现的卡口问题"),
        acting_user=office,
        responsible_org=world.orgs["county_dept"],
    )
    second = issue(api, "problem_list", filters={"state": "assigned", "not_listed": True})
    assert [entry["problem"]["id"] for entry in second["problems"]] == [later.pk]
    assert second["number"] == 2
    # Nothing left to list: the draft is refused on the filters.
    response = api.post(
        "/documents", {"kind": "problem_list", "filters": {"state": "assigned", "not_listed": True}}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "filters"
    assert found.overdue.pk in [entry["problem"]["id"] for entry in first["problems"]]
