"""Two confirmations of one batch at the same moment (a double tap, two tabs): one import."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import Client

from ducha.ledger.models import ImportBatch, ImportedProblem, ImportEvent
from ducha.problems.models import Problem
from tests.ledger.conftest import BASE, row, upload_file, workbook
from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _client() -> Client:
    client = Client()
    assert client.login(username="county_office", password=PASSWORD)
    return client


@pytest.mark.parametrize("via", ["api", "page"])
def test_racing_confirmations_import_once(via):
    build_world()
    uploaded = _client().post(
        BASE + "/ledger/imports", {"file": upload_file(workbook([row(), row(), row()]))}
    )
    assert uploaded.status_code == 201, uploaded.content
    batch_id = uploaded.json()["id"]
    path = (
        f"{BASE}/ledger/imports/{batch_id}/confirm"
        if via == "api"
        else f"/ledger/imports/{batch_id}/confirm/"
    )
    clients = [_client(), _client()]
    barrier = threading.Barrier(2)
    statuses: list[object] = []

    def confirm(client: Client) -> None:
        try:
            barrier.wait()
            statuses.append(client.post(path).status_code)
        except Exception as error:  # reported by the assertion below
            statuses.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(status, int) for status in statuses), statuses
    batch = ImportBatch.objects.get(pk=batch_id)
    assert batch.state == "imported"
    assert Problem.objects.count() == 3
    assert ImportedProblem.objects.filter(batch=batch).count() == 3
    assert ImportEvent.objects.filter(batch=batch, action="confirm").count() == 1
    assert ImportEvent.objects.filter(batch=batch, action="import").count() == 1
    expected = {200, 202} if via == "api" else {302}
    assert set(statuses) <= expected
