"""The exported ledger reads and prints as a document: a title row with the scope and the
time, wrapped descriptions, landscape pages one page wide with the header on every page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.ledger.conftest import EXPORT_HEADINGS, content, open_book

pytestmark = pytest.mark.django_db


def test_the_title_row_names_the_scope_and_the_time(world, problems, login):
    ws = open_book(content(login(world, "county_office").get("/ledger/export/"))).active
    title = ws["A1"].value
    assert "问题台账" in title and "双桥区督查办" in title
    assert timezone.localtime().strftime("%Y-%m-%d") in title
    assert ws["A1"].font.b and ws["A1"].font.sz > ws["A2"].font.sz
    assert [str(merged) for merged in ws.merged_cells.ranges] == ["A1:X1"]
    assert [c.value for c in ws[2]] == EXPORT_HEADINGS


def test_a_region_filter_is_the_scope_and_other_filters_are_said(world, problems, login):
    client = login(world, "county_office")
    town = open_book(content(client.get("/ledger/export/", {"region": world.orgs["town"].pk})))
    assert "水泉沟镇" in town.active["A1"].value
    assert "双桥区督查办" not in town.active["A1"].value
    filtered = open_book(content(client.get("/ledger/export/", {"state": "assigned"})))
    plain = open_book(content(client.get("/ledger/export/")))
    assert filtered.active["A1"].value != plain.active["A1"].value


def test_descriptions_wrap(world, problems, login):
    ws = open_book(content(login(world, "county_office").get("/ledger/export/"))).active
    description = EXPORT_HEADINGS.index("描述") + 1
    assert ws.cell(row=3, column=description).alignment.wrap_text
    assert not ws.cell(row=3, column=EXPORT_HEADINGS.index("问题") + 1).alignment.wrap_text


def test_print_settings(world, problems, login, api_as):
    for data in (
        content(login(world, "county_office").get("/ledger/export/")),
        content(api_as("county_office").get("/ledger/export")),
    ):
        ws = open_book(data).active
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$1:$2"
