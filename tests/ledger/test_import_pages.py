"""The import pages: upload, the report with its two choices, the result."""

from __future__ import annotations

import re

import pytest

from ducha.ledger.models import ImportBatch
from ducha.problems.models import Problem, ProblemEvent
from tests.ledger.conftest import row, upload_file, workbook

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes):
    response = client.post("/ledger/imports/", {"file": upload_file(data, "惠安县问题台账.xlsx")})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return response["Location"]


def _error_rows(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'data-row="(\d+)" data-column="(\w+)" data-code="(\w+)"', html)


def test_upload_report_then_only_the_valid_rows(world, login):
    client = login(world, "county_office")
    page = client.get("/ledger/imports/")
    assert page.status_code == 200
    assert 'href="/ledger/template/"' in page.content.decode()
    data = workbook([row(问题="楼道堆放杂物"), row(地区="不存在区"), None, row(发现时间="明天")])
    location = _upload(client, data)
    batch = ImportBatch.objects.get()
    assert location == f"/ledger/imports/{batch.pk}/"
    html = client.get(location).content.decode()
    assert "惠安县问题台账.xlsx" in html
    assert "共 3 行，无误 1 行，有误 2 行" in html
    assert _error_rows(html) == [
        ("3", "region", "region_not_found"),
        ("5", "found_at", "not_a_time"),
    ]
    assert "有误的行（2 行）" in html
    assert "只导入无误的 1 行" in html and "全部不导入" in html
    assert 'data-testid="progress"' not in html
    done = client.post(f"/ledger/imports/{batch.pk}/confirm/", follow=True)
    result = done.content.decode()
    assert "已导入 1 个问题" in result
    problem = Problem.objects.get()
    assert problem.title == "楼道堆放杂物"
    assert f'href="/problems/{problem.pk}/"' in result
    assert "第 2 行" in result
    assert 'data-testid="confirm"' not in result
    listed = client.get("/ledger/imports/").content.decode()
    assert f'data-batch="{batch.pk}"' in listed and "已导入" in listed


def test_upload_then_import_nothing(world, login):
    client = login(world, "county_team_member")
    location = _upload(client, workbook([row(), row(问题=None)]))
    batch = ImportBatch.objects.get()
    events = ProblemEvent.objects.count()
    page = client.post(f"/ledger/imports/{batch.pk}/cancel/", follow=True)
    assert "该文件未导入任何问题。" in page.content.decode()
    assert page.redirect_chain[-1][0] == location
    assert not Problem.objects.exists() and ProblemEvent.objects.count() == events
    refused = client.post(f"/ledger/imports/{batch.pk}/confirm/")
    assert refused.status_code == 409
    assert "该文件已不能导入" in refused.content.decode()
    assert not Problem.objects.exists()


def test_a_file_without_errors_offers_to_import_all(world, login):
    client = login(world, "county_office")
    html = client.get(_upload(client, workbook([row(), row()]))).content.decode()
    assert "所有行均通过校验。" in html
    assert "导入全部 2 行" in html
    assert 'data-testid="errors"' not in html


def test_confirming_twice_from_two_tabs_imports_once(world, login):
    client = login(world, "county_office")
    _upload(client, workbook([row(), row()]))
    batch = ImportBatch.objects.get()
    client.post(f"/ledger/imports/{batch.pk}/confirm/")
    again = client.post(f"/ledger/imports/{batch.pk}/confirm/", follow=True)
    assert again.status_code == 200
    assert Problem.objects.count() == 2
    assert "已导入 2 个问题" in again.content.decode()


def test_the_page_needs_post_to_decide(world, login):
    client = login(world, "county_office")
    _upload(client, workbook([row()]))
    batch = ImportBatch.objects.get()
    assert client.get(f"/ledger/imports/{batch.pk}/confirm/").status_code == 405
    assert client.get(f"/ledger/imports/{batch.pk}/cancel/").status_code == 405
    assert not Problem.objects.exists()
