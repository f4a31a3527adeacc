"""Offices issuing at the same moment: every issue takes the next number, none repeats and
none is skipped (SQLite queues writers at BEGIN IMMEDIATE; PostgreSQL locks the counter)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from ducha.documents import actions
from ducha.documents.models import Document, DocumentCounter
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RACERS = 6


@pytest.mark.parametrize("kind", ["bulletin", "special_report"])
def test_concurrent_issues_take_one_to_n(kind, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    office, issuer = world.users["county_office"], world.orgs["county_office"]
    params = {"problem": world.problem().pk} if kind == "special_report" else {}
    drafts = [
        actions.do_create_draft(acting_user=office, kind=kind, issuer=issuer, params=params)
        for _ in range(RACERS)
    ]
    barrier = threading.Barrier(RACERS)
    results: list[object] = []

    def issue(document: Document) -> None:
        try:
            barrier.wait()
            results.append(actions.do_issue_document(document, acting_user=office).number)
        except Exception as error:  # reported by the assertion below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(document,)) for document in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == list(range(1, RACERS + 1)), results
    numbers = Document.objects.filter(kind=kind).values_list("number", flat=True)
    assert sorted(numbers) == list(range(1, RACERS + 1))
    assert DocumentCounter.objects.get(kind=kind).last_number == RACERS
