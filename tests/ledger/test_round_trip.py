"""An exported ledger, edited in Excel and brought back: the known problems are recognised,
the rows added by hand are imported, and nothing is recorded twice."""

from __future__ import annotations

import io

import pytest

from ducha.problems.models import Problem
from tests.ledger.conftest import api_upload, content, hours_ago, open_book

pytestmark = pytest.mark.django_db


def test_export_edit_import(world, api_as):
    first = world.problem(title="卡口未登记车辆", region="town", site=world.sites["checkpoint"])
    second = world.assigned(title="药店未登记购药人员")
    api = api_as("county_office")
    book = open_book(content(api.get("/ledger/export")))
    ws = book.active
    # Row 1 is the title line, which the import passes over.
    headings = [c.value for c in ws[2]]
    assert ws.max_row == 4
    # The keeper adds two problems below, leaving the number and the read-only columns empty.
    new = dict.fromkeys(headings)
    new |= {
        "问题": "隔离点消杀记录缺失",
        "地区": ws["D4"].value,
        "点位": ws["E4"].value,
        "督查重点": ws["F4"].value,
        "发现时间": hours_ago(3),
        "紧急程度": "紧急",
        "性质": "个性问题",
    }
    ws.append([new[h] for h in headings])
    ws.append([new[h] if h != "问题" else "学校晨检台账不全" for h in headings])
    # A copy of a known problem without its number: recognised by title, region and time.
    copied = [cell.value for cell in ws[4]]
    copied[0] = copied[headings.index("整改时限")] = None
    ws.append(copied)
    out = io.BytesIO()
    book.save(out)

    body = api_upload(api, out.getvalue()).json()
    assert body["rows_total"] == 5
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (3, "number", "existing_number"),
        (4, "number", "existing_number"),
        (7, "title", "already_recorded"),
    ]
    assert body["errors"][2]["message"] == f"系统中已有此问题（编号 {first.pk}）。"
    numbers = {e["row"]: e["message"] for e in body["errors"]}
    shown_first = max(first.pk, second.pk)  # the export lists the newest first
    assert f"编号 {shown_first}" in numbers[3]
    assert "导入只新增问题" in numbers[3]
    assert body["rows_valid"] == 2

    result = api.post(f"/ledger/imports/{body['id']}/confirm").json()
    assert result["state"] == "imported"
    assert [item["row"] for item in result["imported"]] == [5, 6]
    added = Problem.objects.exclude(pk__in=[first.pk, second.pk])
    assert {p.title for p in added} == {"隔离点消杀记录缺失", "学校晨检台账不全"}
    assert {p.site for p in added} == {world.sites["checkpoint"]}
    assert {p.urgency for p in added} == {"urgent"}

    # The same file again: every row is now known.
    again = api_upload(api, out.getvalue()).json()
    assert again["rows_valid"] == 0
    assert sorted(e["code"] for e in again["errors"]) == [
        "already_recorded",
        "already_recorded",
        "already_recorded",
        "existing_number",
        "existing_number",
    ]
