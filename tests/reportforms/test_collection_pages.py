"""一表通 pages: a committee's forms to fill, filling on one page (errors next to the fields,
what was typed kept), a department's view and its Excel sheet in the old layout."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from ducha.reportforms.models import FormReturn, ReportFormEvent
from tests.reportforms.collection_world import answers


def _post(client, form, org, **values):
    data = {"_org": org.pk, "_period": timezone.localdate().isoformat()}
    for key, value in answers(**values).items():
        data[key] = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    return client.post(f"/forms/{form.pk}/fill/", data)


def _field(html: str, key: str) -> str:
    """The markup of one field of the page."""
    return html.split(f'data-field="{key}"')[1].split('<div class="field')[0]


def test_a_committee_fills_its_form_on_one_page(merged, world, login):
    health = merged["health"]
    client = login(world, "village_handler")
    listed = client.get("/forms/fill/").content.decode()
    assert f'data-form="{health.pk}" data-done="0"' in listed
    assert f'data-form="{merged["market"].pk}"' not in listed
    page = client.get(f"/forms/{health.pk}/fill/")
    assert page.status_code == 200
    for name in ("returnees", "fever", "note", "market_open", "market_state", "checked_on"):
        assert f'name="{name}"' in page.content.decode()
    committee = world.orgs["village_committee"]
    sent = _post(client, health, committee)
    assert sent.status_code == 302
    assert FormReturn.objects.get().values["market_open"] is True
    listed = client.get("/forms/fill/").content.decode()
    assert f'data-form="{health.pk}" data-done="1"' in listed
    # Opened again, the page shows the answers given; filling it again updates them.
    assert 'value="12"' in _field(
        client.get(f"/forms/{health.pk}/fill/").content.decode(), "returnees"
    )
    assert _post(client, health, committee, returnees=13).status_code == 302
    assert FormReturn.objects.get().values["returnees"] == 13
    assert ReportFormEvent.objects.filter(action="fill").count() == 2


def test_a_refused_value_shows_next_to_its_field_as_the_api_words_it(merged, world, login, api_as):
    health = merged["health"]
    client = login(world, "village_handler")
    committee = world.orgs["village_committee"]
    for key, typed in [("returnees", "-1"), ("note", "很" * 51), ("market_state", "关闭")]:
        page = _post(client, health, committee, **{key: typed})
        assert page.status_code == 400
        field = _field(page.content.decode(), key)
        api = api_as("village_handler").post(
            f"/report-forms/{health.pk}/returns", {"values": answers(**{key: typed})}
        )
        assert api.status_code == 422
        assert escape(api.json()["detail"]) in field, (key, field)
        # What was typed is kept (a choice no longer offered is simply not selected).
        if key != "market_state":
            assert f'value="{typed}"' in field
    assert not FormReturn.objects.exists()


def test_each_department_reads_its_view_and_downloads_its_old_sheet(merged, world, login, api_as):
    health, market = merged["health"], merged["market"]
    filled = api_as("village_handler").post(
        f"/report-forms/{health.pk}/returns", {"values": answers()}
    )
    assert filled.status_code == 201
    client = login(world, "county_handler")
    page = client.get(f"/forms/{health.pk}/view/").content.decode()
    assert "发热人数" in page and "石门村" in page
    assert "市场状态" not in page
    sheet = client.get(f"/forms/{health.pk}/view.xlsx")
    assert sheet.status_code == 200
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    expected = api_as("county_handler").get(f"/report-forms/{health.pk}/view").json()["header"]
    assert rows[0][0] == "返乡人员健康监测日报表"
    assert list(rows[1]) == expected
    assert rows[2][0] == "石门村" and list(rows[2][2:]) == [12, 1, "已全部登记"]
    assert client.get(f"/forms/{market.pk}/view/").status_code == 404
    client.logout()
    client = login(world, "market_handler")
    page = client.get(f"/forms/{market.pk}/view/").content.decode()
    assert "市场状态" in page and "发热人数" not in page
    sheet = client.get(f"/forms/{market.pk}/view.xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    expected = api_as("market_handler").get(f"/report-forms/{market.pk}/view").json()["header"]
    assert rows[0][0] == "农贸市场排查日报表"
    assert list(rows[1]) == expected and rows[1][4] == "市场状态"
    assert rows[2][0] == "石门村" and rows[2][3:5] == (12, "正常")
    assert client.get(f"/forms/{health.pk}/view/").status_code == 404


def test_outsiders_neither_fill_nor_read(merged, world, login):
    health = merged["health"]
    assert (
        login(world, "sibling_village_handler").get(f"/forms/{health.pk}/fill/").status_code == 404
    )
    assert login(world, "sibling_office").get(f"/forms/{health.pk}/view/").status_code == 404
    assert login(world, "sibling_office").get(f"/forms/{health.pk}/view.xlsx").status_code == 404
    assert login(world, "county_office").get(f"/forms/{health.pk}/fill/").status_code == 403
    assert login(world, "village_handler").get(f"/forms/{health.pk}/view/").status_code == 403


def test_the_period_of_a_link_is_written_back_as_the_date_input_reads_it(merged, world, login):
    # An <input type="date"> shows ISO dates only; zh-Hans' usual 2026/03/01 would show empty.
    health = merged["health"]
    day = timezone.localdate().isoformat()
    page = login(world, "village_handler").get(f"/forms/{health.pk}/fill/?period={day}")
    assert f'name="_period" value="{day}"' in page.content.decode()
