"""Importing a ledger through the API: the report, then nothing or only the valid rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.ledger.models import ImportBatch, ImportedProblem, ImportEvent
from ducha.problems.models import Problem, ProblemEvent
from tests.ledger.conftest import api_upload, hours_ago, local, row, workbook

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Problem.objects.count(), ProblemEvent.objects.count(), ImportedProblem.objects.count()


def _mixed_file() -> bytes:
    """Rows 2 and 5 are fine, row 3 has no title, row 4 is blank, row 6 names a unit."""
    future = local(timezone.now() + timedelta(days=5)).replace(second=0)
    return workbook(
        [
            row(问题="小区出入口无人值守", 点位="双桥区高速卡口", 地区="双桥区/水泉沟镇"),
            row(问题=None),
            None,
            row(问题="药店未登记购药人员", 紧急程度="紧急", 性质="共性问题", 描述="多次提醒未改"),
            row(问题="学校消杀记录不全", 承办单位="双桥区卫健局", 整改时限=future, 地区="130802"),
        ]
    )


def test_valid_rows_only_imports_exactly_those(world, api_as):
    api = api_as("county_office")
    response = api_upload(api, _mixed_file())
    assert response.status_code == 201, response.content
    batch = response.json()
    assert batch["state"] == "validated"
    assert (batch["rows_total"], batch["rows_valid"], batch["rows_invalid"]) == (4, 3, 1)
    assert [(e["row"], e["column"], e["code"]) for e in batch["errors"]] == [
        (3, "title", "required")
    ]
    assert batch["errors"][0]["column_label"] == "问题"
    assert batch["errors"][0]["message"] == "此项必须填写。"
    before = _counts()
    confirmed = api.post(f"/ledger/imports/{batch['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.content
    result = confirmed.json()
    assert result["state"] == "imported"
    assert [item["row"] for item in result["imported"]] == [2, 5, 6]
    created = Problem.objects.filter(pk__in=[i["problem"]["id"] for i in result["imported"]])
    assert Problem.objects.count() == before[0] + 3
    by_title = {p.title: p for p in created}
    school = by_title["学校消杀记录不全"]
    assert school.state == "assigned" and school.responsible_org == world.orgs["county_dept"]
    assert school.region == world.orgs["county"]
    pharmacy = by_title["药店未登记购药人员"]
    assert (pharmacy.urgency, pharmacy.nature) == ("urgent", "common")
    assert pharmacy.description == "多次提醒未改"
    gate = by_title["小区出入口无人值守"]
    assert gate.site == world.sites["checkpoint"] and gate.region == world.orgs["town"]
    assert gate.found_by == world.users["county_office"] and gate.state == "new"
    for item in result["imported"]:
        event = ProblemEvent.objects.get(problem_id=item["problem"]["id"], action="create")
        assert event.payload["source"] == {"import": batch["id"], "row": item["row"]}
    actions = list(
        ImportEvent.objects.filter(batch_id=batch["id"]).values_list("action", flat=True)
    )
    assert actions == ["upload", "validate", "confirm", "import"]


def test_import_nothing_leaves_the_database_as_it_was(world, api_as):
    api = api_as("county_office")
    batch = api_upload(api, _mixed_file()).json()
    before = _counts()
    cancelled = api.post(f"/ledger/imports/{batch['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == "cancelled"
    assert _counts() == before
    again = api.post(f"/ledger/imports/{batch['id']}/confirm")
    assert again.status_code == 409
    assert _counts() == before
    assert ImportBatch.objects.get(pk=batch["id"]).state == "cancelled"


def test_confirming_twice_imports_once(world, api_as):
    api = api_as("county_office")
    batch = api_upload(api, _mixed_file()).json()
    first = api.post(f"/ledger/imports/{batch['id']}/confirm")
    after_first = _counts()
    second = api.post(f"/ledger/imports/{batch['id']}/confirm")
    assert second.status_code == 200
    assert second.json()["imported"] == first.json()["imported"]
    assert _counts() == after_first
    assert ImportEvent.objects.filter(batch_id=batch["id"], action="import").count() == 1


def test_a_file_with_no_valid_row_cannot_be_confirmed(world, api_as):
    api = api_as("county_office")
    batch = api_upload(api, workbook([row(问题=None), row(地区="不存在的地区")])).json()
    assert batch["rows_valid"] == 0
    before = _counts()
    assert api.post(f"/ledger/imports/{batch['id']}/confirm").status_code == 409
    assert _counts() == before


def test_a_row_that_fails_at_import_time_undoes_every_row(world, api_as):
    """Between the check and the confirmation the site moved out of reach: nothing stays."""
    api = api_as("county_office")
    data = workbook(
        [
            row(问题="第一个问题"),
            row(问题="第二个问题"),
            row(问题="最后一个问题", 点位="双桥区高速卡口", 地区="双桥区/水泉沟镇"),
        ]
    )
    batch = api_upload(api, data).json()
    assert batch["rows_valid"] == 3
    site = world.sites["checkpoint"]
    site.region = world.orgs["sibling"]
    site.save()
    before = _counts()
    response = api.post(f"/ledger/imports/{batch['id']}/confirm")
    assert response.status_code == 200
    failed = response.json()
    assert failed["state"] == "failed"
    assert failed["failure"]["code"] == "row_failed"
    assert "第 4 行无法导入" in failed["failure"]["message"]
    assert "本次未导入任何问题" in failed["failure"]["message"]
    assert _counts() == before
    assert failed["imported"] == []


def test_existing_problems_and_repeated_rows_are_reported(world, api_as):
    existing = world.problem(title="卡口未测温", found_at=timezone.now() - timedelta(hours=3))
    api = api_as("county_office")
    found = local(existing.found_at)
    data = workbook(
        [
            row(问题="卡口未测温", 发现时间=found),
            row(问题="新问题", 发现时间=hours_ago(1)),
            row(问题="新问题", 发现时间=hours_ago(1)),
        ]
    )
    batch = api_upload(api, data).json()
    assert [(e["row"], e["code"]) for e in batch["errors"]] == [
        (2, "already_recorded"),
        (4, "duplicate_row"),
    ]
    assert batch["errors"][0]["message"] == f"系统中已有此问题（编号 {existing.pk}）。"
    assert batch["errors"][1]["message"] == "与第 3 行为同一问题。"
    assert batch["rows_valid"] == 1


def test_text_that_looks_like_a_formula_stays_text(world, api_as):
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(workbook([row()])))
    cell = book.active["A2"]
    cell.value = '=HYPERLINK("http://example.invalid","点此")'
    cell.data_type = "s"
    out = BytesIO()
    book.save(out)
    api = api_as("county_office")
    batch = api_upload(api, out.getvalue()).json()
    assert batch["rows_valid"] == 1, batch["errors"]
    api.post(f"/ledger/imports/{batch['id']}/confirm")
    assert Problem.objects.get().title == '=HYPERLINK("http://example.invalid","点此")'
