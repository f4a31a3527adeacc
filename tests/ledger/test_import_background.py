"""Large files: a worker checks and imports them while the page shows progress.

The tasks are called here as the worker would call them; one test runs the whole path
through Celery in eager mode, with the on-commit hand-over the request makes.
"""

from __future__ import annotations

import pytest

from ducha.ledger import tasks
from ducha.ledger.models import ImportBatch, ImportEvent
from ducha.problems.models import Problem
from tests.ledger.conftest import api_upload, row, upload_file, workbook

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _large(settings):
    # Every file counts as large and every import as long, so the worker takes them.
    settings.DUCHA_LEDGER_INLINE_BYTES = 0
    settings.DUCHA_LEDGER_INLINE_ROWS = 0


def test_a_large_file_is_checked_and_imported_by_the_worker(world, api_as, login):
    api = api_as("county_office")
    uploaded = api_upload(api, workbook([row(), row(问题=None), row()]))
    assert uploaded.status_code == 201
    batch = uploaded.json()
    assert batch["state"] == "uploaded" and batch["errors"] == []
    client = login(world, "county_office")
    page = client.get(f"/ledger/imports/{batch['id']}/").content.decode()
    assert 'data-testid="progress"' in page and 'hx-trigger="every 2s"' in page
    assert "正在逐行校验文件" in page
    poll = client.get(f"/ledger/imports/{batch['id']}/", {"poll": "1"}, headers=HTMX)
    assert poll.status_code == 200 and 'data-testid="progress"' in poll.content.decode()

    tasks.check_batch(batch["id"])
    checked = api.get(f"/ledger/imports/{batch['id']}").json()
    assert checked["state"] == "validated"
    assert [(e["row"], e["code"]) for e in checked["errors"]] == [(3, "required")]
    assert checked["progress"] == {"done": 3, "total": 3}
    done = client.get(f"/ledger/imports/{batch['id']}/", {"poll": "1"}, headers=HTMX)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"

    confirmed = api.post(f"/ledger/imports/{batch['id']}/confirm")
    assert confirmed.status_code == 202
    assert confirmed.json()["state"] == "importing"
    assert confirmed.json()["progress"] == {"done": 0, "total": 2}
    assert not Problem.objects.exists()
    page = client.get(f"/ledger/imports/{batch['id']}/").content.decode()
    assert "正在导入无误的行" in page
    assert api.post(f"/ledger/imports/{batch['id']}/confirm").status_code == 202
    assert api.post(f"/ledger/imports/{batch['id']}/cancel").status_code == 409

    tasks.import_batch(batch["id"])
    result = api.get(f"/ledger/imports/{batch['id']}").json()
    assert result["state"] == "imported"
    assert [item["row"] for item in result["imported"]] == [2, 4]
    assert Problem.objects.count() == 2
    tasks.import_batch(batch["id"])  # delivered twice: nothing more happens
    assert Problem.objects.count() == 2


def test_the_request_hands_the_work_to_celery(
    world, login, eager, django_capture_on_commit_callbacks
):
    client = login(world, "county_office")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ledger/imports/", {"file": upload_file(workbook([row(), row()]))})
    batch = ImportBatch.objects.get()
    assert batch.state == "validated" and batch.rows_valid == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ledger/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.state == "imported"
    assert Problem.objects.count() == 2


def test_no_queue_fails_the_batch_with_a_reason(
    world, api_as, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.check_batch, "delay", broken)
    with django_capture_on_commit_callbacks(execute=True):
        batch = api_upload(api_as("county_office"), workbook([row()])).json()
    failed = api_as("county_office").get(f"/ledger/imports/{batch['id']}").json()
    assert failed["state"] == "failed"
    assert failed["failure"]["message"] == "后台服务暂不可用，请稍后再试或上传较小的文件。"


def test_cancelling_while_the_worker_reads_discards_its_check(world, api_as):
    api = api_as("county_office")
    batch = api_upload(api, workbook([row()])).json()
    assert api.post(f"/ledger/imports/{batch['id']}/cancel").json()["state"] == "cancelled"
    tasks.check_batch(batch["id"])
    after = api.get(f"/ledger/imports/{batch['id']}").json()
    assert after["state"] == "cancelled" and after["rows_total"] == 0


def test_the_worker_refuses_a_file_with_too_many_rows(world, api_as, login, settings):
    settings.DUCHA_LEDGER_MAX_ROWS = 2
    api = api_as("county_office")
    batch = api_upload(api, workbook([row(), row(), row()])).json()
    tasks.check_batch(batch["id"])
    failed = api.get(f"/ledger/imports/{batch['id']}").json()
    assert failed["state"] == "failed"
    assert failed["failure"]["message"] == "文件中的问题超过 2 个，请拆分为多个文件。"
    html = login(world, "county_office").get(f"/ledger/imports/{batch['id']}/").content.decode()
    assert "文件中的问题超过 2 个" in html and 'data-testid="confirm"' not in html
    actions = ImportEvent.objects.filter(batch_id=batch["id"]).values_list("action", flat=True)
    assert list(actions) == ["upload", "fail"]
