"""A large problem ledger is imported by several worker tasks side by side, each taking every
other chunk: each row lands once, the last task to end marks the batch imported, a task
does not wait for the other's chunks (PostgreSQL), and two rows of one file a few seconds
apart are not taken for a problem recorded before."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import Client

from ducha.ledger import runs, tasks
from ducha.ledger.models import ImportBatch, ImportedProblem, ImportEvent
from ducha.problems.models import Problem
from ducha.problems.rollups.rebuild import expected_from_problems
from ducha.problems.rollups.writes import differences, stored
from tests.ledger.conftest import BASE, hours_ago, row, upload_file, workbook
from tests.world import PASSWORD, build_world


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def queued(settings, monkeypatch):
    """Ledgers of more than one row go to the worker in two tasks, kept here to run by hand."""
    settings.DUCHA_LEDGER_IMPORT_CHUNK = 2
    settings.DUCHA_LEDGER_INLINE_ROWS = 1
    settings.DUCHA_LEDGER_IMPORT_PARTS = 2
    calls: list[tuple[int, tuple]] = []
    monkeypatch.setattr(tasks, "later", lambda task, pk, actor, *args: calls.append((pk, args)))
    return calls


def _confirm(rows: list[dict]) -> int:
    importer = _client("county_office")
    uploaded = importer.post(BASE + "/ledger/imports", {"file": upload_file(workbook(rows))})
    assert uploaded.status_code == 201, uploaded.content
    batch_id = uploaded.json()["id"]
    confirmed = importer.post(BASE + f"/ledger/imports/{batch_id}/confirm")
    assert confirmed.status_code == 202 and confirmed.json()["state"] == "importing"
    return batch_id


def _rows(batch_id: int) -> list[int]:
    return sorted(ImportedProblem.objects.filter(batch_id=batch_id).values_list("row", flat=True))


@pytest.mark.django_db
def test_the_last_task_to_end_marks_the_batch_imported(queued):
    build_world()
    batch_id = _confirm([row() for _ in range(7)])
    if connection.vendor == "postgresql":
        assert queued == [(batch_id, (0, 2)), (batch_id, (1, 2))]
    else:  # one writer at a time: one task
        assert queued == [(batch_id, (0, 1))]

    tasks.import_batch(batch_id, 1, 2)  # the second and the fourth chunk: rows 4-5, 8
    batch = ImportBatch.objects.get(pk=batch_id)
    assert batch.state == "importing" and batch.progress_done == 3
    assert _rows(batch_id) == [4, 5, 8]

    tasks.import_batch(batch_id, 0, 2)
    batch = ImportBatch.objects.get(pk=batch_id)
    assert batch.state == "imported" and batch.progress_done == 7
    assert _rows(batch_id) == [2, 3, 4, 5, 6, 7, 8]
    actions = ImportEvent.objects.filter(batch_id=batch_id).values_list("action", flat=True)
    assert list(actions) == ["upload", "validate", "confirm", "import"]
    assert Problem.objects.count() == 7
    assert differences(expected_from_problems(), stored()) == []


@pytest.mark.django_db
def test_rows_a_minute_apart_are_not_recorded_before_by_each_other(queued):
    """The check at import leaves out the batch's own problems: the second task checks its
    rows after the first task's chunk has recorded a row found 30 seconds before."""
    build_world()
    found = hours_ago(3)
    same = {"问题": "卡口未登记", "地区": "双桥区/水泉沟镇"}
    batch_id = _confirm(
        [
            row(**same, 点位="双桥区高速卡口", 发现时间=found),
            row(),
            row(**same, 发现时间=found + timedelta(seconds=30)),
        ]
    )
    tasks.import_batch(batch_id, 0, 2)
    tasks.import_batch(batch_id, 1, 2)
    batch = ImportBatch.objects.get(pk=batch_id)
    assert batch.state == "imported", batch.report.get("failure")
    assert _rows(batch_id) == [2, 3, 4]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks of concurrent writers: PostgreSQL"
)
def test_two_tasks_import_side_by_side(queued, monkeypatch):
    build_world()
    batch_id = _confirm([row() for _ in range(8)])

    # The first task stops inside its first chunk's transaction, holding the batch and the
    # chunk, until the second task has committed a chunk of its own. (The chains' heads and
    # the shared rollup rows, which every writer takes last, it has not reached yet.)
    new_problem, import_chunk = runs._new_problem, runs._import_chunk
    inside, other_committed = threading.Event(), threading.Event()

    def held(batch, row, objects):
        if row.number == 2:
            inside.set()
            assert other_committed.wait(30), "the second task waited for the first"
        return new_problem(batch, row, objects)

    def chunk(*args, **kwargs):
        done = import_chunk(*args, **kwargs)
        if threading.current_thread().name == "second":
            other_committed.set()
        return done

    monkeypatch.setattr(runs, "_new_problem", held)
    monkeypatch.setattr(runs, "_import_chunk", chunk)
    errors: list[BaseException] = []

    def run(part: int) -> None:
        try:
            tasks.import_batch(batch_id, part, 2)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    # Threads of this process, each with its own connection, as two worker processes.
    one = threading.Thread(target=run, args=(0,), name="first")
    one.start()
    assert inside.wait(30)
    two = threading.Thread(target=run, args=(1,), name="second")
    two.start()
    two.join(60)
    one.join(60)
    assert not errors, errors
    batch = ImportBatch.objects.get(pk=batch_id)
    assert batch.state == "imported" and batch.progress_done == 8
    assert _rows(batch_id) == list(range(2, 10))
    assert ImportEvent.objects.filter(batch_id=batch_id, action="import").count() == 1
    assert differences(expected_from_problems(), stored()) == []
