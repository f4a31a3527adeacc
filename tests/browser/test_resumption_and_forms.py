"""复工复产 and 一表通 in real Chromium: the county office imports its enterprise ledger from
Excel, reads the filing rate on the resumption dashboard and issues a bulletin that states the
same figures; a village committee fills the merged form once on a phone, and two departments
each read their own columns of it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from ducha.reportforms.models import FormReturn
from ducha.resumption.models import Enterprise
from tests.browser.conftest import ARTIFACTS, PHONE
from tests.browser.pick import pick
from tests.browser.test_loop import _log_in, _log_out
from tests.ledger.test_enterprise_import import days_ago, enterprise, ledger
from tests.reportforms.collection_world import add_village, make_form
from tests.world import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_imported_ledger_gives_the_rate_the_bulletin_states(live_server, browser, tmp_path):
    build_world()
    base = live_server.url
    workbook = tmp_path / "复工复产台账.xlsx"
    workbook.write_bytes(
        ledger(
            [
                enterprise(
                    name="双桥区甲制造有限公司", filed_on=days_ago(10), resumed_on=days_ago(5)
                ),
                enterprise(name="双桥区乙电子有限公司", filed_on=days_ago(8)),
                enterprise(name="双桥区丙材料有限公司"),
            ]
        )
    )
    office = browser.new_context(locale="zh-CN").new_page()
    _log_in(office, base, "county_office")

    # 导入: the template's columns, filled in a spreadsheet, uploaded and checked, imported.
    office.goto(f"{base}/ledger/enterprises/")
    office.set_input_files("[data-testid=upload-form] input[type=file]", str(workbook))
    office.click("[data-testid=upload-form] button[type=submit]")
    office.wait_for_selector("[data-testid=confirm]")
    office.click("[data-testid=confirm]")
    office.wait_for_selector("[data-testid=imported-enterprises]")
    assert Enterprise.objects.count() == 3

    # 复工率: the dashboard counts the ledger as of today.
    office.goto(f"{base}/reports/resumption/")
    sentence = office.inner_text("[data-testid=sentence] >> nth=0")
    assert "3" in sentence and "66.67" in sentence and "33.33" in sentence, sentence
    office.screenshot(path=str(ARTIFACTS / "resumption-dashboard.png"), full_page=True)

    # 通报: the bulletin drafted today states the same sentence.
    office.goto(f"{base}/documents/new/?kind=bulletin")
    pick(office, "[data-testid=draft-form]", "issuer", "双桥区", "双桥区督查办")
    office.click("[data-testid=draft-form] button[type=submit]")
    office.wait_for_selector("[data-testid=preview]")
    assert sentence in office.inner_text("[data-testid=preview]")
    office.screenshot(path=str(ARTIFACTS / "bulletin-resumption.png"), full_page=True)


def test_a_village_fills_once_and_each_department_reads_its_own_columns(live_server, browser):
    world = build_world()
    add_village(world, "village", "石门村", "town", "130802100201")
    health = make_form(
        world,
        number=1,
        name="返乡人员健康监测日报表",
        department="county_dept",
        items=[
            {"label": "返乡人数", "key": "returnees", "kind": "integer", "unit": "人"},
            {
                "label": "发热人数",
                "key": "fever",
                "kind": "integer",
                "unit": "人",
                "min_value": Decimal(0),
            },
        ],
    )
    market = make_form(
        world,
        number=2,
        name="农贸市场排查日报表",
        department="county_market_dept",
        decision="merge",
        merged_into=health,
        items=[
            {"label": "返乡人员", "key": "returnees", "kind": "integer", "unit": "人"},
            {
                "label": "市场状态",
                "key": "market_state",
                "kind": "choice",
                "choices": ["正常", "停业"],
            },
        ],
    )
    base = live_server.url
    phone = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="zh-CN"
    ).new_page()

    # 一表通: the committee finds one form to fill today, though two departments ask.
    _log_in(phone, base, "village_handler")
    phone.goto(f"{base}/forms/fill/")
    assert phone.locator("[data-form]").count() == 1
    phone.click(f"[data-form='{health.pk}'][data-done='0']")
    phone.wait_for_selector("[data-testid=fill-form]")
    phone.fill("input[name=returnees]", "12")
    phone.fill("input[name=fever]", "-1")
    phone.select_option("select[name=market_state]", "正常")
    phone.click("[data-testid=fill-form] button[type=submit]")
    # Refused: the field says why, and what was typed stays.
    phone.wait_for_selector("[data-field=fever] [data-testid=field-error]")
    assert phone.input_value("input[name=returnees]") == "12"
    assert not FormReturn.objects.exists()
    phone.fill("input[name=fever]", "1")
    phone.click("[data-testid=fill-form] button[type=submit]")
    phone.wait_for_selector(f"[data-form='{health.pk}'][data-done='1']")
    phone.screenshot(path=str(ARTIFACTS / "collection-filled-phone.png"), full_page=True)
    _log_out(phone)
    assert FormReturn.objects.count() == 1

    # 部门视图: each department reads the same filling in its own old columns.
    for username, form, own, other in [
        ("county_handler", health, "发热人数", "市场状态"),
        ("market_handler", market, "市场状态", "发热人数"),
    ]:
        desk = browser.new_context(locale="zh-CN").new_page()
        _log_in(desk, base, username)
        desk.goto(f"{base}/forms/{form.pk}/view/")
        table = desk.inner_text("[data-testid=view-table]")
        assert own in table and other not in table, (username, table)
        assert "石门村" in table and re.search(r"\b12\b", table), table
        desk.context.close()
