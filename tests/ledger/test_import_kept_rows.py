"""The import checks again the cell values kept at the first check, not the workbook; a kept
file that is missing or changed is ignored and the workbook read again."""

from __future__ import annotations

from datetime import datetime

import pytest

from ducha.ledger import kept
from ducha.ledger.models import ImportBatch
from ducha.ledger.validation import read_rows
from ducha.problems.models import Problem
from tests.ledger.conftest import api_upload, hours_ago, row, workbook

pytestmark = pytest.mark.django_db


def _upload(api) -> ImportBatch:
    data = workbook([row(问题="留存的第一行"), row(问题="留存的第二行", 描述=12.5)])
    body = api_upload(api, data).json()
    assert body["state"] == "validated" and body["rows_valid"] == 2
    return ImportBatch.objects.get(pk=body["id"])


def _titles() -> set[str]:
    return set(Problem.objects.filter(title__startswith="留存").values_list("title", flat=True))


def test_the_import_checks_the_kept_values_without_the_workbook(world, api_as):
    api = api_as("county_office")
    batch = _upload(api)
    # The stored workbook is damaged: only the kept values can still be imported.
    with open(batch.file.path, "wb") as stored:
        stored.write(b"not a workbook any more")
    response = api.post(f"/ledger/imports/{batch.pk}/confirm")
    assert response.json()["state"] == "imported"
    assert _titles() == {"留存的第一行", "留存的第二行"}
    assert Problem.objects.get(title="留存的第二行").description == "12.5"


@pytest.mark.parametrize("damage", ["changed", "missing"])
def test_kept_values_changed_or_missing_are_ignored_for_the_workbook(world, api_as, damage):
    api = api_as("county_office")
    batch = _upload(api)
    path = batch.file.storage.path(batch.report["kept"]["name"])
    if damage == "changed":
        with open(path, "rb") as handle:
            blob = handle.read()
        with open(path, "wb") as handle:
            handle.write(blob.replace("留存的第一行".encode(), "改过的第一行".encode()))
    else:
        batch.file.storage.delete(batch.report["kept"]["name"])
    response = api.post(f"/ledger/imports/{batch.pk}/confirm")
    assert response.json()["state"] == "imported"
    assert _titles() == {"留存的第一行", "留存的第二行"}
    assert not Problem.objects.filter(title="改过的第一行").exists()


def test_kept_values_are_the_values_read_types_included():
    data = workbook(
        [
            row(问题="文字", 描述=7, 发现时间=hours_ago(3)),
            row(问题=3.25, 描述=True, 发现时间=45000.5),
            row(问题="日期", 发现时间=datetime(2026, 1, 2), 整改时限="2026-01-05 10:00"),
        ]
    )
    read = read_rows(data)
    blob = kept.dump(read, "f" * 64)
    assert blob is not None
    again = kept.load(blob, "f" * 64)
    assert again == read
    assert [type(v) for raw in again.rows for v in raw.values.values()] == [
        type(v) for raw in read.rows for v in raw.values.values()
    ]
    assert kept.load(blob, "0" * 64) is None  # kept for another file
