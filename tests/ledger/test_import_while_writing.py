"""An import does not hold the country hostage (PostgreSQL): while its chunk's transaction is
open, another office records a problem and is answered before the import goes on.

The import is stopped inside its second chunk's transaction, after that chunk's problems and
events are written and before its rollup rows are: the moment at which the former import,
one transaction upserting the shared rollup rows row after row, held the country's rows.
The other office's create must be answered while the import waits there. SQLite has one
writer at a time, so this is a PostgreSQL test.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from ducha.ledger.models import ImportBatch, ImportedProblem
from ducha.problems.models import FocusArea, Problem
from ducha.reports import rollups
from ducha.reports.rebuild import expected_from_problems
from ducha.reports.rollups import differences, stored
from tests.ledger.conftest import BASE, row, upload_file, workbook
from tests.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks of concurrent writers: PostgreSQL"
    ),
]


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_another_office_records_a_problem_while_an_import_runs(settings):
    settings.DUCHA_LEDGER_IMPORT_CHUNK = 3
    world = build_world()
    importer = _client("county_office")
    rows = [row(问题=f"导入问题{n}", 地区="双桥区/水泉沟镇") for n in range(9)]
    uploaded = importer.post(BASE + "/ledger/imports", {"file": upload_file(workbook(rows))})
    assert uploaded.status_code == 201, uploaded.content
    batch_id = uploaded.json()["id"]

    importing = threading.get_ident()
    inside_second_chunk = threading.Event()
    other_office_done = threading.Event()
    flushes: list[int] = []
    seen: dict[str, object] = {}
    add_rows = rollups.add_rows

    def held_in_the_chunk(cells, due):
        if threading.get_ident() == importing:
            flushes.append(len(cells))
            if len(flushes) == 2:
                inside_second_chunk.set()
                seen["answered_in_time"] = other_office_done.wait(timeout=60)
        return add_rows(cells, due)

    rollups.add_rows = held_in_the_chunk
    errors: list[BaseException] = []

    def other_office() -> None:
        try:
            assert inside_second_chunk.wait(timeout=60)
            seen["imported_before"] = ImportedProblem.objects.filter(batch_id=batch_id).count()
            created = _client("sibling_office").post(
                BASE + "/problems",
                {
                    "title": "双滦区卡口未测温",
                    "region": world.orgs["sibling"].pk,
                    "focus_area": FocusArea.objects.get(code="screening").pk,
                },
                content_type="application/json",
            )
            seen["status"] = created.status_code
            seen["state_after"] = ImportBatch.objects.get(pk=batch_id).state
            other_office_done.set()
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
            other_office_done.set()
        finally:
            connections.close_all()

    writer = threading.Thread(target=other_office)
    writer.start()
    try:
        confirmed = importer.post(BASE + f"/ledger/imports/{batch_id}/confirm")
    finally:
        rollups.add_rows = add_rows
        writer.join()
    assert errors == []
    assert seen["answered_in_time"] is True
    assert seen["status"] == 201
    # The create was answered while the import was still in its second of three chunks.
    assert seen["imported_before"] == 3
    assert seen["state_after"] == "importing"
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "imported"
    assert len(flushes) == 3
    assert ImportedProblem.objects.filter(batch_id=batch_id).count() == 9
    assert Problem.objects.filter(title="双滦区卡口未测温").count() == 1
    assert differences(expected_from_problems(), stored()) == []
