"""The enterprise import pages: the template, the upload, the report and the result; and the
problem pages keep their own batches."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from ducha.ledger.enterprises import ENTERPRISE_COLUMNS
from ducha.ledger.models import ImportBatch
from ducha.resumption.models import Enterprise
from tests.ledger.conftest import row, upload_file, workbook
from tests.ledger.test_enterprise_import import days_ago, enterprise, heading, ledger

pytestmark = pytest.mark.django_db


def _error_rows(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'data-row="(\d+)" data-column="(\w+)" data-code="(\w+)"', html)


def test_the_template_has_the_columns_and_the_uploaders_regions(world, login):
    client = login(world, "county_office")
    response = client.get("/ledger/enterprises/template/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    data = book.worksheets[0]
    assert data.title == str(ENTERPRISE_COLUMNS.sheet)
    header = [cell.value for cell in next(data.iter_rows(max_row=1))]
    assert header == [str(column.label) for column in ENTERPRISE_COLUMNS.importable]
    reference = [row for row in book.worksheets[2].iter_rows(values_only=True)]
    regions = {row[0] for row in reference[1:]}
    assert "河北省/承德市/双桥区/水泉沟镇" in regions
    assert not any("双滦区" in str(region) for region in regions)
    bodies = {row[2] for row in reference[1:]}
    assert "双桥区卫健局" in bodies
    assert login(world, "county_handler").get("/ledger/enterprises/template/").status_code == 403


def test_upload_report_then_only_the_valid_rows(world, login):
    client = login(world, "county_office")
    page = client.get("/ledger/enterprises/")
    assert page.status_code == 200
    assert 'href="/ledger/enterprises/template/"' in page.content.decode()
    data = ledger(
        [
            enterprise(name="甲厂", filed_on=days_ago(4), resumed_on=days_ago(2)),
            enterprise(name="乙厂", region="双滦区"),
            enterprise(name="丙厂", filed_on=days_ago(90)),  # before its registration
        ]
    )
    response = client.post("/ledger/enterprises/", {"file": upload_file(data, "台账.xlsx")})
    assert response.status_code == 302, response.content.decode()[-2000:]
    batch = ImportBatch.objects.get()
    assert batch.kind == "enterprises"
    assert response["Location"] == f"/ledger/imports/{batch.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert _error_rows(html) == [("3", "region", "region_not_found"), ("4", "filed_on", "refused")]
    assert heading("filed_on") in html
    assert days_ago(60).isoformat() in html  # the registration day the filing may not precede
    assert 'data-testid="confirm"' in html
    done = client.post(f"/ledger/imports/{batch.pk}/confirm/", follow=True).content.decode()
    ent = Enterprise.objects.get()
    assert (ent.name, ent.status) == ("甲厂", "resumed")
    assert f'data-enterprise="{ent.pk}" data-created="1"' in done
    assert 'data-testid="confirm"' not in done
    listed = client.get("/ledger/enterprises/").content.decode()
    assert f'data-batch="{batch.pk}"' in listed
    # The problem ledger's page lists its own batches only.
    assert f'data-batch="{batch.pk}"' not in client.get("/ledger/imports/").content.decode()


def test_import_nothing_from_the_page(world, login):
    client = login(world, "county_office")
    data = ledger([enterprise(), enterprise(name="乙厂", category="不知道")])
    client.post("/ledger/enterprises/", {"file": upload_file(data)})
    batch = ImportBatch.objects.get()
    html = client.post(f"/ledger/imports/{batch.pk}/cancel/", follow=True).content.decode()
    assert 'data-testid="cancelled"' in html
    assert Enterprise.objects.count() == 0


def test_a_wrong_file_is_refused_on_the_page(world, login):
    client = login(world, "county_office")
    # A problem ledger's headings are not an enterprise ledger's.
    response = client.post("/ledger/enterprises/", {"file": upload_file(workbook([row()]))})
    assert response.status_code == 422
    assert ImportBatch.objects.count() == 0
    refused = login(world, "county_handler").get("/ledger/enterprises/")
    assert refused.status_code == 403
