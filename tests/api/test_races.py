"""Two callers at the same moment: 建 twice on one read, a recording sent twice with one key."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ducha.problems import actions
from ducha.problems.models import FocusArea, Problem, ProblemEvent
from tests.api.conftest import BASE
from tests.race import race
from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _post(client: Client, path: str, data: dict, **headers: str) -> Callable[[], int]:
    def send() -> int:
        body = json.dumps(data)
        return client.post(BASE + path, body, "application/json", headers=headers).status_code

    return send


def _rule_race(problem: Problem, **headers: str) -> list[Any]:
    path = f"/problems/{problem.pk}/actions/institutionalize"
    return race(
        _post(_client("city_command"), path, {"rule": "指挥部统一管控措施"}, **headers),
        _post(_client("county_office"), path, {"rule": "区督查办卡口登记制度"}, **headers),
    )


def _one_rule(problem: Problem) -> None:
    events = ProblemEvent.objects.filter(problem=problem, action="institutionalize")
    assert events.count() == 1
    assert Problem.objects.get(pk=problem.pk).rule == events.get().comment


def test_two_rules_on_the_same_read_make_one_rule_and_one_event():
    world = build_world()
    problem = world.problem(nature="common")
    tag = _client("county_office").get(f"{BASE}/problems/{problem.pk}")["ETag"]
    statuses = _rule_race(problem, **{"If-Match": tag})
    assert sorted(statuses) == [200, 412], statuses
    _one_rule(problem)


def test_two_rule_forms_drawn_on_the_same_version_make_one_rule_and_one_event():
    world = build_world()
    problem = world.problem(nature="common")
    path = f"/problems/{problem.pk}/act/institutionalize/"

    def submit(username: str, rule: str) -> Callable[[], int]:
        client = _client(username)
        data = {"rule": rule, "version": str(problem.version)}
        return lambda: client.post(path, data).status_code

    statuses = race(
        submit("city_command", "指挥部统一管控措施"), submit("county_office", "卡口登记制度")
    )
    assert sorted(statuses) == [302, 412], statuses
    _one_rule(problem)


def test_two_rules_without_a_version_make_one_rule_and_one_event():
    world = build_world()
    problem = world.problem(nature="common")
    statuses = _rule_race(problem)
    assert sorted(statuses) == [200, 409], statuses
    _one_rule(problem)


def test_two_actions_in_the_action_layer_on_one_version():
    world = build_world()
    problem = world.problem(nature="common")
    version = problem.version

    def rule(by: str, text: str) -> Callable[[], object]:
        return lambda: (
            actions.do_institutionalize(
                problem, acting_user=world.users[by], rule=text, expected_version=version
            ).version
        )

    results = race(rule("city_command", "统一管控措施"), rule("county_office", "卡口登记制度"))
    acted = [result for result in results if isinstance(result, int)]
    refused = [result for result in results if isinstance(result, actions.StaleVersion)]
    assert (acted, len(refused)) == ([version + 1], 1), results
    _one_rule(problem)


def test_one_key_sent_twice_at_once_records_one_problem():
    world = build_world()
    data = {
        "title": "隔离点未落实闭环管理",
        "region": world.orgs["county"].pk,
        "focus_area": FocusArea.objects.get(code="screening").pk,
        "client_key": str(uuid.uuid4()),
    }
    ids: list[object] = []

    def send(client: Client) -> Callable[[], int]:
        def call() -> int:
            response = client.post(BASE + "/problems", json.dumps(data), "application/json")
            ids.append(response.json().get("id"))
            return response.status_code

        return call

    statuses = race(send(_client("county_office")), send(_client("county_office")))
    assert set(statuses) <= {200, 201} and 201 in statuses, statuses
    problem = Problem.objects.get()
    assert ids == [problem.pk, problem.pk]
    assert ProblemEvent.objects.filter(action="create").count() == 1
