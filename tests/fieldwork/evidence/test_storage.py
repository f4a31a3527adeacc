"""No file stays on disk without its row: failures and rollbacks take their files with them."""

from __future__ import annotations

import gc

import pytest
from django.db import transaction

from ducha.fieldwork.evidence import do_attach_evidence
from ducha.fieldwork.models import Evidence, FieldEvent
from tests.fieldwork.evidence.conftest import png, stored_files, upload


def test_failure_after_the_files_were_written_removes_them(as_user, problem, media, monkeypatch):
    def broken_event_log(**kwargs):
        raise RuntimeError("event log unavailable")

    monkeypatch.setattr(FieldEvent.objects, "create", broken_event_log)

    response = as_user("county_office").post(png(), problem=problem)

    assert response.status_code == 500
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_outer_transaction_rolling_back_removes_the_files(world, problem, media):
    with pytest.raises(RuntimeError), transaction.atomic():
        do_attach_evidence(
            acting_user=world.users["county_office"], upload=upload(png()), problem=problem
        )
        assert len(stored_files(media)) == 2
        raise RuntimeError("the caller's later step failed")
    gc.collect()

    assert not Evidence.objects.exists()
    assert stored_files(media) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_committed_files_stay(as_user, problem, media):
    response = as_user("county_office").post(png(), problem=problem)
    gc.collect()

    assert response.status_code == 201
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert {p.relative_to(media).as_posix() for p in stored_files(media)} == {
        evidence.file.name,
        evidence.thumbnail.name,
    }
