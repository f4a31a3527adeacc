"""A ledger's text cells are held to the same bounds as the API's and the pages' fields: each
bad cell is reported on its row and column, and nothing of the row is looked up or saved."""

from __future__ import annotations

import pytest

from ducha.problems.models import Problem
from tests.ledger.conftest import api_upload, row, workbook

pytestmark = pytest.mark.django_db


def test_bad_text_cells_are_reported_by_row_and_column(world, api_as):
    rows = [
        row(),  # 2: fine
        row(问题="第一行\n第二行"),  # 3: a title is one line
        row(问题="制表\t符"),  # 4
        row(问题="长" * 201),  # 5
        row(描述="说" * 4001),  # 6
        row(描述="第一段\n第二段"),  # 7: a description may run over lines
        row(描述="<script>alert(1)</script>' OR 1=1; --"),  # 8: legal text, kept as is
    ]
    response = api_upload(api_as("county_office"), workbook(rows))
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (3, "title", "one_line"),
        (4, "title", "one_line"),
        (5, "title", "too_long"),
        (6, "description", "too_long"),
    ]
    messages = {e["row"]: e["message"] for e in body["errors"]}
    assert messages[6] == "最多 4000 个字，此处有 4001 个字。"
    assert (body["rows_total"], body["rows_valid"]) == (7, 3)
    assert not Problem.objects.exists()
