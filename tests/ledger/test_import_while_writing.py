"""An import does not hold the country hostage (PostgreSQL): while its chunk's transaction is
open, another office records a problem and is answered before the import goes on; and an
import that meets others' locks gives up after a moment and tries again, or yields.

The import is stopped inside its second chunk's transaction, after that chunk's problems and
events are written and before its rollup rows are: the moment at which the former import,
one transaction upserting the shared rollup rows row after row, held the country's rows.
The other office's create must be answered while the import waits there. SQLite has one
writer at a time, so this is a PostgreSQL test.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from ducha.ledger import runs
from ducha.ledger.models import ImportBatch, ImportedProblem
from ducha.problems.models import FocusArea, Problem
from ducha.problems.rollups import writes
from ducha.problems.rollups.models import RollupCell
from ducha.problems.rollups.rebuild import expected_from_problems
from ducha.problems.rollups.writes import differences, stored
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
    add_rows = writes.add_rows

    def held_in_the_chunk(cells, due):
        if threading.get_ident() == importing:
            flushes.append(len(cells))
            if len(flushes) == 2:
                inside_second_chunk.set()
                seen["answered_in_time"] = other_office_done.wait(timeout=60)
        return add_rows(cells, due)

    writes.add_rows = held_in_the_chunk
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
        writes.add_rows = add_rows
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


class _RowLock:
    """Another connection holding the country's rollup rows until released."""

    def __init__(self) -> None:
        self.held, self.release = threading.Event(), threading.Event()
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._hold)

    def _hold(self) -> None:
        try:
            with transaction.atomic():
                list(RollupCell.objects.select_for_update().filter(scope_level=0))
                self.held.set()
                assert self.release.wait(timeout=60)
        except BaseException as error:  # reported by the test
            self.errors.append(error)
            self.held.set()
        finally:
            connections.close_all()

    def __enter__(self) -> _RowLock:
        self.thread.start()
        assert self.held.wait(timeout=60)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join()
        assert self.errors == []


def _refusals(monkeypatch, after: int | None, lock: _RowLock) -> list[int]:
    """Count the import's lock timeouts; release the lock after `after` of them."""
    refused: list[int] = []
    lock_refused = runs._lock_refused

    def counted(error):
        answer = lock_refused(error)
        if answer:
            refused.append(1)
            if after is not None and len(refused) >= after:
                lock.release.set()
        return answer

    monkeypatch.setattr(runs, "_lock_refused", counted)
    return refused


def _upload_six(world) -> tuple[Client, int]:
    world.problem(title="已有问题")  # the country's rollup rows exist
    importer = _client("county_office")
    rows = [row(问题=f"导入问题{n}") for n in range(6)]
    uploaded = importer.post(BASE + "/ledger/imports", {"file": upload_file(workbook(rows))})
    assert uploaded.status_code == 201, uploaded.content
    return importer, uploaded.json()["id"]


def test_an_import_gives_up_a_lock_after_a_moment_and_tries_again(settings, monkeypatch):
    settings.DUCHA_LEDGER_IMPORT_CHUNK = 3
    settings.DUCHA_LEDGER_LOCK_TIMEOUT_MS = 50
    importer, batch_id = _upload_six(build_world())
    with _RowLock() as lock:
        refused = _refusals(monkeypatch, 2, lock)
        confirmed = importer.post(BASE + f"/ledger/imports/{batch_id}/confirm")
    assert len(refused) == 2
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "imported"
    assert ImportedProblem.objects.filter(batch_id=batch_id).count() == 6
    assert differences(expected_from_problems(), stored()) == []


def test_an_import_that_keeps_meeting_locks_yields_and_resumes_later(settings, monkeypatch):
    settings.DUCHA_LEDGER_IMPORT_CHUNK = 3
    settings.DUCHA_LEDGER_LOCK_TIMEOUT_MS = 20
    importer, batch_id = _upload_six(build_world())
    with _RowLock() as lock:
        refused = _refusals(monkeypatch, None, lock)
        confirmed = importer.post(BASE + f"/ledger/imports/{batch_id}/confirm")
        # Every try of the first chunk met the lock: nothing was written, the run stopped.
        assert len(refused) == runs.LOCK_ATTEMPTS
        assert confirmed.status_code == 202 and confirmed.json()["state"] == "importing"
        assert not ImportedProblem.objects.filter(batch_id=batch_id).exists()
    settings.DUCHA_LEDGER_IMPORT_LEASE = 0
    resumed = importer.post(BASE + f"/ledger/imports/{batch_id}/confirm")
    assert resumed.status_code == 200 and resumed.json()["state"] == "imported"
    assert ImportedProblem.objects.filter(batch_id=batch_id).count() == 6
    assert differences(expected_from_problems(), stored()) == []
