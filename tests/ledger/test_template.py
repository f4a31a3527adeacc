"""The import template: it opens, its dropdowns exist, its reference lists the user's own."""

from __future__ import annotations

import pytest

from ducha.problems.models import FocusArea
from tests.ledger.conftest import HEADINGS, api_upload, content, open_book

pytestmark = pytest.mark.django_db


def _column(ws, letter: str) -> list:
    values = [cell.value for cell in ws[letter][1:]]
    return [value for value in values if value is not None]


def _validations(ws) -> dict[str, str]:
    """sqref → the list the dropdown draws on."""
    return {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}


def test_the_template_opens_with_its_three_sheets_and_dropdowns(world, login):
    response = login(world, "county_office").get("/ledger/template/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = open_book(content(response))
    assert book.sheetnames == ["问题台账", "填写说明", "参考信息"]
    data, instructions, reference = book.worksheets
    assert [c.value for c in data[1]] == HEADINGS
    assert data.freeze_panes == "A2"
    assert data.max_row == 1
    dropdowns = _validations(data)
    focus = FocusArea.objects.filter(active=True).count()
    assert dropdowns == {
        "E2:E20001": "'参考信息'!$H$2:$H$" + str(focus + 1),
        "F2:F20001": "'参考信息'!$G$2:$G$2",
        "H2:H20001": "'参考信息'!$I$2:$I$3",
        "I2:I20001": "'参考信息'!$J$2:$J$3",
    }
    assert all(
        v.type == "list" and v.showErrorMessage for v in data.data_validations.dataValidation
    )
    assert _column(reference, "H") == list(
        FocusArea.objects.filter(active=True).values_list("name", flat=True)
    )
    assert _column(reference, "I") == ["一般", "紧急"]
    assert _column(reference, "J") == ["个性问题", "共性问题"]
    text = "\n".join(str(c.value) for c in instructions["A"])
    assert "问题导入模板填写说明" in text and "必填列：问题、地区、督查重点、发现时间。" in text
    assert "河北省/承德市/双桥区" in text


def test_the_reference_lists_only_what_the_user_may_name(world, login):
    reference = open_book(content(login(world, "county_office").get("/ledger/template/")))[
        "参考信息"
    ]
    assert [c.value for c in reference[1]] == [
        "地区（完整路径）",
        "行政区划代码",
        "点位",
        "点位所在地区",
        "承办单位",
        "承办单位所在地区",
        "发现组",
        "督查重点",
        "紧急程度",
        "性质",
    ]
    regions = _column(reference, "A")
    assert regions == ["河北省/承德市/双桥区", "河北省/承德市/双桥区/水泉沟镇"]
    assert _column(reference, "B") == ["130802", "130802100"]
    assert _column(reference, "C") == ["双桥区高速卡口"]
    assert _column(reference, "D") == ["河北省/承德市/双桥区/水泉沟镇"]
    # Regions take problems too (a town for what lies in it), as on the problem pages; the
    # order is the tree's paths, which the two databases sort apart where digits differ.
    assert sorted(_column(reference, "E")) == sorted(
        ["双桥区", "双桥区卫健局", "双桥区市场监管局", "水泉沟镇"]
    )
    assert _column(reference, "G") == ["双桥区督查组"]
    assert "双滦区" not in str([c.value for row in reference.iter_rows() for c in row])


def test_a_team_member_gets_no_units(world, api_as):
    response = api_as("county_team_member").get("/ledger/template")
    assert response.status_code == 200
    reference = open_book(content(response))["参考信息"]
    assert _column(reference, "E") == []
    assert _column(reference, "A") == ["河北省/承德市/双桥区", "河北省/承德市/双桥区/水泉沟镇"]


@pytest.mark.parametrize("persona", ["county_handler", "county_leader", "county_discipline"])
def test_roles_that_do_not_record_problems_get_no_template(world, login, api_as, persona):
    assert login(world, persona).get("/ledger/template/").status_code == 403
    assert api_as(persona).get("/ledger/template").status_code == 403


def test_the_template_filled_in_comes_back_clean(world, api_as):
    """The downloaded template, filled in with values from its own reference, passes."""
    import io

    api = api_as("county_office")
    book = open_book(content(api.get("/ledger/template")))
    data, reference = book["问题台账"], book["参考信息"]
    region, site = reference["D2"].value, reference["C2"].value
    data.append(
        [
            "通道堆放杂物",
            "",
            region,
            site,
            reference["H2"].value,
            reference["G2"].value,
            "2026-01-04 10:00",
            reference["I3"].value,
            reference["J2"].value,
            reference["E2"].value,
            None,
        ]
    )
    out = io.BytesIO()
    book.save(out)
    body = api_upload(api, out.getvalue()).json()
    assert body["errors"] == [] and body["rows_valid"] == 1
