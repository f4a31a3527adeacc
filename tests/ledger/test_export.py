"""Exporting the problem list to Excel: the same problems as the list, nothing out of scope,
text that never turns into a formula, real dates in local time."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest

from ducha.problems.models import FocusArea, Problem
from tests.ledger.conftest import (
    EXPORT_HEADINGS,
    FILTERS,
    FORMULAS,
    content,
    list_ids,
    local,
    open_book,
    sheet_rows,
    stats_found,
)

pytestmark = pytest.mark.django_db


def _exported_ids(data: bytes) -> list[int]:
    # Row 1 is the title, row 2 the header.
    return [row[0] for row in sheet_rows(data)[2:]]


@pytest.mark.parametrize("filters", FILTERS)
def test_the_file_holds_exactly_the_filtered_list(world, problems, login, filters):
    client = login(world, "county_office")
    listed = client.get("/problems/", filters)
    assert listed.status_code == 200
    exported = client.get("/ledger/export/", filters)
    assert exported.status_code == 200
    ids = _exported_ids(content(exported))
    assert len(ids) == stats_found(listed)
    # The list pages 25 at a time; these sets are smaller, so one page shows them all.
    assert ids == list_ids(listed)


def test_region_filter_takes_the_subtree(world, problems, login):
    client = login(world, "county_office")
    town = world.orgs["town"].pk
    ids = _exported_ids(content(client.get("/ledger/export/", {"region": town})))
    assert ids == [problems["town"].pk]


def test_out_of_scope_problems_never_appear(world, problems, login):
    county = _exported_ids(content(login(world, "county_office").get("/ledger/export/")))
    assert problems["sibling"].pk not in county
    assert set(county) == set(
        Problem.objects.visible_to(world.users["county_office"]).values_list("pk", flat=True)
    )
    town_office = _exported_ids(content(login(world, "town_office").get("/ledger/export/")))
    assert town_office == [problems["town"].pk]
    handler = _exported_ids(content(login(world, "county_handler").get("/ledger/export/")))
    assert set(handler) == {problems["assigned"].pk, problems["overdue"].pk}
    city = _exported_ids(content(login(world, "city_office").get("/ledger/export/")))
    assert problems["sibling"].pk in city and problems["town"].pk in city


def test_a_region_outside_the_jurisdiction_is_not_a_filter_loophole(world, problems, login):
    client = login(world, "county_office")
    response = client.get("/ledger/export/", {"region": world.orgs["sibling"].pk})
    # The list refuses the choice; the export sends the user there instead of a file.
    assert response.status_code == 302
    assert response["Location"].startswith("/problems/?")


def test_someone_without_a_role_gets_an_empty_ledger(world, problems, login):
    response = login(world, "outsider").get("/ledger/export/")
    rows = sheet_rows(content(response))
    assert rows[1:] == [tuple(EXPORT_HEADINGS)]


def test_the_export_needs_a_login(client, world):
    response = client.get("/ledger/export/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_text_never_becomes_a_formula(world, problems, login):
    data = content(login(world, "county_office").get("/ledger/export/", {"q": "HYPERLINK"}))
    ws = open_book(data).active
    title, description = ws["B3"], ws["C3"]
    assert title.value == FORMULAS[0] and title.data_type == "s"
    assert description.value == FORMULAS[1] and description.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    assert 't="inlineStr"' in sheet


def test_columns_header_dates_and_labels(world, problems, login):
    data = content(login(world, "county_office").get("/ledger/export/", {"q": "镇卡口"}))
    book = open_book(data)
    ws = book.active
    assert ws.title == "问题台账"
    assert ws.freeze_panes == "A3"
    assert [c.value for c in ws[2]] == EXPORT_HEADINGS
    assert all(c.font.b for c in ws[2])
    assert ws.column_dimensions["B"].width >= 30
    assert ws.auto_filter.ref == "A2:X3"
    values = dict(zip(EXPORT_HEADINGS, [c.value for c in ws[3]], strict=True))
    town = problems["town"]
    assert values["编号"] == town.pk
    assert values["地区"] == "河北省/承德市/双桥区/水泉沟镇"
    assert values["点位"] == "双桥区高速卡口"
    assert values["督查重点"] == "排查"
    assert values["状态"] == "待交办"
    assert values["紧急程度"] == "一般"
    assert values["性质"] == "个性问题"
    assert values["红黄绿灯"] == "绿灯"
    assert values["立行立改"] == "否" and values["反复"] == "否"
    assert values["记录人"] == "区督查办干部"
    found = ws["H3"]
    assert found.is_date and found.number_format == "yyyy-mm-dd hh:mm"
    assert abs(found.value - local(town.found_at)) < timedelta(seconds=1)
    assert abs(values["整改时限"] - local(town.deadline)) < timedelta(seconds=1)


def test_closed_and_overdue_rows(world, problems, login):
    data = content(login(world, "county_office").get("/ledger/export/"))
    rows = {r[0]: dict(zip(EXPORT_HEADINGS, r, strict=True)) for r in sheet_rows(data)[2:]}
    closed = Problem.objects.get(pk=problems["closed"].pk)
    row = rows[closed.pk]
    assert row["状态"] == "已销号" and row["立行立改"] == "是" and row["红黄绿灯"] is None
    assert abs(row["销号时间"] - local(closed.closed_at)) < timedelta(seconds=1)
    assert row["整改用时（小时）"] == round(closed.time_to_close.total_seconds() / 3600, 1)
    overdue = rows[problems["overdue"].pk]
    assert overdue["红黄绿灯"] == "红灯" and overdue["承办单位"] == "双桥区卫健局"
    assert overdue["状态"] == "已交办"
    common = rows[problems["urgent"].pk]
    assert common["紧急程度"] == "紧急" and common["性质"] == "共性问题"


def test_the_list_shows_the_export_link_with_its_filters_and_import_for_recorders(
    world, problems, login
):
    page = login(world, "county_office").get("/problems/", {"state": "assigned", "page": "1"})
    html = page.content.decode()
    assert 'href="/ledger/export/?state=assigned"' in html
    assert 'href="/ledger/imports/"' in html
    assert "导出 Excel</a>" in html and ">导入</a>" in html
    leader = login(world, "county_leader").get("/problems/").content.decode()
    assert 'href="/ledger/export/"' in leader
    assert "/ledger/imports/" not in leader


def test_too_many_rows_for_one_file_are_refused(world, problems, login, settings):
    settings.DUCHA_LEDGER_EXPORT_MAX_ROWS = 2
    client = login(world, "county_office")
    response = client.get("/ledger/export/", follow=True)
    assert response.redirect_chain[0][0].startswith("/problems/")
    assert "请缩小筛选范围" in response.content.decode()
    assert len(_exported_ids(content(client.get("/ledger/export/", {"state": "assigned"})))) == 2


def test_an_inactive_focus_area_still_exports(world, problems, login):
    FocusArea.objects.filter(code="screening").update(active=False)
    data = content(login(world, "county_office").get("/ledger/export/"))
    # Less the title row and the header.
    assert len(sheet_rows(data)) - 2 == stats_found(login(world, "county_office").get("/problems/"))
