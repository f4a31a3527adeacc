"""Two submissions of one visit at the same moment (a phone retrying over a bad network)."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from ducha.fieldwork import actions
from ducha.fieldwork.models import Inspection
from ducha.problems.models import Problem
from tests.fieldwork.domain.factory import item, plan
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("with_task", [True, False])
def test_racing_submissions_with_one_key_make_one_inspection(with_task):
    world = build_world()
    question = item(world)
    task = plan(world) if with_task else None
    key = uuid.uuid4()
    barrier = threading.Barrier(2)
    results: list[object] = []

    def submit() -> None:
        try:
            barrier.wait()
            inspection = actions.do_record_inspection(
                acting_user=world.users["county_team_member"],
                team=world.teams["county_team"],
                method="open",
                visited_at=timezone.now() - timedelta(minutes=5),
                sites=[world.sites["checkpoint"]],
                answers=[actions.AnswerInput(item=question, result="fail", note="未登记")],
                task=task,
                client_key=key,
            )
            results.append(inspection.pk)
        except Exception as error:  # reported by the assertion below
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Inspection.objects.count() == 1
    assert Problem.objects.count() == 1
    assert results == [Inspection.objects.get().pk] * 2
