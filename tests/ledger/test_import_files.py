"""Whole files that are refused, each with a clear reason, and nothing kept of them."""

from __future__ import annotations

import io
import zipfile

import pytest

from ducha.ledger.models import ImportBatch
from tests.ledger.conftest import HEADINGS, api_upload, row, upload_file, workbook

pytestmark = pytest.mark.django_db


def _docx_like() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def _bomb() -> bytes:
    """A small zip that claims an .xlsx's shape and unpacks to far more than it weighs."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
        package.writestr("xl/worksheets/sheet1.xml", " " * 3_000_000)
    return out.getvalue()


CASES = [
    ("empty", b"", "文件为空"),
    ("text", "问题,地区\n卡口,双桥区\n".encode(), "这不是 Excel 工作簿（.xlsx）"),
    ("old xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel 文件（.xls）"),
    ("docx", _docx_like(), "这不是 Excel 工作簿（.xlsx）"),
    ("damaged", b"PK\x03\x04" + b"\0" * 200, "这不是 Excel 工作簿（.xlsx）"),
    (
        "unknown heading",
        workbook([row()], headings=[*HEADINGS, "备注"]),
        "无法识别的列：备注。",
    ),
    (
        "heading twice",
        workbook([row()], headings=[*HEADINGS, "问题"]),
        "以下列重复出现：问题。",
    ),
    (
        "required heading missing",
        workbook([row()], headings=[h for h in HEADINGS if h not in ("地区", "发现时间")]),
        "缺少必填列：地区、发现时间。",
    ),
    ("no heading row", workbook([], headings=[]), "第一行必须是模板的列标题。"),
    ("no rows", workbook([None, None]), "标题行以下没有问题数据。"),
]


@pytest.mark.parametrize(("case", "data", "message"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_file_is_refused_over_the_api(world, api_as, case, data, message):
    response = api_upload(api_as("county_office"), data)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == "file"
    assert message in body["detail"]
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(("case", "data", "message"), CASES[:6], ids=[c[0] for c in CASES[:6]])
def test_a_bad_file_is_refused_on_the_page(world, login, case, data, message):
    response = login(world, "county_office").post("/ledger/imports/", {"file": upload_file(data)})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_too_large(world, api_as, settings):
    settings.DUCHA_LEDGER_MAX_BYTES = 1000
    response = api_upload(api_as("county_office"), workbook([row()]))
    assert response.status_code == 422
    assert "文件过大，上限为 1000" in response.json()["detail"]


def test_a_file_that_unpacks_too_large(world, api_as, settings):
    settings.DUCHA_LEDGER_MAX_UNPACKED_BYTES = 1_000_000
    response = api_upload(api_as("county_office"), _bomb())
    assert response.status_code == 422
    assert "工作簿解压后过大" in response.json()["detail"]


def test_too_many_rows(world, api_as, settings):
    settings.DUCHA_LEDGER_MAX_ROWS = 3
    data = workbook([row(), row(), None, row(), row()])
    response = api_upload(api_as("county_office"), data)
    assert response.status_code == 422
    assert "文件中的问题超过 3 个，请拆分为多个文件。" in response.json()["detail"]
    exactly = api_upload(api_as("county_office"), workbook([row(), None, row(), row()]))
    assert exactly.status_code == 201


def test_no_file_at_all(world, api_as, login):
    api = api_as("county_office")
    assert api.client.post("/api/v1/ledger/imports", {}).status_code == 422
    page = login(world, "county_office").post("/ledger/imports/", {})
    assert page.status_code == 422
    assert not ImportBatch.objects.exists()


def test_the_data_sheet_is_found_by_name_and_headings_in_any_language(world, api_as):
    english = ["Problem", "Region", "Focus area", "Found at"]
    data = workbook(
        [
            {
                "Problem": "卡口无人",
                "Region": "双桥区",
                "Focus area": "排查",
                "Found at": "2026-01-05 08:00",
            }
        ],
        headings=english,
        sheet="Problems",
    )
    body = api_upload(api_as("county_office"), data).json()
    assert body["errors"] == [] and body["rows_valid"] == 1
    assert body["sheet"] == "Problems"
