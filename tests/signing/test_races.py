"""The same unit twice at the same moment: one signature, one waiting extension request."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from ducha.problems.choices import Action
from ducha.problems.models import Extension, ProblemEvent
from tests.api.conftest import BASE
from tests.race import race
from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _send(path: str, data: dict) -> Callable[[], int]:
    client = Client()
    assert client.login(username="county_handler", password=PASSWORD)

    def send() -> int:
        return client.post(BASE + path, json.dumps(data), "application/json").status_code

    return send


def test_two_signatures_at_once_make_one():
    problem = build_world().assigned()
    path = f"/problems/{problem.pk}/actions/sign"
    assert sorted(race(_send(path, {}), _send(path, {}))) == [200, 409]
    assert ProblemEvent.objects.filter(problem=problem, action=Action.SIGN).count() == 1


def test_two_extension_requests_at_once_leave_one_waiting():
    problem = build_world().assigned()
    path = f"/problems/{problem.pk}/actions/request_extension"
    wanted = (problem.deadline + timedelta(days=2)).isoformat()
    statuses = race(
        _send(path, {"deadline": wanted, "reason": "需采购设备"}),
        _send(path, {"deadline": wanted, "reason": "需协调外地单位"}),
    )
    assert sorted(statuses) == [200, 409]
    assert Extension.objects.filter(problem=problem).count() == 1
